// Stochastic batch acquisition (paper 002) on RepeatedMNIST: top-k BALD / EPIG vs their Softmax
// variants vs BatchBALD, for several acquisition sizes; Table 1 (quantiles of the samples needed to
// reach 90% / 95% test accuracy), the accuracy curves (Figure 1) and the SoftmaxBALD temperature
// ablation (Figure 2).
import { loadRepeatedMnist, RepeatedMnistOptions, repeatedMnistName } from "../data/repeated-mnist";
import { PlotlyFigure, curvesWithBands } from "../figures/plotly";
import { AlRunConfig, RunResult } from "../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../loop/sweep";
import { OPTIONAL_RUN_FIELDS, TRAIN_SCHEMA, validateConfig, Schema } from "../loop/validate";
import { imageModel } from "../models/classifiers";
import { quantile, samplesToReach } from "../report/metrics";
import { band, curveOf, groupRuns, profileSubtitle, testAccuracyOf } from "../report/runs";
import { formatNumber, Row } from "../report/tables";

export interface StrategyArm {
  strategy: string;
  /** Acquisition sizes this strategy runs at. */
  sizes: number[];
}

export interface SoftmaxExperimentConfig {
  profile: string;
  reduced: boolean;
  description: string;
  model: "lenet5" | "keras-cnn";
  data: RepeatedMnistOptions;
  arms: StrategyArm[];
  /** SoftmaxBALD temperature ablation (Figure 2): betas at one acquisition size. */
  ablation: { acquireSize: number; betas: number[]; seeds: number[] };
  seeds: number[];
  /** Acquired samples per run (a multiple of every acquisition size). */
  budget: number;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset" | "steps" | "acquireSize">;
  /** Accuracy targets of Table 1 (the paper's: 0.9 and 0.95). */
  accuracyTargets: number[];
}

const PAPER_SIZES = [5, 10, 20, 50];
const PAPER_RUN: SoftmaxExperimentConfig["run"] = {
  initialPerClass: 2, validationSize: 5000, poolSubset: 5000, testSubset: 0, T: 100, consistentMc: true,
  train: { epochs: 30, batchSize: 64, epochSamples: 5056, patience: 3, loss: "softmax-cross-entropy",
    optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } },
};

export const SOFTMAX_PROFILES: Record<string, SoftmaxExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false, model: "lenet5",
    description: "Paper 002 / Kirsch et al. 2019 protocol: RepeatedMNIST x2 (noise 0.1), LeNet-5, initial 20, 400 acquired, " +
      "K=100 consistent MC samples, pool subset 5,000, validation 5,000, Adam 1e-3, batch 64, 5,056 samples/epoch, " +
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
    seeds: [1, 2, 3, 4, 5], budget: 400, run: PAPER_RUN, accuracyTargets: [0.9, 0.95],
  },
  smoke: {
    profile: "smoke", reduced: true, model: "lenet5",
    description: "REDUCED smoke configuration: RepeatedMNIST x2 (noise 0.1), LeNet-5, 40 acquired with sizes 10 and 20, " +
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
    seeds: [1, 2], budget: 40,
    run: { ...PAPER_RUN, validationSize: 500, poolSubset: 500, testSubset: 500, T: 10, train: { ...PAPER_RUN.train, epochs: 6, epochSamples: 512 } },
    accuracyTargets: [0.55, 0.65],
  },
};

const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", description: "string", model: ["lenet5", "keras-cnn"],
  data: { copies: "positive integer", noiseStd: "number", noiseSeed: "number" },
  arms: "object", ablation: { acquireSize: "positive integer", betas: "number[]", seeds: "number[]" },
  seeds: "non-empty number[]", budget: "positive integer", accuracyTargets: "number[]",
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

function runConfig(cfg: SoftmaxExperimentConfig, strategy: string, acquireSize: number, seed: number): AlRunConfig {
  if (cfg.budget % acquireSize !== 0) {
    throw new Error(`softmax-repeated-mnist config.budget: ${cfg.budget} is not a multiple of acquisition size ${acquireSize}`);
  }
  return {
    experiment: "softmax-repeated-mnist", dataset: repeatedMnistName(cfg.data), model: cfg.model, strategy, seed,
    ...cfg.run, steps: cfg.budget / acquireSize, acquireSize,
  };
}

export const ablationStrategy = (beta: number) => `softmax-bald(beta=${beta})`;

/** Main grid (arm x size x seed), then the ablation runs not already in it. */
export function softmaxRunConfigs(cfg: SoftmaxExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, SCHEMA, "softmax-repeated-mnist config");
  if (!Array.isArray(cfg.arms) || cfg.arms.length === 0) throw new Error("softmax-repeated-mnist config.arms: expected a non-empty array of { strategy, sizes }");
  cfg.arms.forEach((a, i) => validateConfig(a, { strategy: "string", sizes: "non-empty number[]" }, `softmax-repeated-mnist config.arms[${i}]`));
  const runs = cfg.seeds.flatMap((seed) => cfg.arms.flatMap((arm) => arm.sizes.map((b) => runConfig(cfg, arm.strategy, b, seed))));
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

/** Paper 002 Table 1: 25/50/75% quantiles of acquired samples to reach 90% / 95% accuracy (5 trials). */
export const PAPER_TABLE1: Record<string, Record<number, [string, string] | null>> = {
  bald: { 5: ["172.5/200/212.5", "∞"], 10: ["217.5/230/270", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  epig: { 5: ["170/210/220", "∞"], 10: ["220/220/240", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  batchbald: { 5: ["108.75/115/117.5", "260/282.5/∞"], 10: ["130/140/160", "300/∞/∞"], 20: null, 50: null },
  "batch-epig": { 5: ["90/110/110", "205/215/240"], 10: ["110/120/120", "260/270/270"], 20: null, 50: null },
  "softmax-bald": { 5: ["102.5/105/108.75", "248.75/262.5/273.75"], 10: ["110/110/130", "240/260/260"], 20: ["120/120/140", "260/280/300"], 50: ["170/170/220", "320/320/∞"] },
  "softmax-epig": { 5: ["100/110/110", "225/230/230"], 10: ["110/110/110", "270/280/290"], 20: ["140/140/140", "∞"], 50: ["170/170/170", "∞"] },
};

/** The paper's row for one of our strategy names (parameters dropped: "batchbald(M=1000)" -> "batchbald"). */
export function paperRowName(strategy: string): string {
  return strategy.replace(/\(.*\)$/, "");
}

/** A quantile as in the paper's table: up to two decimals, no trailing zeros, ∞ when never reached. */
export function formatQuantile(x: number): string {
  if (!Number.isFinite(x)) return "∞";
  return String(Math.round(x * 100) / 100);
}

/** "q25/q50/q75" of the samples each run needs to reach `target`. */
export function quantileCell(results: readonly RunResult[], target: number): string {
  const needed = results.map((r) => samplesToReach(curveOf(r), target));
  return [0.25, 0.5, 0.75].map((q) => formatQuantile(quantile(needed, q))).join("/");
}

/** Table 1: our quantiles at our targets, beside the paper's at 90% / 95% ("no paper number": the paper has no such cell). */
export function table1(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Row[] {
  const groups = groupRuns(results, (r) => `${r.config.strategy}|${r.config.acquireSize}`);
  const sizes = [...new Set(cfg.arms.flatMap((a) => a.sizes))].sort((a, b) => a - b);
  return cfg.arms.map((arm) => {
    const row: Row = { "Acquisition function": arm.strategy };
    for (const b of sizes) {
      const runs = groups.get(`${arm.strategy}|${b}`);
      const paper = PAPER_TABLE1[paperRowName(arm.strategy)]?.[b];
      for (const target of cfg.accuracyTargets) {
        row[`b=${b} ${Math.round(target * 100)}% (ours)`] = runs ? quantileCell(runs, target) : "not run";
      }
      row[`b=${b} 90% (paper)`] = paper ? paper[0] : "no paper number";
      row[`b=${b} 95% (paper)`] = paper ? paper[1] : "no paper number";
    }
    return row;
  });
}

export function softmaxFigures(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Record<string, PlotlyFigure> {
  const label = profileSubtitle(cfg.profile, cfg.reduced);
  const groups = groupRuns(results, (r) => `${r.config.strategy}|${r.config.acquireSize}`);
  const figs: Record<string, PlotlyFigure> = {};
  const sizes = [...new Set(cfg.arms.flatMap((a) => a.sizes))].sort((a, b) => a - b);
  for (const b of sizes) {
    const series = cfg.arms.filter((a) => groups.has(`${a.strategy}|${b}`))
      .map((a) => band(a.strategy, groups.get(`${a.strategy}|${b}`)!, testAccuracyOf));
    if (series.length) {
      figs[`softmax-repeated-mnist-accuracy-b${b}`] = curvesWithBands(
        `RepeatedMNIST, acquisition size ${b}: test accuracy (mean ± std over seeds)`, "acquired samples", "test accuracy", series, { subtitle: label });
    }
  }
  const ab = cfg.ablation;
  const abSeries = ab.betas.filter((beta) => groups.has(`${ablationStrategy(beta)}|${ab.acquireSize}`))
    .map((beta) => band(`SoftmaxBALD beta=${beta} (T=${formatNumber(1 / beta, 2)})`, groups.get(`${ablationStrategy(beta)}|${ab.acquireSize}`)!, testAccuracyOf));
  const bald = groups.get(`bald|${ab.acquireSize}`);
  if (bald) abSeries.push(band("BALD top-k (beta → ∞)", bald, testAccuracyOf));
  const random = groups.get(`random|${ab.acquireSize}`);
  if (random) abSeries.push(band("random (beta = 0)", random, testAccuracyOf));
  if (abSeries.length) {
    figs["softmax-repeated-mnist-temperature-ablation"] = curvesWithBands(
      `SoftmaxBALD temperature ablation, acquisition size ${ab.acquireSize}`, "acquired samples", "test accuracy", abSeries, { subtitle: label });
  }
  return figs;
}
