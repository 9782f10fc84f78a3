// One active-learning run = (data, model factory, strategy, config, seed) -> per-step records.
// Protocol of Gal et al. as reproduced by Pilz: random validation set, balanced initial set,
// retrain from scratch every step, score a random pool subset with T MC-dropout passes, label
// the top k. Each finished step is checkpointed; a finished run is saved and never recomputed.
import * as tf from "@tensorflow/tfjs";
import { bald } from "../acquisition/scores";
import { Strategy, StrategyOptions } from "../acquisition/strategy";
import { ActivePool, PoolSnapshot } from "../data/pool";
import { gatherRows, ImageDataset, rowSize } from "../data/types";
import { batchDiversity } from "../acquisition/diversity";
import { McProbs, meanProbs } from "../acquisition/types";
import { mcProbabilities, predictEmbeddings, predictOutputs } from "../inference/mc";
import { inputGradientModel } from "../inference/input-gradients";
import { disposeModel } from "../models/classifiers";
import { BayesianModel, ModelOptions } from "../models/types";
import { Provenance, provenance } from "../results/provenance";
import { throwIfInterrupted } from "./interrupt";
import { RunLock, RunStore, configKey } from "../results/store";
import { Rng, RngState } from "../seeding/rng";
import { trainModel, TrainConfig, TensorPair } from "../training/train";

export interface AlRunConfig {
  experiment: string;
  dataset: string;
  model: string;
  strategy: string;
  seed: number;
  initialPerClass: number;
  validationSize: number;
  /** Number of acquisition steps (records: steps + 1, the first before any acquisition). */
  steps: number;
  acquireSize: number;
  /** Random pool subset scored each step (0: the whole pool). */
  poolSubset: number;
  /** Random test subset for accuracy and mutual information (0: the whole test set). */
  testSubset: number;
  /** Draw a fresh random test subset at every step (Pilz's code) instead of one per run (default false). */
  testSubsetPerStep?: boolean;
  /**
   * How test accuracy is predicted: "deterministic" (dropout off; Keras' evaluate, the default) or
   * "mc-mean" (argmax of the mean softmax over the test MC passes, Pilz's code).
   */
  testPrediction?: "deterministic" | "mc-mean";
  /** Keep only a random `poolSize` of the training examples left after the splits as the pool (0/unset: all; Gal's code: 40,000). */
  poolSize?: number;
  /** Options of the named model (initialiser, dropout rates). */
  modelOptions?: ModelOptions;
  /**
   * The initial set as fixed positions in the pool left after the validation set (BatchBALD's code:
   * `mnist_initial_samples`); its length must be initialPerClass x classes. Unset: balanced random.
   */
  initialPoolPositions?: number[];
  /** The initial labelled set: "balanced" (initialPerClass of each class, the default) or "random" (initialPerClass x classes drawn uniformly, DeepAL+). */
  initialSelection?: "balanced" | "random";
  /** The data split (validation, initial set, pool, test subset) from this seed instead of `seed`: one split shared by every run (paper 000's code). */
  splitSeed?: number;
  /**
   * "from-scratch" (default): a freshly initialised network every step. "continue": one network for
   * the whole run, trained further at every step from the previous step's weights with a new
   * optimiser (skorch re-fitting a module instance, paper 000's code).
   */
  retrain?: "from-scratch" | "continue";
  /** Batch norm in the acquisition MC passes (default "inference"; see McOptions.batchNorm) and their chunk size. */
  mcBatchNorm?: "inference" | "batch-statistics";
  mcBatchSize?: number;
  /** Variants of the strategies' scores (authors' code behaviours), passed to strategyByName. */
  strategyOptions?: StrategyOptions;
  /** MC-dropout passes. */
  T: number;
  /** MC passes for the test mutual information (default T; 0 skips it: testMeanMI is then NaN). */
  testMcPasses?: number;
  consistentMc: boolean;
  train: TrainConfig;
}

export interface StepRecord {
  step: number;
  labelled: number;
  testAccuracy: number;
  /** Accuracy on the validation set (hyperparameter selection). */
  valAccuracy: number;
  /** Mean BALD over the test subset (NaN when testMcPasses is 0). */
  testMeanMI: number;
  /** Dataset indices acquired after this step's evaluation (empty on the last step). */
  acquired: number[];
  /** Mean symmetric KL between the predicted class distributions of the acquired batch (paper 004). */
  batchDiversity?: number;
  trainEpochs: number;
  /** Epoch whose weights were kept (-1: the final weights, no validation selection). */
  bestEpoch: number;
  /** Mean training loss of the last epoch (penalty included). */
  finalTrainLoss?: number;
  /**
   * Pool points the strategy pseudo-labelled after this step's query (CEAL): they join the next
   * step's training set with these labels; accuracy is against the true labels (never used in training).
   */
  pseudoLabelled?: { indices: number[]; labels: number[]; accuracy: number };
  valLoss: number;
  /** acquire = score (the strategy's model outputs: MC passes, embeddings, input gradients are inside select) + select + the batch-diversity probe. */
  seconds: { train: number; evaluate: number; acquire: number; score?: number; select?: number };
}

export interface RunResult {
  key: string;
  config: AlRunConfig;
  records: StepRecord[];
  backend: string;
  finishedAt: string;
  /** Code, backend, threads and host that produced the run (results written before 2026-11-28 lack it). */
  provenance?: Provenance;
}

interface Checkpoint {
  key: string;
  pool: PoolSnapshot;
  records: StepRecord[];
  rng: RngState;
  /** retrain "continue": every weight of the network after the last finished step (float32, base64). */
  weights?: string;
  /** The strategy's state after the last finished step (e.g. DEIMOS' fixed tau_s). */
  strategyState?: unknown;
}

/** Every weight of a network (trainable and batch-norm statistics) as base64 float32. */
async function encodeWeights(model: BayesianModel): Promise<string> {
  const values: Float32Array[] = [];
  for (const w of model.net.getWeights()) values.push((await w.data()) as Float32Array);
  const all = new Float32Array(values.reduce((a, v) => a + v.length, 0));
  let off = 0;
  for (const v of values) { all.set(v, off); off += v.length; }
  return Buffer.from(all.buffer).toString("base64");
}

function restoreWeights(model: BayesianModel, encoded: string, where: string): void {
  const bytes = Buffer.from(encoded, "base64");
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const shapes = model.net.getWeights().map((w) => w.shape);
  const total = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  if (all.length !== total) throw new Error(`${where}: the checkpoint holds ${all.length} weights, ${model.name} has ${total}. Delete it to restart that run from its first step.`);
  let off = 0;
  const tensors = shapes.map((shape) => {
    const size = shape.reduce((x, y) => x * y, 1);
    const t = tf.tensor(all.subarray(off, off + size), shape);
    off += size;
    return t;
  });
  model.net.setWeights(tensors);
  tf.dispose(tensors);
}

export interface RunOptions {
  store?: RunStore;
  /** Progress lines (step, accuracy, ETA). */
  log?: (line: string) => void;
  /** Stop after this many steps in this call (used to test resumption); the checkpoint stays. */
  maxStepsThisCall?: number;
}

function oneHot(y: Uint8Array, C: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(y), "int32"), C).toFloat() as tf.Tensor2D);
}

function tensorPair(ds: ImageDataset, split: "train" | "test", indices: readonly number[], inputShape: number[],
  pseudo?: { indices: readonly number[]; labels: readonly number[] }): TensorPair {
  const { x, y } = gatherRows(ds[split], pseudo ? [...indices, ...pseudo.indices] : indices, rowSize(ds));
  // Pseudo-labelled rows (CEAL) train on their predicted labels, never their true ones.
  if (pseudo) pseudo.labels.forEach((label, i) => { y[indices.length + i] = label; });
  return { x: tf.tensor(x, [y.length, ...inputShape]), y: oneHot(y, ds.numClasses) };
}

/** Fraction of rows whose largest score (logit or probability; first maximum wins) is the label. */
export function accuracy(scores: ArrayLike<number>, y: Uint8Array, C: number): number {
  let correct = 0;
  for (let n = 0; n < y.length; n++) {
    let arg = 0;
    for (let c = 1; c < C; c++) if (scores[n * C + c] > scores[n * C + arg]) arg = c;
    if (arg === y[n]) correct++;
  }
  return correct / y.length;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${s.toFixed(0)}s`;
  if (s < 5400) return `${(s / 60).toFixed(1)}min`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** Softmax of deterministic logits as McProbs with T = 1. */
function deterministicProbs(logits: Float32Array, C: number): McProbs {
  const data = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += C) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[i + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) { data[i + c] = Math.exp(logits[i + c] - max); sum += data[i + c]; }
    for (let c = 0; c < C; c++) data[i + c] /= sum;
  }
  return { T: 1, N: logits.length / C, C, data };
}

/** Mean predictive distributions of some candidates (rows of pbar). */
function subsetMeanProbs(p: McProbs, rows: readonly number[]): Float64Array {
  const pbar = meanProbs(p);
  const out = new Float64Array(rows.length * p.C);
  rows.forEach((r, i) => out.set(pbar.subarray(r * p.C, (r + 1) * p.C), i * p.C));
  return out;
}

function sideSeeds(seed: string, n: number): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.seed());
}

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
function checkStoredResult(r: RunResult, config: AlRunConfig, path: string): RunResult {
  const fail = (what: string) => new Error(`${path}: ${what}. Delete it to recompute that run.`);
  if (!r.config || configKey(r.config) !== runKey(config)) throw fail("its config is not the config of this run (edited or copied file?)");
  if (!Array.isArray(r.records) || r.records.length !== config.steps + 1) throw fail(`expected ${config.steps + 1} step records, found ${Array.isArray(r.records) ? r.records.length : "none"}`);
  return r;
}

/** A checkpoint must fit this run: its steps so far, the labelled set they imply, the validation set, the generator state. */
function checkCheckpoint(c: Checkpoint, config: AlRunConfig, numClasses: number, path: string): Checkpoint {
  const fail = (what: string) => new Error(`${path}: ${what}. Delete it to restart that run from its first step.`);
  if (!Array.isArray(c.records) || c.records.length > config.steps) throw fail(`expected at most ${config.steps} finished steps, found ${Array.isArray(c.records) ? c.records.length : "none"}`);
  if (!c.pool || !Array.isArray(c.pool.labelled) || !Array.isArray(c.pool.validation)) throw fail("no labelled / validation index lists");
  const labelled = config.initialPerClass * numClasses + c.records.length * config.acquireSize;
  if (c.pool.labelled.length !== labelled) throw fail(`${c.pool.labelled.length} labelled indices, expected ${labelled} after ${c.records.length} steps`);
  if (c.pool.validation.length !== config.validationSize) throw fail(`${c.pool.validation.length} validation indices, expected ${config.validationSize}`);
  if (!c.rng || typeof c.rng !== "object") throw fail("no generator state");
  if (config.retrain === "continue" && c.records.length > 0 && typeof c.weights !== "string") throw fail("no network weights (retrain 'continue')");
  return c;
}

/** Runs (or loads, or resumes) one active-learning run. */
export async function runActiveLearning(
  ds: ImageDataset,
  modelFactory: (rng: Rng) => BayesianModel,
  strategy: Strategy,
  config: AlRunConfig,
  opts: RunOptions = {},
): Promise<RunResult | null> {
  if (strategy.name !== config.strategy) throw new Error(`strategy '${strategy.name}' does not match config.strategy '${config.strategy}'`);
  checkRunConfig(config, strategy);
  checkRunAgainstData(config, ds);
  const key = runKey(config);
  const log = opts.log ?? (() => undefined);
  const store = opts.store;
  const done = store?.load<RunResult>(key);
  if (done) return checkStoredResult(done, config, store!.path(key, "result"));
  // One writer per run: a second process skips it and says who has it.
  const taken = store ? store.tryLock(key) : null;
  let lock: RunLock | null = null;
  if (taken instanceof RunLock) lock = taken;
  else if (taken) {
    log(`${config.strategy} seed ${config.seed}: skipped, run ${key} is in progress in process ${taken.pid} on ${taken.host} (since ${taken.since})`);
    return null;
  }
  try {
    return await runLocked(ds, modelFactory, strategy, config, key, opts, lock);
  } finally {
    if (lock) lock.release();
  }
}

async function runLocked(
  ds: ImageDataset, modelFactory: (rng: Rng) => BayesianModel, strategy: Strategy, config: AlRunConfig, key: string,
  opts: RunOptions, lock: RunLock | null,
): Promise<RunResult | null> {
  const log = opts.log ?? (() => undefined);
  // The run may have finished in another process between our first look and taking the lock.
  const finishedMeanwhile = opts.store?.load<RunResult>(key);
  if (finishedMeanwhile) return checkStoredResult(finishedMeanwhile, config, opts.store!.path(key, "result"));

  // The split depends on the seed alone, so every strategy of a seed shares it.
  const splitRng = new Rng(`${config.splitSeed ?? config.seed}:split`);
  const freshPool = ActivePool.galSplit(ds.train.y, ds.numClasses, config, splitRng);
  const testPasses = config.testMcPasses ?? config.T;
  const allTest = Array.from({ length: ds.test.n }, (_, i) => i);
  const subsetTest = config.testSubset > 0 && config.testSubset < ds.test.n;
  const testIdx = subsetTest ? splitRng.sample(allTest, config.testSubset).sort((a, b) => a - b) : allTest;

  const stored = opts.store?.loadCheckpoint<Checkpoint>(key);
  const ckpt = stored ? checkCheckpoint(stored, config, ds.numClasses, opts.store!.path(key, "checkpoint")) : null;
  const pool = ckpt ? ActivePool.restore(ds.train.n, ckpt.pool) : freshPool;
  const rng = ckpt ? new Rng(0, ckpt.rng) : new Rng(`${config.seed}:run`);
  const records: StepRecord[] = ckpt ? ckpt.records : [];
  if (ckpt) log(`${config.strategy} seed ${config.seed}: resuming at step ${records.length} of ${config.steps}`);
  if (ckpt && ckpt.strategyState !== undefined) {
    if (!strategy.restore) throw new Error(`${opts.store!.path(key, "checkpoint")}: holds a strategy state, but strategy '${strategy.name}' keeps none. Delete it to restart that run from its first step.`);
    strategy.restore(ckpt.strategyState);
  }

  const probeModel = modelFactory(new Rng(0));
  const inputShape = probeModel.inputShape;
  disposeModel(probeModel);
  const val = tensorPair(ds, "train", pool.validation, inputShape);
  const fixedTest = tensorPair(ds, "test", testIdx, inputShape);
  const fixedTestY = gatherRows(ds.test, testIdx, rowSize(ds)).y;
  const valY = gatherRows(ds.train, pool.validation, rowSize(ds)).y;
  const started = performance.now();
  let stepsThisCall = 0;
  const continued = config.retrain === "continue";
  // retrain "continue": the one network of the run, restored from the checkpoint when resuming
  // (built from a throwaway generator so that the run's stream stays where the checkpoint left it).
  let kept: BayesianModel | null = null;
  if (continued && ckpt?.weights) {
    kept = modelFactory(new Rng(0));
    restoreWeights(kept, ckpt.weights, opts.store!.path(key, "checkpoint"));
  }
  try {
    for (let step = records.length; step <= config.steps; step++) {
      if (opts.maxStepsThisCall !== undefined && stepsThisCall >= opts.maxStepsThisCall) return null;
      const t0 = performance.now();
      const model = kept ?? modelFactory(rng);
      if (continued) kept = model;
      const labelledCount = pool.labelled.length;
      const train = tensorPair(ds, "train", pool.labelled, inputShape, records[records.length - 1]?.pseudoLabelled);
      // Pilz's code draws a fresh test subset at every step (from the run's stream, before training).
      const stepTestIdx = config.testSubsetPerStep && subsetTest ? rng.sample(allTest, config.testSubset).sort((a, b) => a - b) : null;
      const test = stepTestIdx ? tensorPair(ds, "test", stepTestIdx, inputShape) : fixedTest;
      const testY = stepTestIdx ? gatherRows(ds.test, stepTestIdx, rowSize(ds)).y : fixedTestY;
      let record: StepRecord;
      try {
        const fit = await trainModel(model, train, config.train.keepBestValidation === false ? null : val, config.train, rng);
        const t1 = performance.now();
        let testAccuracy = config.testPrediction === "mc-mean" ? NaN : accuracy(await predictOutputs(model, test.x), testY, ds.numClasses);
        const valAccuracy = accuracy(await predictOutputs(model, val.x), valY, ds.numClasses);
        let testMeanMI = NaN;
        if (testPasses > 0) {
          const passSeeds = Array.from({ length: testPasses }, () => rng.seed());
          const testProbs = await mcProbabilities(model, test.x, { T: testPasses, consistent: config.consistentMc, passSeeds });
          const testMI = bald(testProbs);
          testMeanMI = testMI.reduce((a, b) => a + b, 0) / testMI.length;
          if (config.testPrediction === "mc-mean") testAccuracy = accuracy(meanProbs(testProbs), testY, ds.numClasses);
        }
        const t2 = performance.now();
        let acquired: number[] = [];
        let batchDiversityValue: number | undefined;
        let pseudoLabelled: StepRecord["pseudoLabelled"];
        let scoreSeconds: number | undefined, selectSeconds: number | undefined;
        if (step < config.steps) {
          const candidates = pool.poolSubset(config.poolSubset, rng);
          const candidateInputs = strategy.needsProbs || strategy.needsInputGradients || strategy.needsEmbeddings ? gatherRows(ds.train, candidates, rowSize(ds)).x : undefined;
          let probs: McProbs | null = null;
          if (strategy.needsProbs && strategy.predictions === "deterministic") {
            probs = deterministicProbs(await predictOutputs(model, candidateInputs!), ds.numClasses);
          } else if (strategy.needsProbs) {
            const seeds = Array.from({ length: config.T }, () => rng.seed());
            probs = await mcProbabilities(model, candidateInputs!, { T: config.T, consistent: config.consistentMc, passSeeds: seeds, batchNorm: config.mcBatchNorm, chunk: config.mcBatchSize });
          }
          let embeddings;
          if (strategy.needsEmbeddings) {
            const cand = await predictEmbeddings(model, candidateInputs!, strategy.needsEmbeddings);
            const lab = await predictEmbeddings(model, train.x, strategy.needsEmbeddings);
            embeddings = { candidates: cand.data, labelled: lab.data, dim: cand.dim };
          }
          let validationProbs: Promise<McProbs> | null = null;
          const passes = { T: config.T, consistent: config.consistentMc, passSeeds: sideSeeds(`${config.seed}:validation:${step}`, config.T) };
          const tScored = performance.now();
          scoreSeconds = (tScored - t2) / 1000;
          const ctx = {
            probs, n: candidates.length, rng, round: step + 1, embeddings,
            validationProbs: strategy.needsValidationProbs ? () => (validationProbs ??= mcProbabilities(model, val.x, passes)) : undefined,
            inputModel: strategy.needsInputGradients ? inputGradientModel(model) : undefined,
            candidateInputs: strategy.needsInputGradients ? candidateInputs : undefined,
          };
          const picked = await strategy.select(ctx, config.acquireSize);
          acquired = picked.map((i) => candidates[i]);
          if (strategy.pseudoLabels) {
            const { positions, labels } = strategy.pseudoLabels(ctx, picked);
            const indices = positions.map((i) => candidates[i]);
            const correct = indices.filter((idx, i) => ds.train.y[idx] === labels[i]).length;
            pseudoLabelled = { indices, labels, accuracy: indices.length > 0 ? correct / indices.length : NaN };
          }
          selectSeconds = (performance.now() - tScored) / 1000;
          // Diversity needs predictions of the batch; strategies that did not ask for them get MC
          // passes of the picked points from a side generator (the run's stream stays untouched).
          const batchProbs = probs ? subsetMeanProbs(probs, picked) : meanProbs(await mcProbabilities(model,
            gatherRows(ds.train, acquired, rowSize(ds)).x,
            { T: config.T, consistent: config.consistentMc, passSeeds: sideSeeds(`${config.seed}:diversity:${step}`, config.T) }));
          batchDiversityValue = batchDiversity(batchProbs, ds.numClasses);
          pool.label(acquired);
        }
        const t3 = performance.now();
        record = {
          step, labelled: labelledCount, testAccuracy, valAccuracy, testMeanMI, acquired, batchDiversity: batchDiversityValue,
          trainEpochs: fit.epochs, bestEpoch: fit.bestEpoch, valLoss: fit.bestValLoss, finalTrainLoss: fit.finalTrainLoss,
          // Only CEAL-like strategies record pseudo-labels (no undefined key: a resumed run reads records back from JSON).
          ...(pseudoLabelled ? { pseudoLabelled } : {}),
          seconds: { train: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000, acquire: (t3 - t2) / 1000, score: scoreSeconds, select: selectSeconds },
        };
      } finally {
        if (!continued) disposeModel(model);
        tf.dispose([train.x, train.y]);
        if (test !== fixedTest) tf.dispose([test.x, test.y]);
      }
      records.push(record);
      stepsThisCall++;
      opts.store?.saveCheckpoint(key, { key, pool: pool.snapshot(), records, rng: rng.state(), weights: continued ? await encodeWeights(model) : undefined,
        strategyState: strategy.state?.() } satisfies Checkpoint);
      lock?.heartbeat();
      const perStep = (performance.now() - started) / 1000 / stepsThisCall;
      const stepSeconds = (performance.now() - t0) / 1000;
      log(`${config.strategy} seed ${config.seed} step ${step}/${config.steps}: ${record.labelled} labelled, ` +
        // Runs with testMcPasses 0 compute no test mutual information: say nothing rather than "MI NaN".
        `test acc ${(record.testAccuracy * 100).toFixed(2)}%, ${Number.isNaN(record.testMeanMI) ? "" : `MI ${record.testMeanMI.toFixed(4)}, `}` +
        `${stepSeconds.toFixed(1)}s/step, ETA ${formatSeconds(perStep * (config.steps - step))}`);
      // Let the event loop breathe (notebook output, signals) between steps; stop here on an interrupt.
      await new Promise((r) => setImmediate(r));
      throwIfInterrupted(`${config.strategy} seed ${config.seed} after step ${step}`);
    }
  } finally {
    if (kept) disposeModel(kept);
    tf.dispose([val.x, val.y, fixedTest.x, fixedTest.y]);
  }
  const result: RunResult = { key, config, records, backend: tf.getBackend(), finishedAt: new Date().toISOString(), provenance: provenance(tf.getBackend()) };
  opts.store?.save(key, result);
  return result;
}
