// Checks of a run before any work: the config alone, the config against its dataset, and what the
// store holds for it (a finished result, a checkpoint). Each error names the run, field or file.
import { Strategy } from "../acquisition/strategy";
import { ImageDataset } from "../data/types";
import { configKey } from "../results/store";
import { AlRunConfig, Checkpoint, RunResult } from "./run-types";
import { tuningProblems } from "./tuning";

export function runKey(config: AlRunConfig): string {
  return configKey(config);
}

/**
 * Cross-field checks of a run config that need no data: every conflict fails before any training,
 * naming the run, the field and the value.
 */
export function checkRunConfig(config: AlRunConfig, strategy: Strategy): void {
  // Bounds on what would exhaust memory or time before any work (each a field name and its limit).
  const limits: [string, number | undefined, number, string][] = [
    ["T", config.T, 10_000, "the MC passes are held in memory, N x T x C floats"],
    ["testMcPasses", config.testMcPasses, 10_000, "the test passes are held in memory"],
    ["steps", config.steps, 100_000, "acquisition steps"],
    ["train.epochs", config.train?.epochs, 100_000, "epochs per fit"],
  ];
  for (const [field, value, max, why] of limits) {
    if (typeof value === "number" && value > max) throw new Error(`run config.${field}: ${value} is above the limit ${max.toLocaleString("en-US")} (${why})`);
  }
  const where = `run ${config.strategy} seed ${config.seed}`;
  if (strategy.needsConsistentMc && !config.consistentMc) {
    throw new Error(`${where}: strategy '${strategy.name}' needs consistent MC dropout: set consistentMc: true in the run config`);
  }
  if (config.poolSubset > 0 && config.acquireSize > config.poolSubset) {
    throw new Error(`${where}: acquireSize ${config.acquireSize} is larger than poolSubset ${config.poolSubset}`);
  }
  if (config.poolSize && config.steps * config.acquireSize > config.poolSize) {
    throw new Error(`${where}: ${config.steps} steps x ${config.acquireSize} need ${config.steps * config.acquireSize} pool points, poolSize is ${config.poolSize}`);
  }
  if (config.tuning) {
    const problems = tuningProblems(config.tuning, !!config.train?.l2);
    if (problems.length > 0) throw new Error(`${where}: ${problems.join("; ")}`);
  }
  if (config.testPrediction === "mc-mean" && (config.testMcPasses ?? config.T) < 1) {
    throw new Error(`${where}: testPrediction 'mc-mean' needs testMcPasses >= 1 (got ${config.testMcPasses})`);
  }
}

/** Checks of a run config against its dataset's sizes (before any training). */
export function checkRunAgainstData(config: AlRunConfig, ds: ImageDataset): void {
  const where = `run ${config.strategy} seed ${config.seed} on ${ds.name}`;
  const initial = config.initialPerClass * ds.numClasses;
  const needed = config.validationSize + initial + (config.poolSize || config.steps * config.acquireSize);
  if (needed > ds.train.n) {
    throw new Error(`${where}: validationSize ${config.validationSize} + initial set ${initial} + ${config.poolSize ? `poolSize ${config.poolSize}` : `${config.steps} x ${config.acquireSize} acquisitions`} = ${needed} exceed the ${ds.train.n} training examples`);
  }
  if (config.testSubset > ds.test.n) throw new Error(`${where}: testSubset ${config.testSubset} exceeds the ${ds.test.n} test examples`);
  // A balanced initial set needs initialPerClass examples of every class (found here, not at the split).
  if (!config.initialPoolPositions && config.initialSelection !== "random") {
    const counts = new Array<number>(ds.numClasses).fill(0);
    for (let i = 0; i < ds.train.n; i++) counts[ds.train.y[i]]++;
    const short = counts.findIndex((c) => c < config.initialPerClass);
    if (short >= 0) throw new Error(`${where}: initialPerClass ${config.initialPerClass} but class ${short} has only ${counts[short]} training examples`);
  }
}

/** A stored result must be the finished run of this config: its hash, and one record per step. */
export function checkStoredResult(r: RunResult, config: AlRunConfig, path: string): RunResult {
  const fail = (what: string) => new Error(`${path}: ${what}. Delete it to recompute that run.`);
  if (!r.config || configKey(r.config) !== runKey(config)) throw fail("its config is not the config of this run (edited or copied file?)");
  if (!Array.isArray(r.records) || r.records.length !== config.steps + 1) throw fail(`expected ${config.steps + 1} step records, found ${Array.isArray(r.records) ? r.records.length : "none"}`);
  return r;
}

/** A checkpoint must fit this run: its steps so far, the labelled set they imply, the validation set, the generator state. */
export function checkCheckpoint(c: Checkpoint, config: AlRunConfig, numClasses: number, path: string): Checkpoint {
  const fail = (what: string) => new Error(`${path}: ${what}. Delete it to restart that run from its first step.`);
  if (!Array.isArray(c.records) || c.records.length > config.steps) throw fail(`expected at most ${config.steps} finished steps, found ${Array.isArray(c.records) ? c.records.length : "none"}`);
  if (!c.pool || !Array.isArray(c.pool.labelled) || !Array.isArray(c.pool.validation)) throw fail("no labelled / validation index lists");
  const labelled = config.initialPerClass * numClasses + c.records.length * config.acquireSize;
  if (c.pool.labelled.length !== labelled) throw fail(`${c.pool.labelled.length} labelled indices, expected ${labelled} after ${c.records.length} steps`);
  if (c.pool.validation.length !== config.validationSize) throw fail(`${c.pool.validation.length} validation indices, expected ${config.validationSize}`);
  if (!c.rng || typeof c.rng !== "object") throw fail("no generator state");
  if (config.retrain === "continue" && c.records.length > 0 && typeof c.weights !== "string") throw fail("no network weights (retrain 'continue')");
  if (config.tuning && c.records.length > 0 && (!c.tuning || !Array.isArray(c.tuning.dropout) || typeof c.tuning.c !== "number")) throw fail("no tuning outcome (config.tuning)");
  return c;
}
