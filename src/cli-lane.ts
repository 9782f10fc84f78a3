// `bal next --run`: a background lane. It works down `bal next`'s order (the undecided claim whose runs cost
// least first), one run at a time, and plans again after each run (a finished run changes the estimates and
// which claims still wait). Runs another process holds are skipped, so two lanes on one machine, or on two
// machines sharing the results folder, split the work; a killed lane's run resumes from its checkpoint in the
// next lane that takes it (also on a fresh machine, when the checkpoint is committed: see the README).
// Without --hours the lane first probes: one step of one run of each kind nothing estimates yet (or only as a
// lower bound), so that its checkpoint measures the kind and the order that follows is the informed one.
import { runKey } from "./loop/active-learning";
import { AlRunConfig } from "./loop/run-types";
import { runSweep, SweepDefinition, sweepStore } from "./loop/sweep";
import { formatEstimate, RunPlan } from "./report/plan";
import { ScheduledRun, scheduleRuns, withinHours } from "./report/schedule";

export interface LaneSources {
  /** Every profile's plan as it stands now (read again after each run). */
  plans(): RunPlan[];
  /** The sweep a planned run belongs to. */
  sweep(experiment: string, profile: string): SweepDefinition;
}

export interface LaneOutcome {
  /** "experiment / profile: run" of each run finished by this lane, in order. */
  finished: string[];
  /** "experiment / profile: run" of each run whose first step this lane made to measure its kind. */
  probed: string[];
  /** Runs skipped because another process held them, and still unfinished at the end. */
  held: string[];
}

const unmeasured = (s: ScheduledRun) => s.run.stepsDone === 0 && (s.run.estimateS === null || s.run.estimateAtLeast);

/** `hours`: only the runs `bal next --hours H` lists when the lane starts (their order may change as it goes), and no probes. */
export async function runLane(src: LaneSources, opts: { hours?: number; log?: (line: string) => void } = {}): Promise<LaneOutcome> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const allowed = new Set(withinHours(scheduleRuns(src.plans()), opts.hours).map((s) => runKey(s.run.config)));
  log(`bal next --run: ${allowed.size} run(s) to do${opts.hours === undefined ? ", first one step of each kind not measured yet" : ` (those that fit in ${opts.hours} core-hour(s) by their estimates)`}, ` +
    "then cheapest undecided claim first, planned again after each run");
  const skipped = new Map<string, string>();
  const out: LaneOutcome = { finished: [], probed: [], held: [] };
  const attempted = new Set<string>();
  for (;;) {
    const schedule = scheduleRuns(src.plans()).filter((s) => allowed.has(runKey(s.run.config)));
    const free = schedule.filter((s) => !skipped.has(runKey(s.run.config)));
    const probe = opts.hours === undefined ? free.find((s) => unmeasured(s) && !attempted.has(`probe ${runKey(s.run.config)}`)) : undefined;
    const pick = probe ?? free[0];
    if (!pick) {
      const missing = new Set(schedule.map((s) => runKey(s.run.config)));
      out.held = [...skipped].filter(([k]) => missing.has(k)).map(([, name]) => name);
      return out;
    }
    const key = runKey(pick.run.config);
    const name = `${pick.experiment} / ${pick.profile}: ${pick.run.label}`;
    const attempt = `${probe ? "probe " : ""}${key}`;
    if (attempted.has(attempt)) throw new Error(`${name} (${key}): still missing after this lane ran it`);
    attempted.add(attempt);
    const sweep = src.sweep(pick.experiment, pick.profile);
    const holder = sweepStore(sweep).holder(key);
    if (holder) {
      log(`${name}: skipped, in progress in process ${holder.pid} on ${holder.host} (since ${holder.since})`);
      skipped.set(key, name);
      continue;
    }
    log(probe ? `${name} (${key}): its first step, to measure its kind (estimate now ${formatEstimate(pick.run)})`
      : `${name} (${key}): estimate ${formatEstimate(pick.run)}${pick.decides.length ? `; then decidable: ${pick.decides.join("; ")}` : ""}`);
    const held: AlRunConfig[] = [];
    await runSweep({ ...sweep, runs: [pick.run.config] }, { held, log, maxStepsThisCall: probe ? 1 : undefined });
    if (held.length) skipped.set(key, name);
    else (probe ? out.probed : out.finished).push(name);
  }
}
