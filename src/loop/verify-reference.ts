// Reference numbers that prove themselves: committed runs are deterministic (same config, same backend
// and thread-count class, same bits), so re-running the first K steps of a committed run from its stored
// config must give every recorded number exactly. A hand-edited accuracy, or code that changed what a
// run computes, fails here (`bal verify-reference`, and in `make test` on the cheapest run of each experiment).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strategyByName } from "../acquisition/strategy";
import { RunStore } from "../results/store";
import { ModelOptions } from "../models/types";
import { AlRunConfig, RunResult, runActiveLearning, runKey, StepRecord } from "./active-learning";
import { SweepDefinition } from "./sweep";

/** The recorded numbers of a step that a re-run must reproduce exactly (wall times excluded). */
const COMPARED: (keyof StepRecord)[] = ["step", "labelled", "testAccuracy", "valAccuracy", "testMeanMI", "acquired", "batchDiversity", "trainEpochs", "bestEpoch", "finalTrainLoss", "pseudoLabelled", "valLoss"];

/**
 * finalTrainLoss is a diagnostic, summed in float32 on the device since ebf7ddf (in float64 in JS before):
 * runs made before that commit differ in the 8th digit though the training is the same bits. It is
 * compared to a relative 1e-6; every other number exactly.
 */
const TOLERANT: ReadonlySet<keyof StepRecord> = new Set(["finalTrainLoss"]);

const same = (a: unknown, b: unknown, tolerant = false): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ||
  (typeof a === "number" && typeof b === "number" && ((Number.isNaN(a) && Number.isNaN(b)) || (tolerant && Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)))));

/** Differences between committed and recomputed records, field by field ("records[1].testAccuracy: 0.93 committed, 0.9301 recomputed"). */
export function recordDifferences(committed: readonly StepRecord[], recomputed: readonly StepRecord[]): string[] {
  const out: string[] = [];
  recomputed.forEach((r, i) => {
    const c = committed[i];
    if (!c) { out.push(`records[${i}]: not in the committed run`); return; }
    for (const f of COMPARED) {
      if (!same(c[f], r[f], TOLERANT.has(f))) out.push(`records[${i}].${f}: ${JSON.stringify(c[f])} committed, ${JSON.stringify(r[f])} recomputed`);
    }
  });
  return out;
}

export interface Verification {
  key: string;
  label: string;
  steps: number;
  differences: string[];
  seconds: number;
}

/** Re-runs the first `steps` steps of a committed run (its own stored config) in a scratch store and compares. */
export async function verifyCommittedRun(def: SweepDefinition, committed: RunResult, steps: number): Promise<Verification> {
  const config: AlRunConfig = committed.config;
  const label = `${config.strategy} b=${config.acquireSize} seed ${config.seed}`;
  const k = Math.min(steps, config.steps + 1);
  const scratch = mkdtempSync(join(tmpdir(), "bal-verify-"));
  const started = performance.now();
  try {
    const store = new RunStore(scratch).ensureWritable();
    const ds = await def.dataset(config.dataset);
    const strategy = strategyByName(config.strategy, config.strategyOptions);
    let records: StepRecord[];
    let tuning: unknown;
    const runOptions = { store, modelFor: (o: ModelOptions) => def.model(config.model, o) };
    if (k > config.steps) {
      const whole = await runActiveLearning(ds, def.model(config.model, config.modelOptions), strategy, config, runOptions);
      records = whole!.records;
      tuning = whole!.tuning;
    } else {
      await runActiveLearning(ds, def.model(config.model, config.modelOptions), strategy, config, { ...runOptions, maxStepsThisCall: k });
      const ckpt = store.loadCheckpoint<{ records: StepRecord[]; tuning?: unknown }>(runKey(config))!;
      records = ckpt.records;
      tuning = ckpt.tuning;
    }
    const differences = recordDifferences(committed.records, records.slice(0, k));
    // The tuning's choices and trial numbers are recorded results too (config.tuning).
    if (JSON.stringify(committed.tuning ?? null) !== JSON.stringify(tuning ?? null)) differences.unshift(`tuning: recorded ${JSON.stringify(committed.tuning ?? null)}, now ${JSON.stringify(tuning ?? null)}`);
    return { key: committed.key, label, steps: k, differences, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Mean recorded seconds of a run's first `steps` steps (to pick the cheapest runs to verify). */
export function firstStepsSeconds(r: RunResult, steps: number): number {
  return r.records.slice(0, steps).reduce((s, x) => s + (x.seconds ? x.seconds.train + x.seconds.evaluate + x.seconds.acquire : 0), 0);
}
