// The CLI commands that say what compute is left: `bal status` (one profile's finished and missing runs, and
// where each missing one stands), `bal plan` (their estimated cost and the claims each decides) and `bal next`
// (every experiment's, in the order that decides the most claims per core-hour; with --run, the lane of
// cli-lane.ts makes them). Split from cli.ts, which dispatches to them.
import { describeBackend, initBackend } from "./compute/backend";
import { experimentByName, EXPERIMENTS } from "./experiments/registry";
import { runLane } from "./cli-lane";
import { collectRuns, isReferenceProfile, runLabel, runProgress, SweepDefinition, sweepStore } from "./loop/sweep";
import { RunResult } from "./loop/active-learning";
import { Claim } from "./report/claims";
import { formatPlan, measureUnestimated, planRuns, RunPlan } from "./report/plan";
import { formatSchedule, scheduleRuns } from "./report/schedule";

/** `bal status <experiment>`: finished and missing runs; a missing one's checkpoint and the process running it, if any. */
export function statusCommand(sweep: SweepDefinition): void {
  const store = sweepStore(sweep);
  const { results, missing } = collectRuns(sweep, store);
  console.log(`${sweep.experiment} / ${sweep.profile}: ${results.length} finished, ${missing.length} missing`);
  for (const m of missing) {
    const progress = runProgress(store, m);
    console.log(`  missing: ${runLabel(m)}${progress ? ` (${progress})` : ""}`);
  }
}

/** `bal plan <experiment> [--measure K]`: `measure` is the flag's value, unchecked. */
export async function planCommand(sweep: SweepDefinition, claims: (r: readonly RunResult[]) => Claim[], measure: string | undefined): Promise<void> {
  if (measure !== undefined && !/^[1-9]\d*$/.test(measure)) throw new Error(`--measure: expected a positive number of steps, got '${measure}'`);
  const plan = planRuns(sweep, claims);
  // Measure on the backend the runs would use (without this, tfjs' pure-JS 'cpu' backend: ~50x slower convolutions).
  const toMeasure = measure && (plan.unknown || plan.atLeast);
  if (toMeasure) console.error(describeBackend(await initBackend()));
  const extra = toMeasure ? await measureUnestimated(sweep, plan, Number(measure), (l) => console.error(l)) : [];
  console.log(formatPlan(extra.length ? planRuns(sweep, claims, undefined, extra) : plan));
}

/** Every reference profile's plan as it stands (`bal next`), or those of `only`'s experiment (and profile). */
function referencePlans(only?: { experiment: string; profile?: string }): RunPlan[] {
  const entries = only ? [experimentByName(only.experiment)] : Object.values(EXPERIMENTS);
  return entries.flatMap((e) => e.profiles.filter((p) => isReferenceProfile(p) && (only?.profile === undefined || p === only.profile))
    .map((p) => { const { sweep, claims } = e.load(p); return planRuns(sweep, claims); }));
}

const NEXT_USAGE = "'[--hours H] [--only EXPERIMENT[/PROFILE]] [--run]' with H > 0 core-hours";

/** The arguments after `next`: an error names the flag or value and the usage. */
export function parseNextArgs(args: readonly string[]): { run: boolean; hours?: number; only?: { experiment: string; profile?: string } } {
  const out: ReturnType<typeof parseNextArgs> = { run: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === "--run") { out.run = true; continue; }
    if ((flag !== "--hours" && flag !== "--only") || value === undefined || value.startsWith("--")) throw new Error(`next: expected ${NEXT_USAGE}, got '${args.join(" ")}'`);
    i++;
    if (flag === "--hours") {
      if (!(Number(value) > 0)) throw new Error(`next: expected ${NEXT_USAGE}, got '${args.join(" ")}'`);
      out.hours = Number(value);
      continue;
    }
    const [experiment, profile, ...rest] = value.split("/");
    const entry = Object.prototype.hasOwnProperty.call(EXPERIMENTS, experiment) ? EXPERIMENTS[experiment] : undefined;
    const profiles = entry ? entry.profiles.filter(isReferenceProfile) : [];
    if (!entry || rest.length || (profile !== undefined && !profiles.includes(profile))) {
      const choices = Object.entries(EXPERIMENTS).flatMap(([name, e]) => e.profiles.filter(isReferenceProfile).map((p) => `${name}/${p}`));
      throw new Error(`next --only: no experiment / reference profile '${value}' (expected an experiment, or one of ${choices.join(", ")})`);
    }
    out.only = { experiment, profile };
  }
  return out;
}

/**
 * `bal next [--hours H] [--only EXPERIMENT[/PROFILE]] [--run]`: the arguments after `next`. With --run, a lane
 * that makes those runs (src/cli-lane.ts); returns how many it skipped because another process held them and
 * are still unfinished. --only keeps the list (and a lane) to one experiment, or one of its reference profiles.
 */
export async function nextCommand(args: readonly string[]): Promise<{ held: number }> {
  const { run, hours, only } = parseNextArgs(args);
  const plans = () => referencePlans(only);
  if (!run) {
    console.log(formatSchedule(scheduleRuns(plans()), hours));
    return { held: 0 };
  }
  console.log(describeBackend(await initBackend()));
  const outcome = await runLane({ plans, sweep: (experiment, profile) => experimentByName(experiment).load(profile).sweep }, { hours });
  console.log(`bal next --run: ${outcome.finished.length} run(s) finished, ${outcome.probed.length} probed (first step)${outcome.held.length ? `; ${outcome.held.length} skipped, held by another process: ${outcome.held.join("; ")}` : ""}`);
  return { held: outcome.held.length };
}
