// Gal et al. 2017 §5.1 (MNIST) as reproduced by Pilz 2025 (paper 003): profiles, the sweep of
// runs (strategy x seed), the protocol tables, and the report (curves beside Pilz's published
// per-step accuracies, Step-Average / Average-Step tables in the papers' units, claim lines).
import { Claim, ClaimVerdict, decideClaim, fewer } from "../report/claims";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strategyByName } from "../acquisition/strategy";
import { PROJECT_ROOT } from "../data/files";
import { loadMnist, MnistScaling } from "../data/mnist";
import { BandSeries, PALETTE, PlotlyFigure, curvesWithBands, groupedBars } from "../figures/plotly";
import { AlRunConfig, RunResult } from "../loop/active-learning";
import { imageModel } from "../models/classifiers";
import { averageStep, BudgetUnit, BUDGET_UNIT_LABEL, mean, ReachRule, std, stepAverage } from "../report/metrics";
import { band, curveOf, groupRuns, profileLabel, profileSubtitle } from "../report/runs";
import { Follows, ProtocolPoint } from "../report/protocol";
import { Row, formatFixed, formatNumber } from "../report/tables";
import { RunStore } from "../results/store";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../loop/sweep";
import { optional, OPTIONAL_RUN_FIELDS, TRAIN_SCHEMA, validateConfig, Schema } from "../loop/validate";
import { checkSeedPlan, describeSeedPlan, runCoverage, strategiesWithSeed } from "./seeds";

export const GAL_STRATEGIES = ["max-entropy", "bald", "variation-ratio", "mean-std", "random"] as const;
export const GAL_LABELS: Record<string, string> = {
  "max-entropy": "ME", bald: "BALD", "variation-ratio": "VR", "mean-std": "MSTD", random: "Random",
};

export interface GalExperimentConfig {
  profile: string;
  /** Shown beside every number when the configuration is not the paper's. */
  reduced: boolean;
  description: string;
  /** The publication a profile reproduces: Pilz 2025 (paper 003) or Gal et al. 2017 itself. */
  paperOf: "pilz" | "gal";
  /** Where text and code differ: follow the text ("paper") or what produced the numbers ("authors-code"). */
  follows: Follows;
  model: "lenet5" | "keras-cnn";
  /** Pixel scaling of MNIST. */
  inputScaling: MnistScaling;
  strategies: string[];
  seeds: number[];
  /** Seeds of the named strategies where the profile cuts them (reference runs; see ./seeds). */
  seedsByStrategy?: Record<string, number[]>;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset">;
  /** Gal's code: an L2 penalty c/N on the hidden dense kernel, c per acquisition function. */
  l2ByStrategy?: Record<string, number>;
  /** Test-error thresholds of the tables (the paper's are 10% and 5%). */
  errorThresholds: number[];
  /** When a step counts as having reached a threshold (Pilz's code: accuracy strictly above). */
  reachRule: ReachRule;
  /** Strategies whose runs (every seed) come first in the sweep: compute priority, not protocol. */
  firstStrategies?: string[];
  /** Points cut on purpose (reference profile), by protocol row name, with the reason. */
  cuts?: Record<string, string>;
}

const PILZ_TEXT_RUN: GalExperimentConfig["run"] = {
  initialPerClass: 2, validationSize: 1000, steps: 100, acquireSize: 10, poolSubset: 5000,
  testSubset: 3000, testSubsetPerStep: true, testPrediction: "mc-mean", testMcPasses: 64,
  T: 64, consistentMc: false, modelOptions: { init: "pytorch", dropout: [0.5, 0.25] },
  train: { epochs: 400, batchSize: 0, optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, patience: 0, loss: "softmax-cross-entropy", keepBestValidation: true },
};

const PILZ_TEXT: GalExperimentConfig = {
  profile: "paper", reduced: false, paperOf: "pilz", follows: "paper", model: "lenet5", inputScaling: "standardise",
  strategies: [...GAL_STRATEGIES], seeds: [1, 2, 3],
  description: "Pilz's text: LeNet-5 (dropout .5 before fc1, .25 before fc2), PyTorch init, 100 steps x 10, T=64, 400 full-batch AdamW epochs keeping the lowest-validation-loss weights, pool subset 5,000, a fresh 3,000-point test subset per step, seeds 1-3",
  run: PILZ_TEXT_RUN, errorThresholds: [0.1, 0.05], reachRule: "above",
};

export const GAL_PROFILES: Record<string, GalExperimentConfig> = {
  paper: PILZ_TEXT,
  "authors-code": {
    ...PILZ_TEXT, profile: "authors-code", follows: "authors-code",
    description: "Pilz's code (commit of the 2025-02-20 run): as 'paper' but dropout .25 before fc1 and .5 before fc2, and the weights of epoch 400 (his 'best' state dict is a reference to the live weights)",
    run: { ...PILZ_TEXT_RUN, modelOptions: { init: "pytorch", dropout: [0.25, 0.5] }, train: { ...PILZ_TEXT_RUN.train, keepBestValidation: false } },
  },
  "gal-original": {
    profile: "gal-original", reduced: false, paperOf: "gal", follows: "paper", model: "keras-cnn", inputScaling: "unit",
    strategies: [...GAL_STRATEGIES], seeds: [1, 2, 3],
    description: "Gal et al. 2017 and their Keras code: Keras CNN, Glorot init, inputs in [0, 1], Adam with an L2 penalty c/N on the dense layer (c 2.5, Random 3.5), 50 epochs of batch 128, final weights, validation 5,000, pool 40,000, pool subset 2,000, T=20, full test set, 98 steps x 10 (to 1,000 labelled), 3 repetitions",
    run: {
      initialPerClass: 2, validationSize: 5000, poolSize: 40000, steps: 98, acquireSize: 10, poolSubset: 2000,
      testSubset: 0, testPrediction: "deterministic", testMcPasses: 20, T: 20, consistentMc: false, modelOptions: { init: "glorot" },
      train: { epochs: 50, batchSize: 128, optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, patience: 0, loss: "softmax-cross-entropy", keepBestValidation: false },
    },
    l2ByStrategy: { "max-entropy": 2.5, bald: 2.5, "variation-ratio": 2.5, "mean-std": 2.5, random: 3.5 },
    errorThresholds: [0.1, 0.05], reachRule: "at-least",
  },
  reference: {
    ...PILZ_TEXT, profile: "reference", follows: "authors-code",
    description: "Reference runs (committed in reference-results/gal-mnist/): 'authors-code' cut to the first 30 steps " +
      "(training set 20 -> 320, which covers the 10% and 5% error thresholds of every function but Random at 5%); " +
      "BALD and Random for seeds 1-3 run first, then ME, VR and MSTD for seed 1",
    run: { ...PILZ_TEXT_RUN, steps: 30, modelOptions: { init: "pytorch", dropout: [0.25, 0.5] }, train: { ...PILZ_TEXT_RUN.train, keepBestValidation: false } },
    firstStrategies: ["bald", "random"],
    seedsByStrategy: { "max-entropy": [1], "variation-ratio": [1], "mean-std": [1] },
    cuts: {
      "Acquisition steps x size": "budget cut to 30 steps (320 labelled) to fit 2 CPU cores; Pilz's Random needs 610 at 5% error",
      Repetitions: "ME, VR and MSTD with seed 1 only (BALD and Random with seeds 1-3), to fit 2 CPU cores: their claims rest on one run each",
    },
  },
  smoke: {
    ...PILZ_TEXT, profile: "smoke", reduced: true, seeds: [1, 2],
    description: "REDUCED smoke configuration of 'paper': 5 steps x 10, T=8, 50 full-batch epochs, validation 500, pool subset 500, test subset 500, seeds 1-2",
    run: { ...PILZ_TEXT_RUN, validationSize: 500, steps: 5, poolSubset: 500, testSubset: 500, T: 8, testMcPasses: 8, train: { ...PILZ_TEXT_RUN.train, epochs: 50 } },
    errorThresholds: [0.1, 0.05, 0.3, 0.25],
  },
};

const RUN_SCHEMA: Schema = {
  initialPerClass: "positive integer", validationSize: "positive integer", steps: "non-negative integer",
  acquireSize: "positive integer", poolSubset: "non-negative integer", testSubset: "non-negative integer",
  T: "positive integer", consistentMc: "boolean", ...OPTIONAL_RUN_FIELDS, train: TRAIN_SCHEMA,
};
const EXPERIMENT_SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", description: "string", paperOf: ["pilz", "gal"], follows: ["paper", "authors-code"],
  model: ["lenet5", "keras-cnn"], inputScaling: ["standardise", "unit"],
  strategies: "non-empty string[]", seeds: "non-empty number[]", seedsByStrategy: optional("object"), run: RUN_SCHEMA, l2ByStrategy: optional("object"), errorThresholds: "number[]", reachRule: ["at-least", "above"],
  firstStrategies: optional("string[]"), cuts: optional("object"),
};

export function galProfile(name: string): GalExperimentConfig {
  const p = GAL_PROFILES[name];
  if (!p) throw new Error(`gal-mnist: unknown profile '${name}' (expected one of ${Object.keys(GAL_PROFILES).join(", ")})`);
  return structuredClone(p);
}

const datasetName = (s: MnistScaling) => (s === "unit" ? "mnist(scaling=unit)" : "mnist");

/** The independent runs of the sweep, in a fixed order (the unit of sharding). */
export function galRunConfigs(cfg: GalExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, EXPERIMENT_SCHEMA, "gal-mnist config");
  for (const s of cfg.strategies) {
    strategyByName(s);
    const c = cfg.l2ByStrategy?.[s];
    if (cfg.l2ByStrategy && !(typeof c === "number" && c >= 0)) throw new Error(`gal-mnist config.l2ByStrategy.${s}: expected a non-negative number, got ${JSON.stringify(c)}`);
  }
  checkSeedPlan(cfg, cfg.strategies, "gal-mnist config");
  for (const s of cfg.firstStrategies ?? []) {
    if (!cfg.strategies.includes(s)) throw new Error(`gal-mnist config.firstStrategies: '${s}' is not in strategies (${cfg.strategies.join(", ")})`);
  }
  const runs = cfg.seeds.flatMap((seed) => strategiesWithSeed(cfg, cfg.strategies, seed).map((strategy) => {
    const l2 = cfg.l2ByStrategy ? { l2: { c: cfg.l2ByStrategy[strategy], layers: "hidden-dense" as const } } : {};
    return {
      experiment: "gal-mnist", dataset: datasetName(cfg.inputScaling), model: cfg.model, strategy, seed, ...cfg.run,
      train: { ...cfg.run.train, ...l2 },
    };
  }));
  // Compute priority: the first strategies' runs (all seeds), then the rest seed by seed.
  const first = new Set(cfg.firstStrategies ?? []);
  return [...runs.filter((r) => first.has(r.strategy)), ...runs.filter((r) => !first.has(r.strategy))];
}

/** The sweep of a profile: every (seed, strategy) run on MNIST. */
export function galSweep(cfg: GalExperimentConfig): SweepDefinition {
  return {
    experiment: "gal-mnist", profile: cfg.profile, runs: galRunConfigs(cfg),
    dataset: (name) => {
      if (name === datasetName("standardise")) return loadMnist();
      if (name === datasetName("unit")) return loadMnist(undefined, "unit");
      throw new Error(`gal-mnist: unknown dataset '${name}'`);
    },
    model: (name, options) => imageModel(name, options),
  };
}

/** Runs every (missing) run of this shard; returns all finished results found in the store. */
export function runGalSweep(cfg: GalExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(galSweep(cfg), opts);
}

/** Finished results of this configuration, and the runs still missing. */
export function collectResults(cfg: GalExperimentConfig, store?: RunStore): { results: RunResult[]; missing: AlRunConfig[] } {
  return collectRuns(galSweep(cfg), store);
}

// ---------------------------------------------------------------------------------------------
// Protocol tables

const run = (c: GalExperimentConfig) => c.run;
const dropoutWords = (d?: number[]) => (d ? `p = ${d[0]} before fc1 (400-d), ${d[1]} before fc2 (120-d)` : "the network's defaults");

/** Pilz 2025: his text (paper) and his code (pilzpascal/2024s-bsc-project-active-learning @ 4ab4a99). */
export const PILZ_PROTOCOL: ProtocolPoint<GalExperimentConfig>[] = [
  { point: "Network", fields: ["model"], paper: "LeNet-5 (Table 1), 61,706 parameters", code: "LeNet (networks.py)", paperValue: "lenet5", codeValue: "lenet5" },
  { point: "Dropout rates", fields: ["run.modelOptions.dropout"], paper: "0.5 before the 400x120 dense layer, 0.25 before 120x84 (Table 1)",
    code: "0.25 on the 400-d input of fc1, 0.5 on the 120-d input of fc2", paperValue: [0.5, 0.25], codeValue: [0.25, 0.5],
    does: (c) => dropoutWords(c.run.modelOptions?.dropout) },
  { point: "Weight initialisation", fields: ["run.modelOptions.init"], paper: "", code: "PyTorch default (kaiming-uniform a=sqrt 5; bias U(±1/sqrt fan_in))", codeValue: "pytorch" },
  { point: "Input scaling", fields: ["inputScaling"], paper: "", code: "ToTensor + Normalize(0.1307, 0.3081)", codeValue: "standardise" },
  { point: "Initial labelled set", fields: ["run.initialPerClass"], paper: "20, balanced (2 per class)", code: "2 per class, drawn per class with replacement across draws (a duplicate is possible)",
    paperValue: 2, codeValue: 2, does: (c) => `${c.run.initialPerClass * 10} (${c.run.initialPerClass} per class, distinct)` },
  { point: "Validation set", fields: ["run.validationSize"], paper: "1,000 random", code: "1,000 (random_split)", paperValue: 1000, codeValue: 1000 },
  { point: "Pool", fields: ["run.poolSize"], paper: "the remaining 58,980", code: "the remaining 58,980", paperValue: 0, codeValue: 0,
    read: (c) => c.run.poolSize ?? 0, does: (c) => (c.run.poolSize ? `${c.run.poolSize} random` : "all the rest") },
  { point: "Acquisition steps x size", fields: ["run.steps", "run.acquireSize"], paper: "100 x 10 (to 1,020 labelled)", code: "100 x 10",
    paperValue: [100, 10], codeValue: [100, 10], read: (c) => [c.run.steps, c.run.acquireSize], does: (c) => `${c.run.steps} x ${c.run.acquireSize} (to ${20 + c.run.steps * c.run.acquireSize} labelled)` },
  { point: "Pool subset scored per step", fields: ["run.poolSubset"], paper: "random 5,000", code: "random 5,000 (np.random.choice per step)", paperValue: 5000, codeValue: 5000 },
  { point: "MC dropout passes (acquisition)", fields: ["run.T"], paper: "T = 64", code: "num_mc_samples = 64", paperValue: 64, codeValue: 64 },
  { point: "Dropout masks in MC passes", fields: ["run.consistentMc"], paper: "", code: "F.dropout: a fresh mask per example and pass", codeValue: false,
    does: (c) => (c.run.consistentMc ? "one mask per pass shared by all inputs" : "per example and pass") },
  { point: "Test set", fields: ["run.testSubset", "run.testSubsetPerStep"], paper: "3,000 randomly selected test samples", code: "a fresh random 3,000 of the 10,000 at every step",
    paperValue: undefined, codeValue: [3000, true], read: (c) => [c.run.testSubset, c.run.testSubsetPerStep ?? false],
    does: (c) => (c.run.testSubset ? `${c.run.testSubset} random, ${c.run.testSubsetPerStep ? "redrawn every step" : "fixed per run"}` : "all 10,000") },
  { point: "Test prediction", fields: ["run.testPrediction", "run.testMcPasses"], paper: "", code: "argmax of the mean softmax over 64 MC passes (the same passes give the mutual information)",
    codeValue: ["mc-mean", 64], read: (c) => [c.run.testPrediction ?? "deterministic", c.run.testMcPasses ?? c.run.T],
    does: (c) => `${c.run.testPrediction === "mc-mean" ? "mean softmax of" : "dropout off; MI from"} ${c.run.testMcPasses ?? c.run.T} MC passes` },
  { point: "Epochs", fields: ["run.train.epochs"], paper: "400", code: "400 (early_stopping -1: off)", paperValue: 400, codeValue: 400 },
  { point: "Batch size", fields: ["run.train.batchSize", "run.train.epochSamples"], paper: "full batch", code: "min(1,024, n): full batch up to 1,020 labelled",
    paperValue: 0, codeValue: 0, read: (c) => c.run.train.batchSize, does: (c) => (c.run.train.batchSize ? String(c.run.train.batchSize) : "full batch") },
  { point: "Optimiser", fields: ["run.train.optimizer"], paper: "AdamW lr 1e-3, betas (0.9, 0.999), weight decay 0.01", code: "torch.optim.AdamW(lr=1e-3, weight_decay=1e-2), eps 1e-8",
    paperValue: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, codeValue: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 } },
  { point: "L2 penalty in the loss", fields: ["run.train.l2", "l2ByStrategy"], paper: "none (decoupled weight decay)", code: "none", paperValue: "none", codeValue: "none",
    read: (c) => (c.l2ByStrategy ? c.l2ByStrategy : "none") },
  { point: "Weights kept", fields: ["run.train.keepBestValidation", "run.train.patience"], paper: "the epoch of lowest validation loss",
    code: "epoch 400: best_model_state_dict = model.state_dict() is a reference to the live weights", paperValue: "best", codeValue: "last",
    read: (c) => (c.run.train.keepBestValidation === false ? "last" : "best"),
    does: (c) => (c.run.train.keepBestValidation === false ? "the final epoch's (no validation pass)" : "lowest validation loss") },
  { point: "Loss", fields: ["run.train.loss"], paper: "categorical cross entropy", code: "CrossEntropyLoss", paperValue: "softmax-cross-entropy", codeValue: "softmax-cross-entropy" },
  { point: "Acquisition functions", fields: ["strategies"], paper: "ME, BALD, VR, MSTD, Random", code: "the same", paperValue: [...GAL_STRATEGIES], codeValue: [...GAL_STRATEGIES] },
  { point: "Repetitions", fields: ["seeds", "seedsByStrategy"], paper: "3 runs, seeds {1, 2, 3}", code: "SEED_SEQUENCE [1, 2, 3]", paperValue: [1, 2, 3], codeValue: [1, 2, 3],
    read: (c) => (c.seedsByStrategy ? { seeds: c.seeds, seedsByStrategy: c.seedsByStrategy } : c.seeds), does: (c) => describeSeedPlan(c, (s) => GAL_LABELS[s] ?? s),
    why: "our seeds drive our generator, not torch's: same protocol, different draws" },
  { point: "Run order", fields: ["firstStrategies"], paper: "", code: "function by function, seeds 1-3 each", codeValue: [], read: (c) => c.firstStrategies ?? [],
    does: (c) => (c.firstStrategies?.length ? `${c.firstStrategies.join(", ")} (all seeds) first, then seed by seed` : "seed by seed"), why: "compute priority only; runs are independent" },
  { point: "Error thresholds", fields: ["errorThresholds"], paper: "10% and 5% test error", code: "ACC_THRESHOLDS 0.9, 0.95", paperValue: [0.1, 0.05], codeValue: [0.1, 0.05] },
  { point: "Threshold rule and unit", fields: ["reachRule"], paper: "'steps needed to reach' the error; tables count the training-set size", code: "argmax(acc > threshold) * 10 + 20: accuracy strictly above, training-set size (a curve that never gets there reads 20)",
    codeValue: "above", does: (c) => `accuracy ${c.reachRule === "above" ? ">" : ">="} 1 - error; training-set size; never reached = ∞` },
];

/** Gal et al. 2017 and their Keras code (Riashat/Active-Learning-Bayesian-Convolutional-Neural-Networks, *_Q10_N1000.py). */
export const GAL_PROTOCOL: ProtocolPoint<GalExperimentConfig>[] = [
  { point: "Network", fields: ["model"], paper: "conv-relu-conv-relu-maxpool-dropout-dense-relu-dropout-dense-softmax, 32 4x4 filters, 128 dense units",
    code: "the same for steps >= 1; the step-0 model has a second conv block (64 filters) — a copy-paste slip we do not reproduce", paperValue: "keras-cnn", codeValue: "keras-cnn" },
  { point: "Dropout rates", fields: ["run.modelOptions.dropout"], paper: "0.25 after the pooling, 0.5 after the dense layer", code: "Dropout(0.25), Dropout(0.5)", paperValue: "network default", codeValue: "network default",
    read: (c) => c.run.modelOptions?.dropout ?? "network default", does: (c) => (c.run.modelOptions?.dropout ? JSON.stringify(c.run.modelOptions.dropout) : "0.25, 0.5 (the network's own)") },
  { point: "Weight initialisation", fields: ["run.modelOptions.init"], paper: "", code: "Keras 1 defaults: glorot_uniform kernels, zero biases", codeValue: "glorot" },
  { point: "Input scaling", fields: ["inputScaling"], paper: "", code: "X / 255 (no mean/std normalisation)", codeValue: "unit" },
  { point: "Initial labelled set", fields: ["run.initialPerClass"], paper: "20 random but balanced", code: "the first 2 of each class in a shuffled block of 10,000", paperValue: 2, codeValue: 2 },
  { point: "Validation set", fields: ["run.validationSize"], paper: "100 (§5)", code: "5,000 (X_train_All[10000:15000]), used only to monitor the loss", paperValue: 100, codeValue: 5000,
    why: "follows the code: the validation set never changes the model (final weights are kept)" },
  { point: "Pool", fields: ["run.poolSize"], paper: "the rest of the training set", code: "40,000 (X_train_All[20000:60000])", paperValue: undefined, codeValue: 40000, read: (c) => c.run.poolSize ?? 0 },
  { point: "Acquisition steps x size", fields: ["run.steps", "run.acquireSize"], paper: "acquire 10 per step up to 1,000 acquired", code: "98 iterations x 10 (20 -> 1,000 labelled)",
    paperValue: undefined, codeValue: [98, 10], read: (c) => [c.run.steps, c.run.acquireSize], does: (c) => `${c.run.steps} x ${c.run.acquireSize} (to ${20 + c.run.steps * c.run.acquireSize} labelled)` },
  { point: "Pool subset scored per step", fields: ["run.poolSubset"], paper: "", code: "random 2,000 per step", codeValue: 2000 },
  { point: "MC dropout passes (acquisition)", fields: ["run.T"], paper: "T = 20", code: "dropout_iterations = 100", paperValue: 20, codeValue: 100 },
  { point: "Dropout masks in MC passes", fields: ["run.consistentMc"], paper: "", code: "predict_stochastic: Keras dropout, a mask per example and pass", codeValue: false },
  { point: "Test set", fields: ["run.testSubset", "run.testSubsetPerStep"], paper: "MNIST test set", code: "all 10,000", paperValue: [0, false], codeValue: [0, false],
    read: (c) => [c.run.testSubset, c.run.testSubsetPerStep ?? false], does: (c) => (c.run.testSubset ? `${c.run.testSubset} random` : "all 10,000") },
  { point: "Test prediction", fields: ["run.testPrediction", "run.testMcPasses"], paper: "", code: "model.evaluate: dropout off (no MC at test time; no mutual information recorded)",
    codeValue: "deterministic", read: (c) => c.run.testPrediction ?? "deterministic",
    does: (c) => `${c.run.testPrediction ?? "deterministic"}; test mutual information from ${c.run.testMcPasses ?? c.run.T} MC passes (a side metric)` },
  { point: "Epochs", fields: ["run.train.epochs"], paper: "", code: "nb_epoch = 50", codeValue: 50 },
  { point: "Batch size", fields: ["run.train.batchSize", "run.train.epochSamples"], paper: "", code: "128 (Keras fit shuffles every epoch)", codeValue: 128, read: (c) => c.run.train.batchSize },
  { point: "Optimiser", fields: ["run.train.optimizer"], paper: "Adam", code: "Keras 1 Adam defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8)",
    paperValue: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, codeValue: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } },
  { point: "L2 penalty in the loss", fields: ["run.train.l2", "l2ByStrategy"], paper: "weight decay (§5, no value)", code: "l2(c / N) on the dense-128 kernel only: c = 2.5 (BALD, ME, VR, MSTD), 3.5 (Random)",
    codeValue: { "max-entropy": 2.5, bald: 2.5, "variation-ratio": 2.5, "mean-std": 2.5, random: 3.5 }, read: (c) => c.l2ByStrategy ?? "none",
    does: (c) => (c.l2ByStrategy ? `c/N on the hidden dense kernel, c = ${Object.entries(c.l2ByStrategy).map(([s, v]) => `${GAL_LABELS[s] ?? s} ${v}`).join(", ")}` : "none") },
  { point: "Weights kept", fields: ["run.train.keepBestValidation", "run.train.patience"], paper: "", code: "the final epoch's (validation only monitored)", codeValue: "last",
    read: (c) => (c.run.train.keepBestValidation === false ? "last" : "best") },
  { point: "Loss", fields: ["run.train.loss"], paper: "", code: "categorical_crossentropy", codeValue: "softmax-cross-entropy" },
  { point: "Acquisition functions", fields: ["strategies"], paper: "ME, BALD, VR, MSTD (Kampffmeyer's mean STD), Random",
    code: "the same; but Dropout_Segnet (MSTD) reads the first pass's scores T times (All_Dropout_Scores[t, r+10]), so every std is 0 and it picks the last 10 of the subset: Random in effect",
    paperValue: [...GAL_STRATEGIES], codeValue: undefined, why: "MSTD as the paper defines it, not the code's zero-std version" },
  { point: "Repetitions", fields: ["seeds", "seedsByStrategy"], paper: "3 repetitions", code: "Experiments = 3 (Python random, unseeded)", paperValue: 3, codeValue: 3,
    read: (c) => (c.seedsByStrategy ? { seeds: c.seeds.length, seedsByStrategy: c.seedsByStrategy } : c.seeds.length), does: (c) => describeSeedPlan(c, (s) => GAL_LABELS[s] ?? s) },
  { point: "Error thresholds", fields: ["errorThresholds"], paper: "10% and 5% test error (Table 1)", code: "no script for Table 1 in the repository", paperValue: [0.1, 0.05] },
  { point: "Threshold rule and unit", fields: ["reachRule"], paper: "'number of acquired images to get to model error' (Table 1 caption)", code: "(no script)",
    does: (c) => `accuracy ${c.reachRule === "above" ? ">" : ">="} 1 - error; acquired images (training-set size - 20); never reached = ∞`,
    why: "accuracy >= 1 - error, acquired images as the caption says; Gal's cells are multiples of 5 (145, 165, 255), so they cannot come from one 10-step curve in either unit" },
];

export function galProtocol(cfg: GalExperimentConfig): ProtocolPoint<GalExperimentConfig>[] {
  return cfg.paperOf === "gal" ? GAL_PROTOCOL : PILZ_PROTOCOL;
}

/** What a profile's protocol table is compared against, in words. */
export function galProtocolSources(cfg: GalExperimentConfig): string {
  return cfg.paperOf === "pilz"
    ? "Pilz 2025 and his code (pilzpascal/2024s-bsc-project-active-learning @ 4ab4a99)"
    : "Gal et al. 2017 and their Keras code (Riashat/Active-Learning-Bayesian-Convolutional-Neural-Networks)";
}

// ---------------------------------------------------------------------------------------------
// Published numbers

/** Pilz Tables 2-3, Average-Step (training-set size, initial 20 included), and Gal's Table 1 (acquired images). */
export const PAPER_SAMPLES: Record<string, Record<string, { pilz: number; gal: number }>> = {
  "0.1": { "max-entropy": { pilz: 130, gal: 165 }, bald: { pilz: 130, gal: 145 }, "variation-ratio": { pilz: 110, gal: 120 }, "mean-std": { pilz: 120, gal: 230 }, random: { pilz: 200, gal: 255 } },
  "0.05": { "max-entropy": { pilz: 270, gal: 355 }, bald: { pilz: 270, gal: 335 }, "variation-ratio": { pilz: 240, gal: 295 }, "mean-std": { pilz: 250, gal: 695 }, random: { pilz: 610, gal: 835 } },
};
/** Pilz's Step-Average means ± std (Tables 2-3, training-set size). */
export const PAPER_STEP_AVERAGE: Record<string, Record<string, string>> = {
  "0.1": { "max-entropy": "133.3 ± 4.7", bald: "120.0 ± 16.3", "variation-ratio": "110.0 ± 8.2", "mean-std": "123.3 ± 4.7", random: "193.3 ± 9.4" },
  "0.05": { "max-entropy": "253.3 ± 26.2", bald: "253.3 ± 12.5", "variation-ratio": "193.3 ± 12.5", "mean-std": "256.7 ± 12.5", random: "480.0 ± 57.2" },
};
/** Gal et al.: test error (%) after 1,000 acquired images. */
export const GAL_FINAL_ERROR: Record<string, number> = { random: 4.66, bald: 1.8, "max-entropy": 1.74, "variation-ratio": 1.64 };

/** Pilz's published per-step run (published/pilz_003_mnist.json, copied from ../shared/reference with its provenance). */
export interface PilzPublished {
  seeds: number[];
  train_size: number[];
  test_acc: Record<string, number[][]>;
  test_mutual_information: Record<string, number[][]>;
}
/** Our strategy names -> Pilz's function names. */
export const PILZ_FUNCTION: Record<string, string> = {
  "max-entropy": "predictive_entropy", bald: "mutual_information", "variation-ratio": "variation_ratios", "mean-std": "mean_standard_deviation", random: "random",
};

export function loadPilzPublished(path = join(PROJECT_ROOT, "published", "pilz_003_mnist.json")): PilzPublished {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PilzPublished;
  } catch (e) {
    throw new Error(`Cannot read Pilz's published results ${path}: ${(e as Error).message}`);
  }
}

/** Pilz's per-run curves of one function, in training-set size. */
export function pilzCurves(pub: PilzPublished, strategy: string) {
  const runs = pub.test_acc[PILZ_FUNCTION[strategy]];
  if (!runs) throw new Error(`Pilz's published results have no function for '${strategy}'`);
  return runs.map((acc) => ({ budget: pub.train_size.slice(0, acc.length), accuracy: acc }));
}

// ---------------------------------------------------------------------------------------------
// Report

function byStrategy(results: readonly RunResult[]): Map<string, RunResult[]> {
  return groupRuns(results, (r) => r.config.strategy);
}

const TS: BudgetUnit = "training-set";

/**
 * Samples to reach an error, in the units of the columns beside them: ours and Pilz's in
 * training-set size (initial 20 included), ours and Gal's in acquired images.
 */
export function samplesTable(cfg: GalExperimentConfig, results: readonly RunResult[], errorThreshold: number): Row[] {
  const groups = byStrategy(results);
  const target = 1 - errorThreshold;
  const rule = cfg.reachRule;
  const rand = groups.get("random");
  const randSA = rand ? stepAverage(rand.map((r) => curveOf(r, TS)), target, rule).mean : NaN;
  const randAS = rand ? averageStep(rand.map((r) => curveOf(r, TS)), target, rule) : NaN;
  const paper = PAPER_SAMPLES[String(errorThreshold)];
  const initial = 10 * cfg.run.initialPerClass;
  const relative = (x: number, r: number) => (Number.isFinite(r) && Number.isFinite(x) ? formatFixed(x / r, 2) : "–");
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const curves = groups.get(s)!.map((r) => curveOf(r, TS));
    const sa = stepAverage(curves, target, rule);
    const as = averageStep(curves, target, rule);
    const row: Row = {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "Runs (ours)": `[${sa.runs.map((r) => formatNumber(r)).join(", ")}]`,
      "Step-Average (ours)": `${formatFixed(sa.mean)} ± ${formatFixed(sa.std)}`,
    };
    if (paper && cfg.paperOf === "pilz") row["Step-Average (Pilz)"] = PAPER_STEP_AVERAGE[String(errorThreshold)][s] ?? "no paper number";
    row["Average-Step (ours)"] = formatNumber(as);
    if (paper && cfg.paperOf === "pilz") row["Average-Step (Pilz)"] = paper[s]?.pilz ?? "no paper number";
    row["Relative AS (ours)"] = relative(as, randAS);
    if (paper && cfg.paperOf === "pilz") row["Relative AS (Pilz)"] = paper[s] ? formatFixed(paper[s].pilz / paper.random.pilz, 2) : "no paper number";
    row["Relative SA (ours)"] = relative(sa.mean, randSA);
    row["Average-Step (ours, acquired)"] = formatNumber(as - initial);
    if (paper) row["Gal et al. (acquired)"] = paper[s]?.gal ?? "no paper number";
    return row;
  });
}

export function samplesCaption(cfg: GalExperimentConfig, errorThreshold: number): string {
  const paperNote = PAPER_SAMPLES[String(errorThreshold)] ? "" : " (no paper numbers at this threshold)";
  return `Labelled training-set size (initial ${10 * cfg.run.initialPerClass} included, as Pilz's Tables 2-3) to reach ${errorThreshold * 100}% test error ` +
    `(accuracy ${cfg.reachRule === "above" ? ">" : "≥"} ${formatNumber((1 - errorThreshold) * 100, 0)}%); the last columns in acquired images, Gal's Table 1 unit` +
    `${profileLabel(cfg.profile, cfg.reduced)}${paperNote}. ∞: never reached; –: Random never reached it, so no ratio.`;
}

/**
 * The papers' claims, each decided from our runs (Average-Step, training-set size): every
 * uncertainty function needs fewer samples than Random at 10% and at 5% error (Gal's Table 1,
 * Pilz's Tables 2-3), and Random needs at least twice BALD's samples at 5% (Pilz 610 vs 270,
 * Gal 835 vs 335).
 */
export function galClaims(cfg: GalExperimentConfig, results: readonly RunResult[]): Claim[] {
  const groups = byStrategy(results);
  const { complete, runs } = runCoverage(cfg, groups, (s) => GAL_LABELS[s] ?? s);
  const as = (s: string, e: number) => averageStep(groups.get(s)!.map((r) => curveOf(r, TS)), 1 - e, cfg.reachRule);
  const lastSize = 10 * cfg.run.initialPerClass + cfg.run.steps * cfg.run.acquireSize;
  const decide = (needs: string[], holds: () => boolean | null): ClaimVerdict => decideClaim(cfg.reduced, needs.every(complete), holds);
  const show = (s: string, e: number) => (groups.has(s) ? formatNumber(as(s, e)) : "not run");
  const claims: Claim[] = [];
  for (const e of [0.1, 0.05]) {
    for (const s of ["max-entropy", "bald", "variation-ratio", "mean-std"].filter((x) => cfg.strategies.includes(x))) {
      const paper = PAPER_SAMPLES[String(e)];
      claims.push({
        claim: `${GAL_LABELS[s]} reaches ${e * 100}% error with fewer labelled samples than Random`,
        paper: `Pilz ${paper[s].pilz} vs ${paper.random.pilz}; Gal ${paper[s].gal} vs ${paper.random.gal} acquired`,
        ours: `${show(s, e)} vs ${show("random", e)}`,
        runs: runs([s, "random"]),
        verdict: decide([s, "random"], () => fewer(as(s, e), as("random", e))),
      });
    }
  }
  if (cfg.strategies.includes("bald")) {
    claims.push({
      claim: "Random needs at least twice BALD's labelled samples to reach 5% error",
      paper: "Pilz 610 / 270 = 2.26; Gal (835 + 20) / (335 + 20) = 2.41 in training-set size",
      ours: groups.has("bald") && groups.has("random") ? `${show("random", 0.05)} / ${show("bald", 0.05)} = ${formatNumber(as("random", 0.05) / as("bald", 0.05), 2)}` : "not run",
      runs: runs(["bald", "random"]),
      verdict: decide(["bald", "random"], () => {
        const b = as("bald", 0.05);
        const r = as("random", 0.05);
        if (!Number.isFinite(b)) return Number.isFinite(r) ? false : null;
        if (Number.isFinite(r)) return r >= 2 * b;
        return 2 * b <= lastSize ? true : null; // Random needs more than the budget; is that already 2x BALD?
      }),
    });
  }
  return claims;
}

const strategyColor = (cfg: GalExperimentConfig, s: string) => PALETTE[cfg.strategies.indexOf(s) % PALETTE.length];

function bandSeries(cfg: GalExperimentConfig, results: readonly RunResult[], metric: (r: RunResult) => number[]): BandSeries[] {
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => ({ ...band(`${GAL_LABELS[s] ?? s} (ours)`, groups.get(s)!, metric, TS), color: strategyColor(cfg, s) }));
}

/** Pilz's published mean ± std over his 3 runs, per function, up to this profile's budget (dashed in the figures). */
function pilzSeries(cfg: GalExperimentConfig, pub: PilzPublished, metric: "test_acc" | "test_mutual_information"): BandSeries[] {
  const lastSize = 10 * cfg.run.initialPerClass + cfg.run.steps * cfg.run.acquireSize;
  return cfg.strategies.filter((s) => PILZ_FUNCTION[s]).map((s) => {
    const runs = pub[metric][PILZ_FUNCTION[s]];
    const x = pub.train_size.slice(0, runs[0].length).filter((n) => n <= lastSize);
    return { name: `${GAL_LABELS[s]} (Pilz, n=${runs.length})`, x, mean: x.map((_, i) => mean(runs.map((r) => r[i]))), spread: x.map((_, i) => std(runs.map((r) => r[i]))), dash: "dash", color: strategyColor(cfg, s) };
  });
}

export function galFigures(cfg: GalExperimentConfig, results: readonly RunResult[], pub: PilzPublished | null = cfg.paperOf === "pilz" ? loadPilzPublished() : null): Record<string, PlotlyFigure> {
  const sub = profileSubtitle(cfg.profile, cfg.reduced);
  const xTitle = BUDGET_UNIT_LABEL[TS];
  const accOurs = bandSeries(cfg, results, (r) => r.records.map((s) => s.testAccuracy));
  const miOurs = bandSeries(cfg, results, (r) => r.records.map((s) => s.testMeanMI));
  const acc = curvesWithBands("Test accuracy (mean ± std over seeds)", xTitle, "test accuracy",
    pub ? [...accOurs, ...pilzSeries(cfg, pub, "test_acc")] : accOurs, { subtitle: `${sub}${pub ? "; dashed: Pilz's published runs" : ""}` });
  const mi = curvesWithBands("Mean test mutual information", xTitle, "mean BALD on test points (nats)",
    pub ? [...miOurs, ...pilzSeries(cfg, pub, "test_mutual_information")] : miOurs, { subtitle: `${sub}${pub ? "; dashed: Pilz's published runs" : ""}` });
  const groups = byStrategy(results);
  const rand = groups.get("random");
  const strategies = cfg.strategies.filter((s) => groups.has(s));
  const curvesOf = (s: string) => groups.get(s)!.map((r) => curveOf(r, TS));
  const relative = cfg.errorThresholds.map((e) => {
    const target = 1 - e;
    const randAS = rand ? averageStep(rand.map((r) => curveOf(r, TS)), target, cfg.reachRule) : NaN;
    return { name: `Average-Step, ${e * 100}% error`, categories: strategies.map((s) => GAL_LABELS[s] ?? s),
      values: strategies.map((s) => averageStep(curvesOf(s), target, cfg.reachRule) / randAS) };
  });
  const rel = groupedBars("Training-set size to reach an error, relative to Random", "relative to Random (Average-Step)", relative,
    { subtitle: `${sub}; a missing bar: the function or Random never reached that error` });
  return { "gal-mnist-accuracy": acc, "gal-mnist-mutual-information": mi, "gal-mnist-relative-to-random": rel };
}

/** Mean ± std of the final test error per strategy, beside Gal's errors after 1,000 acquired images. */
export function finalAccuracyTable(cfg: GalExperimentConfig, results: readonly RunResult[]): Row[] {
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const finals = groups.get(s)!.map((r) => r.records[r.records.length - 1]);
    const errs = finals.map((f) => 100 * (1 - f.testAccuracy));
    return {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "labelled at the end": finals[0].labelled,
      "final test error % (ours)": `${formatFixed(mean(errs), 2)} ± ${formatFixed(std(errs), 2)}`,
      "Gal et al. error % after 1,000 acquired": GAL_FINAL_ERROR[s] !== undefined ? formatNumber(GAL_FINAL_ERROR[s], 2) : "no paper number",
    };
  });
}
