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

/** Every reference profile's plan as it stands (`bal next`). */
function referencePlans(): RunPlan[] {
  return Object.values(EXPERIMENTS).flatMap((e) => e.profiles.filter(isReferenceProfile).map((p) => { const { sweep, claims } = e.load(p); return planRuns(sweep, claims); }));
}

/**
 * `bal next [--hours H] [--run]`: the arguments after `next`. With --run, a lane that makes those runs
 * (src/cli-lane.ts); returns how many it skipped because another process held them and are still unfinished.
 */
export async function nextCommand(args: readonly string[]): Promise<{ held: number }> {
  const run = args.includes("--run");
  const [flag, value, ...extra] = args.filter((a) => a !== "--run");
  if ((flag !== undefined && flag !== "--hours") || extra.length || (flag && !(Number(value) > 0))) throw new Error(`next: expected '[--hours H] [--run]' with H > 0 core-hours, got '${args.join(" ")}'`);
  const hours = flag ? Number(value) : undefined;
  if (!run) {
    console.log(formatSchedule(scheduleRuns(referencePlans()), hours));
    return { held: 0 };
  }
  console.log(describeBackend(await initBackend()));
  const outcome = await runLane({ plans: referencePlans, sweep: (experiment, profile) => experimentByName(experiment).load(profile).sweep }, { hours });
  console.log(`bal next --run: ${outcome.finished.length} run(s) finished, ${outcome.probed.length} probed (first step)${outcome.held.length ? `; ${outcome.held.length} skipped, held by another process: ${outcome.held.join("; ")}` : ""}`);
  return { held: outcome.held.length };
}
