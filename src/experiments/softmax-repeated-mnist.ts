// Stochastic batch acquisition (paper 002) on RepeatedMNIST: top-k BALD / EPIG vs their Softmax
// variants vs BatchBALD, for several acquisition sizes; Table 1 (quantiles of the samples needed to
// reach 90% / 95% test accuracy), the accuracy curves (Figure 1) and the SoftmaxBALD temperature
// ablation (Figure 2).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../data/files";
import { loadRepeatedMnist, RepeatedMnistOptions, repeatedMnistName } from "../data/repeated-mnist";
import { PlotlyFigure, curvesWithBands } from "../figures/plotly";
import { AlRunConfig, RunResult } from "../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../loop/sweep";
import { optional, OPTIONAL_RUN_FIELDS, TRAIN_SCHEMA, validateConfig, Schema } from "../loop/validate";
import { Follows } from "../report/protocol";
import { imageModel } from "../models/classifiers";
import { BudgetUnit, BUDGET_UNIT_LABEL, Curve, mean, quantile, samplesToReach, std } from "../report/metrics";
import { BandSeries } from "../figures/plotly";
import { Claim, decideClaim, fewer } from "../report/claims";
import { band, curveOf, groupRuns, profileSubtitle, testAccuracyOf } from "../report/runs";
import { formatNumber, Row } from "../report/tables";

export interface StrategyArm {
  strategy: string;
  /** Acquisition sizes this strategy runs at. */
  sizes: number[];
  /** MC samples K for this arm (default run.T; the authors' code: 100 for BatchBALD, max(20, b) otherwise). */
  T?: number;
  /** The paper's Table 1 row this arm is compared with (default: its strategy name without parameters). */
  paperRow?: string;
}

export interface SoftmaxExperimentConfig {
  profile: string;
  reduced: boolean;
  /** Where the draft's text and the authors' code differ, which one this profile follows. */
  follows: Follows;
  /** Points cut on purpose (reference profile), by protocol row name, with the reason. */
  cuts?: Record<string, string>;
  description: string;
  model: "lenet5" | "keras-cnn" | "bayesian-mnist-cnn";
  data: RepeatedMnistOptions;
  arms: StrategyArm[];
  /** SoftmaxBALD temperature ablation (Figure 2): betas at one acquisition size. */
  ablation: { acquireSize: number; betas: number[]; seeds: number[] };
  seeds: number[];
  /**
   * Stop once the training set (initial set included) reaches this size, as the authors' code does
   * (`training_set_size >= max_training_set` after training): 300 -> 280 acquired for b <= 20, 300 for b = 50.
   */
  maxTrainingSet: number;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset" | "steps" | "acquireSize">;
  /** Accuracy targets of Table 1 (the paper's: 0.9 and 0.95). */
  accuracyTargets: number[];
}

const PAPER_SIZES = [5, 10, 20, 50];
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
const PAPER_RUN: SoftmaxExperimentConfig["run"] = {
  initialPerClass: 2, validationSize: 5000, poolSubset: 0, testSubset: 0, T: 100, consistentMc: true,
  train: { epochs: 30, batchSize: 64, epochSamples: 5056, patience: 3, loss: "softmax-cross-entropy", optimizer: ADAM },
};
/** BatchBALD's `mnist_initial_samples`, which the authors' code acquires as positions in the pool left after the validation set. */
export const BATCHBALD_INITIAL_POSITIONS = [38043, 40091, 17418, 2094, 39879, 3133, 5011, 40683, 54379, 24287, 9849, 59305, 39508, 39356, 8758, 52579, 13655, 7636, 21562, 41329];
/**
 * What BlackHC/active_learning_redux ran for the draft's Table 1 (batchbald_redux/experiment.py and
 * the run configs of results/arxiv_draft_report): BayesianMNISTCNN, Adam with weight_decay 5e-4 on
 * every parameter, batch 64, 24,576 samples per epoch, at most 10 epochs with patience 3 (restoring
 * the best), validation 4,096, test accuracy from 4 MC samples on the 10,000 test images.
 */
const AUTHORS_RUN: SoftmaxExperimentConfig["run"] = {
  // validation_split_random_state=0 in every RepeatedMNIST config: one split, hence one initial set, for all runs.
  splitSeed: 0,
  initialPerClass: 2, initialPoolPositions: BATCHBALD_INITIAL_POSITIONS, validationSize: 4096, poolSubset: 0, testSubset: 0, T: 20, consistentMc: true,
  testPrediction: "mc-mean", testMcPasses: 4,
  train: { epochs: 10, batchSize: 64, epochSamples: 24576, patience: 3, loss: "softmax-cross-entropy", optimizer: ADAM, l2: { c: 2.5e-4, layers: "all", fixed: true } },
};

export const SOFTMAX_PROFILES: Record<string, SoftmaxExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false, follows: "paper", model: "lenet5",
    description: "Paper 002 / Kirsch et al. 2019 protocol: RepeatedMNIST x2 (noise 0.1), LeNet-5, initial 20, until the training set reaches 300, " +
      "the whole pool scored with K=100 consistent MC samples, validation 5,000, Adam 1e-3, batch 64, 5,056 samples/epoch, " +
      "up to 30 epochs with patience 3, 5 seeds; ablation: SoftmaxBALD b=10 at 6 temperatures",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0 },
    arms: [
      { strategy: "bald", sizes: PAPER_SIZES },
      { strategy: "epig", sizes: PAPER_SIZES },
      { strategy: "batchbald", sizes: [5, 10] },
      { strategy: "softmax-bald", sizes: PAPER_SIZES },
      { strategy: "softmax-epig", sizes: PAPER_SIZES },
      { strategy: "power-bald", sizes: [10] },
      { strategy: "softrank-bald", sizes: [10] },
      { strategy: "random", sizes: [10] },
    ],
    ablation: { acquireSize: 10, betas: [0.1, 0.5, 1, 2, 4, 8], seeds: [1, 2, 3, 4, 5] },
    seeds: [1, 2, 3, 4, 5], maxTrainingSet: 300, run: PAPER_RUN, accuracyTargets: [0.9, 0.95],
  },
  "authors-code": {
    profile: "authors-code", reduced: false, follows: "authors-code", model: "bayesian-mnist-cnn",
    description: "What the authors' code ran for the draft's Table 1 (BlackHC/active_learning_redux): BayesianMNISTCNN, RepeatedMNIST x2, " +
      "BatchBALD's fixed initial positions, the whole pool scored with K=20 MC samples (BatchBALD 100, b=50 50), 'SoftmaxBALD' as p ~ score^8 " +
      "without replacement, Adam with weight decay 5e-4, 24,576 samples/epoch, at most 10 epochs (patience 3), validation 4,096, test accuracy " +
      "from 4 MC samples, until the training set reaches 300, 5 seeds",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0 },
    arms: [
      { strategy: "bald", sizes: [5, 10, 20] },
      { strategy: "bald", sizes: [50], T: 50 },
      { strategy: "batchbald", sizes: [5, 10], T: 100 },
      { strategy: "power-bald(beta=8)", sizes: [5, 10, 20], paperRow: "softmax-bald" },
      { strategy: "power-bald(beta=8)", sizes: [50], T: 50, paperRow: "softmax-bald" },
      { strategy: "random", sizes: [5] },
    ],
    ablation: { acquireSize: 10, betas: [], seeds: [] },
    seeds: [1, 2, 3, 4, 5], maxTrainingSet: 300, run: AUTHORS_RUN, accuracyTargets: [0.9, 0.95],
  },
  reference: {
    profile: "reference", reduced: false, follows: "authors-code", model: "bayesian-mnist-cnn",
    description: "Reference runs (committed in reference-results/softmax-repeated-mnist/): 'authors-code' cut to Table 1's b = 50 column " +
      "(BALD, SoftmaxBALD as p ~ score^8, Random; K = 50, until the training set reaches 300, i.e. 320 after the last batch), seeds 1-3",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0 },
    arms: [
      { strategy: "bald", sizes: [50], T: 50 },
      { strategy: "power-bald(beta=8)", sizes: [50], T: 50, paperRow: "softmax-bald" },
      { strategy: "random", sizes: [50], T: 50 },
    ],
    ablation: { acquireSize: 10, betas: [], seeds: [] },
    seeds: [1, 2, 3], maxTrainingSet: 300, run: AUTHORS_RUN, accuracyTargets: [0.9, 0.95],
    cuts: {
      "Acquisition functions and sizes": "Table 1's b = 50 column only (BALD, SoftmaxBALD, Random), to fit 2 CPU cores",
      Repetitions: "3 seeds of the paper's 5 trials, to fit 2 CPU cores",
      "MC dropout samples": "K = 50 at b = 50, as the code's max(20, b)",
    },
  },
  smoke: {
    profile: "smoke", reduced: true, follows: "paper", model: "lenet5",
    description: "REDUCED smoke configuration: RepeatedMNIST x2 (noise 0.1), LeNet-5, to a training set of 60 with sizes 10 and 20, " +
      "K=10, pool subset 500, validation 500, test subset 500, 512 samples/epoch, up to 6 epochs (patience 3), 2 seeds; " +
      "ablation: SoftmaxBALD b=10 at beta 0.5 and 4",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0 },
    arms: [
      { strategy: "bald", sizes: [10, 20] },
      { strategy: "batchbald(M=1000)", sizes: [10] },
      { strategy: "softmax-bald", sizes: [10, 20] },
      { strategy: "softmax-epig(targets=50)", sizes: [10] },
      { strategy: "random", sizes: [10] },
    ],
    ablation: { acquireSize: 10, betas: [0.5, 4], seeds: [1, 2] },
    seeds: [1, 2], maxTrainingSet: 60,
    run: { ...PAPER_RUN, validationSize: 500, poolSubset: 500, testSubset: 500, T: 10, train: { ...PAPER_RUN.train, epochs: 6, epochSamples: 512 } },
    accuracyTargets: [0.55, 0.65],
  },
};

const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", follows: ["paper", "authors-code"], cuts: optional("object"), description: "string", model: ["lenet5", "keras-cnn", "bayesian-mnist-cnn"],
  data: { copies: "positive integer", noiseStd: "number", noiseSeed: "number" },
  arms: "object", ablation: { acquireSize: "positive integer", betas: "number[]", seeds: "number[]" },
  seeds: "non-empty number[]", maxTrainingSet: "positive integer", accuracyTargets: "number[]",
  run: {
    initialPerClass: "positive integer", validationSize: "positive integer", poolSubset: "non-negative integer",
    testSubset: "non-negative integer", T: "positive integer", consistentMc: "boolean", ...OPTIONAL_RUN_FIELDS, train: TRAIN_SCHEMA,
  },
};

export function softmaxProfile(name: string): SoftmaxExperimentConfig {
  const p = SOFTMAX_PROFILES[name];
  if (!p) throw new Error(`softmax-repeated-mnist: unknown profile '${name}' (expected one of ${Object.keys(SOFTMAX_PROFILES).join(", ")})`);
  return structuredClone(p);
}

/** Acquisition steps until the training set reaches maxTrainingSet (the last step's batch may overshoot it). */
export function stepsToReach(maxTrainingSet: number, initial: number, acquireSize: number): number {
  if (maxTrainingSet <= initial) throw new Error(`softmax-repeated-mnist config.maxTrainingSet: ${maxTrainingSet} is not above the initial set of ${initial}`);
  return Math.ceil((maxTrainingSet - initial) / acquireSize);
}

function runConfig(cfg: SoftmaxExperimentConfig, strategy: string, acquireSize: number, seed: number, T = cfg.run.T): AlRunConfig {
  return {
    experiment: "softmax-repeated-mnist", dataset: repeatedMnistName(cfg.data), model: cfg.model, strategy, seed,
    ...cfg.run, T, steps: stepsToReach(cfg.maxTrainingSet, 10 * cfg.run.initialPerClass, acquireSize), acquireSize,
  };
}

export const ablationStrategy = (beta: number) => `softmax-bald(beta=${beta})`;

/** Main grid (arm x size x seed), then the ablation runs not already in it. */
export function softmaxRunConfigs(cfg: SoftmaxExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, SCHEMA, "softmax-repeated-mnist config");
  if (!Array.isArray(cfg.arms) || cfg.arms.length === 0) throw new Error("softmax-repeated-mnist config.arms: expected a non-empty array of { strategy, sizes }");
  cfg.arms.forEach((a, i) => validateConfig(a, { strategy: "string", sizes: "non-empty number[]", T: optional("positive integer"), paperRow: optional("string") }, `softmax-repeated-mnist config.arms[${i}]`));
  const runs = cfg.seeds.flatMap((seed) => cfg.arms.flatMap((arm) => arm.sizes.map((b) => runConfig(cfg, arm.strategy, b, seed, arm.T))));
  const ab = cfg.ablation;
  runs.push(...ab.seeds.flatMap((seed) => ab.betas.map((beta) => runConfig(cfg, ablationStrategy(beta), ab.acquireSize, seed))));
  return runs;
}

export function softmaxSweep(cfg: SoftmaxExperimentConfig): SweepDefinition {
  return {
    experiment: "softmax-repeated-mnist", profile: cfg.profile, runs: softmaxRunConfigs(cfg),
    dataset: (name) => {
      if (name !== repeatedMnistName(cfg.data)) throw new Error(`softmax-repeated-mnist: run asks for dataset '${name}', config has '${repeatedMnistName(cfg.data)}'`);
      return loadRepeatedMnist(cfg.data);
    },
    model: (name, options) => imageModel(name, options),
  };
}

export function runSoftmaxSweep(cfg: SoftmaxExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(softmaxSweep(cfg), opts);
}

export function collectSoftmaxResults(cfg: SoftmaxExperimentConfig) {
  return collectRuns(softmaxSweep(cfg));
}

/** Paper 002 Table 1: 25/50/75% quantiles of the training-set size (initial 20 included) to reach 90% / 95% accuracy. */
export const PAPER_TABLE1: Record<string, Record<number, [string, string] | null>> = {
  bald: { 5: ["172.5/200/212.5", "∞"], 10: ["217.5/230/270", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  epig: { 5: ["170/210/220", "∞"], 10: ["220/220/240", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  batchbald: { 5: ["108.75/115/117.5", "260/282.5/∞"], 10: ["130/140/160", "300/∞/∞"], 20: null, 50: null },
  "batch-epig": { 5: ["90/110/110", "205/215/240"], 10: ["110/120/120", "260/270/270"], 20: null, 50: null },
  "softmax-bald": { 5: ["102.5/105/108.75", "248.75/262.5/273.75"], 10: ["110/110/130", "240/260/260"], 20: ["120/120/140", "260/280/300"], 50: ["170/170/220", "320/320/∞"] },
  "softmax-epig": { 5: ["100/110/110", "225/230/230"], 10: ["110/110/110", "270/280/290"], 20: ["140/140/140", "∞"], 50: ["170/170/170", "∞"] },
};
/** The paper's names of its Table 1 rows. */
export const PAPER_ROW_LABELS: Record<string, string> = {
  bald: "BALD", epig: "EPIG-BALD", batchbald: "BatchBALD", "batch-epig": "BatchEPIG-BALD", "softmax-bald": "SoftmaxBALD", "softmax-epig": "SoftmaxEPIG-BALD",
};
/** Rows of the paper's Table 1 no strategy here implements. */
export const NOT_IMPLEMENTED_ROWS: Record<string, string> = { "batch-epig": "not implemented (BatchEPIG-BALD)" };

/** The paper's row for an arm: its paperRow, else its strategy name without parameters ("batchbald(M=1000)" -> "batchbald"). */
export function paperRowName(arm: { strategy: string; paperRow?: string } | string): string {
  if (typeof arm !== "string" && arm.paperRow) return arm.paperRow;
  return (typeof arm === "string" ? arm : arm.strategy).replace(/\(.*\)$/, "");
}

/** A quantile as in the paper's table: up to two decimals, no trailing zeros, ∞ when never reached. */
export function formatQuantile(x: number): string {
  if (!Number.isFinite(x)) return "∞";
  return String(Math.round(x * 100) / 100);
}

/** The unit of Table 1 and of the curves: the training-set size, initial set included (the paper's). */
export const SOFTMAX_UNIT: BudgetUnit = "training-set";

/** "q25/q50/q75" of the training-set size each curve needs to reach `target` (linear quantiles, as pandas). */
export function quantileCellOfCurves(curves: readonly Curve[], target: number): string {
  const needed = curves.map((c) => samplesToReach(c, target));
  return [0.25, 0.5, 0.75].map((q) => formatQuantile(quantile(needed, q))).join("/");
}

/** "q25/q50/q75" of the training-set size each run needs to reach `target`. */
export function quantileCell(results: readonly RunResult[], target: number): string {
  return quantileCellOfCurves(results.map((r) => curveOf(r, SOFTMAX_UNIT)), target);
}

/** The authors' runs behind the draft's Table 1 (published/stochastic_002_draft_table1_runs.json; see its README). */
export interface PublishedSoftmaxRun {
  row: string;
  code: string;
  acquisition_size: number | null;
  temperature_exponent: number | null;
  seed: number;
  train_size: number[];
  test_acc: number[];
}

export function loadSoftmaxPublished(path = join(PROJECT_ROOT, "published", "stochastic_002_draft_table1_runs.json")): PublishedSoftmaxRun[] {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { runs: PublishedSoftmaxRun[] }).runs;
  } catch (e) {
    throw new Error(`Cannot read the authors' published runs ${path}: ${(e as Error).message}`);
  }
}

/** The authors' curves of one Table 1 row at one size (random runs serve every size, as in their notebook). */
export function publishedCurves(runs: readonly PublishedSoftmaxRun[], row: string, b: number): Curve[] {
  return runs.filter((r) => r.row === row && (row === "random" || r.acquisition_size === b)).map((r) => ({ budget: r.train_size, accuracy: r.test_acc }));
}

/** Mean ± std of the authors' curves (dashed in the figures), up to the shortest run. */
function publishedSeries(name: string, curves: readonly Curve[]): BandSeries {
  const len = Math.min(...curves.map((c) => c.budget.length));
  const x = curves[0].budget.slice(0, len);
  return { name: `${name} (authors' runs, n=${curves.length})`, x, mean: x.map((_, i) => mean(curves.map((c) => c.accuracy[i]))), spread: x.map((_, i) => std(curves.map((c) => c.accuracy[i]))), dash: "dash" };
}

const armKey = (strategy: string, b: number, T: number) => `${strategy}|${b}|${T}`;

/**
 * Table 1: our quantiles at our targets beside the paper's at 90% / 95%, in training-set size. Rows of
 * the paper with no arm here say "not implemented" or "not in this profile"; cells the paper has no
 * number for say "no paper number".
 */
export function table1(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Row[] {
  const groups = groupRuns(results, (r) => armKey(r.config.strategy, r.config.acquireSize, r.config.T));
  const sizes = [...new Set([...PAPER_SIZES, ...cfg.arms.flatMap((a) => a.sizes)])].sort((a, b) => a - b);
  const rowNames = [...new Set([...cfg.arms.map((a) => paperRowName(a)), ...Object.keys(PAPER_TABLE1)])];
  return rowNames.map((rowName) => {
    const arms = cfg.arms.filter((a) => paperRowName(a) === rowName);
    const row: Row = { "Acquisition function": [PAPER_ROW_LABELS[rowName] ?? rowName, ...new Set(arms.map((a) => a.strategy))].filter((v, i, all) => all.indexOf(v) === i).join(" — ") };
    for (const b of sizes) {
      const arm = arms.find((a) => a.sizes.includes(b));
      const runs = arm ? groups.get(armKey(arm.strategy, b, arm.T ?? cfg.run.T)) : undefined;
      const missing = NOT_IMPLEMENTED_ROWS[rowName] ?? (arms.length ? "not run" : "not in this profile");
      for (const target of cfg.accuracyTargets) row[`b=${b} ${Math.round(target * 100)}% (ours)`] = runs ? quantileCell(runs, target) : missing;
      const paper = PAPER_TABLE1[rowName]?.[b];
      row[`b=${b} 90% (paper)`] = paper ? paper[0] : "no paper number";
      row[`b=${b} 95% (paper)`] = paper ? paper[1] : "no paper number";
    }
    return row;
  });
}

/**
 * Figure 1 per acquisition size; for the authors-code profile (their configuration) the authors' mean
 * curves of the same rows are drawn dashed beside ours.
 */
export function softmaxFigures(cfg: SoftmaxExperimentConfig, results: readonly RunResult[], published: readonly PublishedSoftmaxRun[] | null = cfg.follows === "authors-code" ? loadSoftmaxPublished() : null): Record<string, PlotlyFigure> {
  const label = profileSubtitle(cfg.profile, cfg.reduced);
  const groups = groupRuns(results, (r) => armKey(r.config.strategy, r.config.acquireSize, r.config.T));
  const byStrategy = groupRuns(results, (r) => `${r.config.strategy}|${r.config.acquireSize}`);
  const figs: Record<string, PlotlyFigure> = {};
  const sizes = [...new Set(cfg.arms.flatMap((a) => a.sizes))].sort((a, b) => a - b);
  const xLabel = BUDGET_UNIT_LABEL[SOFTMAX_UNIT];
  for (const b of sizes) {
    const arms = cfg.arms.filter((a) => (a.sizes.includes(b) || a.strategy === "random") && groups.has(armKey(a.strategy, a.sizes.includes(b) ? b : a.sizes[0], a.T ?? cfg.run.T)));
    const series = arms.map((a) => band(a.strategy, groups.get(armKey(a.strategy, a.sizes.includes(b) ? b : a.sizes[0], a.T ?? cfg.run.T))!, testAccuracyOf, SOFTMAX_UNIT));
    if (published) {
      for (const a of arms) {
        const curves = publishedCurves(published, paperRowName(a), b);
        if (curves.length) series.push(publishedSeries(PAPER_ROW_LABELS[paperRowName(a)] ?? paperRowName(a), curves));
      }
    }
    if (series.length) {
      figs[`softmax-repeated-mnist-accuracy-b${b}`] = curvesWithBands(
        `RepeatedMNIST, acquisition size ${b}: test accuracy (mean ± std over seeds)`, xLabel, "test accuracy", series,
        { subtitle: `${label}${published ? "; dashed: the authors' runs" : ""}` });
    }
  }
  const ab = cfg.ablation;
  const abSeries = ab.betas.filter((beta) => byStrategy.has(`${ablationStrategy(beta)}|${ab.acquireSize}`))
    .map((beta) => band(`SoftmaxBALD beta=${beta} (T=${formatNumber(1 / beta, 2)})`, byStrategy.get(`${ablationStrategy(beta)}|${ab.acquireSize}`)!, testAccuracyOf, SOFTMAX_UNIT));
  const bald = byStrategy.get(`bald|${ab.acquireSize}`);
  if (bald && abSeries.length) abSeries.push(band("BALD top-k (beta → ∞)", bald, testAccuracyOf, SOFTMAX_UNIT));
  const random = byStrategy.get(`random|${ab.acquireSize}`);
  if (random && abSeries.length) abSeries.push(band("random (beta = 0)", random, testAccuracyOf, SOFTMAX_UNIT));
  if (abSeries.length) {
    figs["softmax-repeated-mnist-temperature-ablation"] = curvesWithBands(
      `SoftmaxBALD temperature ablation, acquisition size ${ab.acquireSize} (${ab.seeds.length} seeds; the paper: 30 trials)`, xLabel, "test accuracy", abSeries, { subtitle: label });
  }
  return figs;
}

/** Median over runs of the training-set size each needs to reach `target` (∞ when most never do). */
function medianToReach(curves: readonly Curve[], target: number): number {
  return quantile(curves.map((c) => samplesToReach(c, target)), 0.5);
}

/**
 * Table 1's claims at the largest acquisition size our runs cover (the reference profile: b = 50),
 * decided from medians over runs in training-set size: SoftmaxBALD reaches 90% and 95% with a smaller
 * training set than top-k BALD, and top-k BALD does not reach 90% at all (the paper: 170 vs ∞, 320 vs ∞).
 */
export function softmaxClaims(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Claim[] {
  const softmaxArm = cfg.arms.find((a) => paperRowName(a) === "softmax-bald");
  const baldArm = cfg.arms.find((a) => a.strategy === "bald");
  if (!softmaxArm || !baldArm) return [];
  const b = Math.max(...softmaxArm.sizes.filter((x) => baldArm.sizes.includes(x)));
  if (!Number.isFinite(b)) return [];
  const runsOf = (arm: StrategyArm) => results.filter((r) => r.config.strategy === arm.strategy && r.config.acquireSize === b && r.config.T === (arm.T ?? cfg.run.T));
  const curves = (arm: StrategyArm) => runsOf(arm).map((r) => curveOf(r, SOFTMAX_UNIT));
  const complete = (arm: StrategyArm) => runsOf(arm).length >= cfg.seeds.length;
  const runs = `SoftmaxBALD ${runsOf(softmaxArm).length}/${cfg.seeds.length}, BALD ${runsOf(baldArm).length}/${cfg.seeds.length}`;
  const med = (arm: StrategyArm, t: number) => (runsOf(arm).length ? formatQuantile(medianToReach(curves(arm), t)) : "not run");
  const claims: Claim[] = [];
  for (const [i, t] of [0.9, 0.95].entries()) {
    const paper = [PAPER_TABLE1["softmax-bald"][b]?.[i], PAPER_TABLE1.bald[b]?.[i]];
    claims.push({
      claim: `SoftmaxBALD (b = ${b}) reaches ${t * 100}% test accuracy with a smaller training set than top-k BALD (medians)`,
      paper: paper[0] && paper[1] ? `${paper[0].split("/")[1] ?? paper[0]} vs ${paper[1].split("/")[1] ?? paper[1]}` : "no paper number",
      ours: `${med(softmaxArm, t)} vs ${med(baldArm, t)}`, runs,
      verdict: decideClaim(cfg.reduced, complete(softmaxArm) && complete(baldArm), () => fewer(medianToReach(curves(softmaxArm), t), medianToReach(curves(baldArm), t))),
    });
  }
  claims.push({
    claim: `Top-k BALD (b = ${b}) does not reach 90% test accuracy before the training set reaches ${cfg.maxTrainingSet} (median)`,
    paper: PAPER_TABLE1.bald[b]?.[0] ?? "no paper number", ours: med(baldArm, 0.9), runs: `BALD ${runsOf(baldArm).length}/${cfg.seeds.length}`,
    verdict: decideClaim(cfg.reduced, complete(baldArm), () => !Number.isFinite(medianToReach(curves(baldArm), 0.9))),
  });
  return claims;
}
