// Extending a finished run to more steps. A run with the same config but more steps draws the same
// stream for every step the two share: the shorter run's last step differs only in skipping the
// acquisition, which comes after everything that step records. So the longer run can start from the
// shorter run's state before its last step, recompute that step (now with its acquisition) and go on;
// every number of the shared steps comes out the same. The state is small: the generator before the
// last step and the strategy's state (the labelled set follows from the split and the records).
// Runs that keep one network across steps (retrain "continue") would need its weights: not stored, so
// they are not extended; nor are results written before `resume` existed (their state is gone).
import { ActivePool } from "../data/pool";
import { RunStore, stableStringify } from "../results/store";
import { AlRunConfig, Checkpoint, RunResult, StepRecord } from "./run-types";

/** Whether a config can be extended (and so whether its result records a resume state). */
export const extendable = (config: AlRunConfig) => config.retrain !== "continue";

/** Equal configs but for their number of steps. */
export function sameButSteps(a: AlRunConfig, b: AlRunConfig): boolean {
  return stableStringify({ ...a, steps: 0 }) === stableStringify({ ...b, steps: 0 });
}

/** The finished run with the most steps below `config.steps` that this config extends, or null. */
export function findPrefixRun(store: RunStore, config: AlRunConfig): RunResult | null {
  if (!extendable(config)) return null;
  let best: RunResult | null = null;
  for (const r of store.all<RunResult>()) {
    if (!r.resume || r.config.steps >= config.steps || !sameButSteps(r.config, config)) continue;
    if (!best || r.config.steps > best.config.steps) best = r;
  }
  return best;
}

/**
 * The checkpoint of `prefix` before its last step, as the run `key` would have written it: the records of
 * the steps before, the labelled set they imply (the run's fresh split plus every acquisition), the state.
 */
export function checkpointFromPrefix(prefix: RunResult, key: string, freshPool: ActivePool, trainSize: number): Checkpoint {
  if (!prefix.resume) throw new Error(`run ${prefix.key}: no resume state (finished before results recorded one); it cannot be extended`);
  const records = prefix.records.slice(0, prefix.config.steps);
  const pool = ActivePool.restore(trainSize, freshPool.snapshot());
  for (const r of records) pool.label(r.acquired);
  return { key, pool: pool.snapshot(), records, rng: prefix.resume.rng, strategyState: prefix.resume.strategyState, tuning: prefix.tuning };
}

/** Whether a recomputed step equals the stored one in everything it measured (not its seconds or acquisition). */
export function sameStep(a: StepRecord, b: StepRecord): boolean {
  const measured = (r: StepRecord) => [r.labelled, r.testAccuracy, r.valAccuracy, r.testMeanMI, r.trainEpochs, r.bestEpoch, r.valLoss, r.finalTrainLoss];
  return stableStringify(measured(a)) === stableStringify(measured(b));
}
