// One active-learning run = (data, model factory, strategy, config, seed) -> per-step records.
// Protocol of Gal et al. as reproduced by Pilz: random validation set, balanced initial set,
// retrain from scratch every step, score a random pool subset with T MC-dropout passes, label
// the top k. Each finished step is checkpointed; a finished run is saved and never recomputed.
import * as tf from "@tensorflow/tfjs";
import { bald } from "../acquisition/scores";
import { Strategy } from "../acquisition/strategy";
import { ActivePool } from "../data/pool";
import { gatherRows, ImageDataset, rowSize } from "../data/types";
import { batchDiversity } from "../acquisition/diversity";
import { labelledInSampleSet } from "../acquisition/deimos";
import { McProbs, meanProbs } from "../acquisition/types";
import { mcProbabilities, predictEmbeddings, predictOutputs } from "../inference/mc";
import { inputGradientModel } from "../inference/input-gradients";
import { disposeModel } from "../models/classifiers";
import { BayesianModel, ModelFactory, ModelOptions } from "../models/types";
import { provenance } from "../results/provenance";
import { throwIfInterrupted } from "./interrupt";
import { RunLock, RunStore } from "../results/store";
import { Rng } from "../seeding/rng";
import { trainModel, TrainConfig, TensorPair } from "../training/train";
import { checkCheckpoint, checkRunAgainstData, checkRunConfig, checkStoredResult, runKey } from "./run-checks";
import { checkpointFromPrefix, extendable, findPrefixRun, sameStep } from "./extend";
import { AlRunConfig, Checkpoint, ExtendedFrom, ResumeState, RunResult, StepRecord } from "./run-types";
import { tuneHyperparameters, TuningResult } from "./tuning";
import { encodeWeights, restoreWeights } from "./weights";

export * from "./run-types";
export { checkRunAgainstData, checkRunConfig, runKey } from "./run-checks";

export interface RunOptions {
  store?: RunStore;
  /** Progress lines (step, accuracy, ETA). */
  log?: (line: string) => void;
  /** Stop after this many steps in this call (used to test resumption); the checkpoint stays. */
  maxStepsThisCall?: number;
  /** The run's network with other model options (needed by config.tuning, which tries dropout rates). */
  modelFor?: (options: ModelOptions) => ModelFactory;
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

/** The L2 penalty with weight C (lambda = C / N), for config.tuning. */
function withL2Weight(train: TrainConfig, c: number): TrainConfig {
  if (!train.l2) throw new Error("tuning.c needs train.l2 (the penalty whose C is tuned)");
  return { ...train, l2: { ...train.l2, c } };
}

/**
 * config.tuning on the initial labelled set (see ./tuning): every trial is a fresh network from its
 * own generator, so the run's stream is untouched and every strategy of a seed tunes alike.
 */
async function tuneRun(ds: ImageDataset, config: AlRunConfig, labelled: readonly number[], val: TensorPair, valY: Uint8Array,
  inputShape: number[], opts: RunOptions, log: (line: string) => void): Promise<TuningResult> {
  const modelFor = opts.modelFor;
  if (!modelFor) throw new Error(`run ${config.strategy} seed ${config.seed}: config.tuning needs RunOptions.modelFor (the network with other dropout rates)`);
  const initial = tensorPair(ds, "train", labelled, inputShape);
  try {
    return await tuneHyperparameters(config.tuning!, config.train.l2!.c, valY, async (dropout, c, trial) => {
      const rng = new Rng(`${config.seed}:tuning:${trial}`);
      const model = modelFor({ ...config.modelOptions, dropout })(rng);
      try {
        const train = withL2Weight(config.train, c);
        await trainModel(model, initial, train.keepBestValidation === false ? null : val, train, rng);
        return await mcProbabilities(model, val.x, { T: config.T, consistent: config.consistentMc, passSeeds: sideSeeds(`${config.seed}:tuning-mc:${trial}`, config.T) });
      } finally {
        disposeModel(model);
      }
    }, (line) => log(`${config.strategy} seed ${config.seed}: ${line}`));
  } finally {
    tf.dispose([initial.x, initial.y]);
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
  // No checkpoint: a finished shorter run of this config is where this one starts (see ./extend).
  const prefix = !stored && opts.store ? findPrefixRun(opts.store, config) : null;
  const ckpt = stored ? checkCheckpoint(stored, config, ds.numClasses, opts.store!.path(key, "checkpoint"))
    : prefix ? checkCheckpoint(checkpointFromPrefix(prefix, key, freshPool, ds.train.n), config, ds.numClasses, opts.store!.path(prefix.key, "result")) : null;
  if (prefix) log(`${config.strategy} seed ${config.seed}: extending the finished ${prefix.config.steps}-step run ${prefix.key} to ${config.steps} steps (its last step is recomputed, now with its acquisition)`);
  let extendedFrom: ExtendedFrom | undefined = stored?.extendedFrom;
  let resume: ResumeState | undefined;
  const pool = ckpt ? ActivePool.restore(ds.train.n, ckpt.pool) : freshPool;
  const rng = ckpt ? new Rng(0, ckpt.rng) : new Rng(`${config.seed}:run`);
  const records: StepRecord[] = ckpt ? ckpt.records : [];
  if (stored) log(`${config.strategy} seed ${config.seed}: resuming at step ${records.length} of ${config.steps}`);
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
  // config.tuning: the values chosen once, before step 0 (a resumed run reads them from its checkpoint).
  let tuned: TuningResult | undefined = ckpt?.tuning;
  try {
    if (config.tuning && !tuned) tuned = await tuneRun(ds, config, pool.labelled, val, valY, inputShape, opts, log);
    const stepModel: ModelFactory = tuned ? opts.modelFor!({ ...config.modelOptions, dropout: tuned.dropout }) : modelFactory;
    const trainConfig = tuned ? withL2Weight(config.train, tuned.c) : config.train;
    if (continued && ckpt?.weights) {
      kept = stepModel(new Rng(0));
      restoreWeights(kept, ckpt.weights, opts.store!.path(key, "checkpoint"));
    }
    for (let step = records.length; step <= config.steps; step++) {
      if (opts.maxStepsThisCall !== undefined && stepsThisCall >= opts.maxStepsThisCall) return null;
      const t0 = performance.now();
      // The state a longer run of this config starts from (the last step only skips the acquisition).
      if (step === config.steps && extendable(config)) resume = { rng: rng.state(), ...(strategy.state ? { strategyState: strategy.state() } : {}) };
      const model = kept ?? stepModel(rng);
      if (continued) kept = model;
      const labelledCount = pool.labelled.length;
      const train = tensorPair(ds, "train", pool.labelled, inputShape, records[records.length - 1]?.pseudoLabelled);
      // Pilz's code draws a fresh test subset at every step (from the run's stream, before training).
      const stepTestIdx = config.testSubsetPerStep && subsetTest ? rng.sample(allTest, config.testSubset).sort((a, b) => a - b) : null;
      const test = stepTestIdx ? tensorPair(ds, "test", stepTestIdx, inputShape) : fixedTest;
      const testY = stepTestIdx ? gatherRows(ds.test, stepTestIdx, rowSize(ds)).y : fixedTestY;
      let record: StepRecord;
      try {
        const fit = await trainModel(model, train, trainConfig.keepBestValidation === false ? null : val, trainConfig, rng);
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
          let probsSeeds: number[] | undefined;
          if (strategy.needsProbs && strategy.predictions === "deterministic") {
            probs = deterministicProbs(await predictOutputs(model, candidateInputs!), ds.numClasses);
          } else if (strategy.needsProbs) {
            probsSeeds = Array.from({ length: config.T }, () => rng.seed());
            probs = await mcProbabilities(model, candidateInputs!, { T: config.T, consistent: config.consistentMc, passSeeds: probsSeeds, batchNorm: config.mcBatchNorm, chunk: config.mcBatchSize });
          }
          // DEIMOS' sample set: the labelled points App. D's draw from X_train ∪ X_pool includes (a side
          // generator, so the run's stream is untouched), predicted with the candidates' masks (same pass seeds).
          let labelledProbs: McProbs | undefined;
          if (strategy.needsLabelledProbs && probsSeeds) {
            const side = new Rng(`${config.seed}:sample-set:${step}`);
            const drawn = side.sample(pool.labelled, labelledInSampleSet(pool.labelled.length, pool.pool().length, candidates.length, side));
            labelledProbs = drawn.length === 0 ? { T: config.T, N: 0, C: ds.numClasses, data: new Float32Array(0) } : await mcProbabilities(model, gatherRows(ds.train, drawn, rowSize(ds)).x,
              { T: config.T, consistent: config.consistentMc, passSeeds: probsSeeds, batchNorm: config.mcBatchNorm, chunk: config.mcBatchSize });
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
            probs, n: candidates.length, rng, round: step + 1, embeddings, labelledProbs,
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
      if (prefix && step === prefix.config.steps) {
        extendedFrom = { key: prefix.key, steps: step, lastStepIdentical: sameStep(record, prefix.records[step]) };
        if (!extendedFrom.lastStepIdentical) log(`${config.strategy} seed ${config.seed}: step ${step} recomputed differs from run ${prefix.key}'s (another backend or code version?); recorded in extendedFrom`);
      }
      stepsThisCall++;
      opts.store?.saveCheckpoint(key, { key, pool: pool.snapshot(), records, rng: rng.state(), weights: continued ? await encodeWeights(model) : undefined,
        strategyState: strategy.state?.(), tuning: tuned, extendedFrom } satisfies Checkpoint);
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
  const result: RunResult = { key, config, records, backend: tf.getBackend(), finishedAt: new Date().toISOString(), provenance: provenance(tf.getBackend()),
    ...(tuned ? { tuning: tuned } : {}), ...(resume ? { resume } : {}), ...(extendedFrom ? { extendedFrom } : {}) };
  opts.store?.save(key, result);
  return result;
}
