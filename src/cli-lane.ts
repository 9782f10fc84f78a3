// `bal next --run`: a background lane. It works down `bal next`'s order (the undecided claim whose runs cost
// least first), one run at a time, and plans again after each run (a finished run changes the estimates and
// which claims still wait). Runs another process holds are skipped, so two lanes on one machine, or on two
// machines sharing the results folder, split the work; a killed lane's run resumes from its checkpoint in the
// next lane that takes it (also on a fresh machine, when the checkpoint is committed: see the README).
import { runKey } from "./loop/active-learning";
import { AlRunConfig } from "./loop/run-types";
import { runSweep, SweepDefinition, sweepStore } from "./loop/sweep";
import { formatEstimate, RunPlan } from "./report/plan";
import { scheduleRuns, withinHours } from "./report/schedule";

export interface LaneSources {
  /** Every profile's plan as it stands now (read again after each run). */
  plans(): RunPlan[];
  /** The sweep a planned run belongs to. */
  sweep(experiment: string, profile: string): SweepDefinition;
}

export interface LaneOutcome {
  /** "experiment / profile: run" of each run finished by this lane, in order. */
  finished: string[];
  /** Runs skipped because another process held them, and still unfinished at the end. */
  held: string[];
}

/** `hours`: only the runs `bal next --hours H` lists when the lane starts (their order may change as it goes). */
export async function runLane(src: LaneSources, opts: { hours?: number; log?: (line: string) => void } = {}): Promise<LaneOutcome> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const allowed = new Set(withinHours(scheduleRuns(src.plans()), opts.hours).map((s) => runKey(s.run.config)));
  log(`bal next --run: ${allowed.size} run(s) to do${opts.hours === undefined ? "" : ` (those that fit in ${opts.hours} core-hour(s) by their estimates)`}, cheapest undecided claim first, planned again after each run`);
  const skipped = new Map<string, string>();
  const finished: string[] = [];
  const attempted = new Set<string>();
  for (;;) {
    const schedule = scheduleRuns(src.plans()).filter((s) => allowed.has(runKey(s.run.config)));
    const pick = schedule.find((s) => !skipped.has(runKey(s.run.config)));
    if (!pick) {
      const missing = new Set(schedule.map((s) => runKey(s.run.config)));
      return { finished, held: [...skipped].filter(([k]) => missing.has(k)).map(([, name]) => name) };
    }
    const key = runKey(pick.run.config);
    const name = `${pick.experiment} / ${pick.profile}: ${pick.run.label}`;
    if (attempted.has(key)) throw new Error(`${name} (${key}): still missing after this lane ran it`);
    attempted.add(key);
    const sweep = src.sweep(pick.experiment, pick.profile);
    const holder = sweepStore(sweep).holder(key);
    if (holder) {
      log(`${name}: skipped, in progress in process ${holder.pid} on ${holder.host} (since ${holder.since})`);
      skipped.set(key, name);
      continue;
    }
    log(`${name} (${key}): estimate ${formatEstimate(pick.run)}${pick.decides.length ? `; then decidable: ${pick.decides.join("; ")}` : ""}`);
    const held: AlRunConfig[] = [];
    await runSweep({ ...sweep, runs: [pick.run.config] }, { held, log });
    if (held.length) skipped.set(key, name);
    else finished.push(name);
  }
}
