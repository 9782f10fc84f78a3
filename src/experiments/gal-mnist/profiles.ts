// Gal et al. 2017 §5.1 (MNIST) as reproduced by Pilz 2025 (paper 003): the typed config, its schema,
// the named profiles (the only place where the protocol's numbers are written) and the runs a profile makes.
import { strategyByName } from "../../acquisition/strategy";
import { MnistScaling } from "../../data/mnist";
import { AlRunConfig } from "../../loop/active-learning";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA, validateConfig } from "../../loop/validate";
import { ReachRule } from "../../report/metrics";
import { Follows } from "../../report/protocol";
import { checkSeedPlan, strategiesWithSeed } from "../seeds";

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
  /**
   * Runs that go further than `run.steps` (reference profile): these strategies with these seeds run
   * `steps` steps. Tables and most claims read every run up to `run.steps`; the claims beyond it read these.
   */
  longRuns?: { strategies: string[]; seeds: number[]; steps: number };
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

const GAL_ORIGINAL: GalExperimentConfig = {
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
};

export const GAL_PROFILES: Record<string, GalExperimentConfig> = {
  paper: PILZ_TEXT,
  "authors-code": {
    ...PILZ_TEXT, profile: "authors-code", follows: "authors-code",
    description: "Pilz's code (commit of the 2025-02-20 run): as 'paper' but dropout .25 before fc1 and .5 before fc2, and the weights of epoch 400 (his 'best' state dict is a reference to the live weights)",
    run: { ...PILZ_TEXT_RUN, modelOptions: { init: "pytorch", dropout: [0.25, 0.5] }, train: { ...PILZ_TEXT_RUN.train, keepBestValidation: false } },
  },
  "gal-original": GAL_ORIGINAL,
  reference: {
    ...PILZ_TEXT, profile: "reference", follows: "authors-code",
    description: "Reference runs (committed in reference-results/gal-mnist/): 'authors-code' cut to the first 30 steps " +
      "(training set 20 -> 320, which covers the 10% and 5% error thresholds of every function but Random at 5%) " +
      "for ME, VR and MSTD with seeds 1-3 and Random with seeds 4-6 (Random's threshold crossing is the noisiest); " +
      "BALD and Random with seeds 1-3 to Pilz's 100 steps (training set 1,020: Random's 5% crossing, his 610)",
    run: { ...PILZ_TEXT_RUN, steps: 30, modelOptions: { init: "pytorch", dropout: [0.25, 0.5] }, train: { ...PILZ_TEXT_RUN.train, keepBestValidation: false } },
    firstStrategies: ["bald", "random"],
    seeds: [1, 2, 3, 4, 5, 6],
    seedsByStrategy: { "max-entropy": [1, 2, 3], bald: [1, 2, 3], "variation-ratio": [1, 2, 3], "mean-std": [1, 2, 3] },
    longRuns: { strategies: ["bald", "random"], seeds: [1, 2, 3], steps: 100 },
    cuts: {
      "Acquisition steps x size": "budget cut to 30 steps (320 labelled) to fit 2 CPU cores, except BALD and Random with seeds 1-3: 100 steps (1,020 labelled; Pilz's Random needs 610 at 5% error)",
      Repetitions: "Random with seeds 1-6 (its crossings vary the most), every other function with seeds 1-3 as Pilz",
    },
  },
  // Gal's own protocol beside Pilz's (a second reference profile: reference-results/gal-mnist/gal-original/).
  "reference-gal-original": {
    ...GAL_ORIGINAL, profile: "reference-gal-original",
    description: "Reference runs of Gal's own protocol (committed in reference-results/gal-mnist/gal-original/): 'gal-original' " +
      "for BALD, ME, VR and Random with seeds 1-3 to 1,000 labelled (Gal's Table 1 and his errors after 1,000 acquired images); " +
      "MSTD left out (his code scores it with zero spread, Random in effect; Pilz's reference runs have it)",
    strategies: ["max-entropy", "bald", "variation-ratio", "random"], firstStrategies: ["bald", "random"],
    // The test MI is our side metric (Gal's code records none): 20 passes over 10,000 test images cost more than the rest of a step.
    run: { ...GAL_ORIGINAL.run, testMcPasses: 0 },
    cuts: {
      "Acquisition functions": "MSTD left out of the reference runs (Gal's code scores it with zero spread, Random in effect; Pilz's reference runs have MSTD)",
      "Test prediction": "no test mutual information (Gal's code records none; 20 MC passes over the 10,000 test images would cost more than the rest of a step)",
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
  strategies: "non-empty string[]", seeds: "seed list", seedsByStrategy: optional("object"), run: RUN_SCHEMA, l2ByStrategy: optional("object"), errorThresholds: "number[]", reachRule: ["at-least", "above"],
  firstStrategies: optional("string[]"), cuts: optional("object"), longRuns: optional("object"),
};

export function galProfile(name: string): GalExperimentConfig {
  const p = GAL_PROFILES[name];
  if (!p) throw new Error(`gal-mnist: unknown profile '${name}' (expected one of ${Object.keys(GAL_PROFILES).join(", ")})`);
  return structuredClone(p);
}

export const datasetName = (s: MnistScaling) => (s === "unit" ? "mnist(scaling=unit)" : "mnist");

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
  const long = cfg.longRuns;
  if (long) {
    const bad = long.strategies.find((s) => !cfg.strategies.includes(s)) ?? long.seeds.find((x) => !cfg.seeds.includes(x));
    if (bad !== undefined) throw new Error(`gal-mnist config.longRuns: ${JSON.stringify(bad)} is not one of the profile's strategies / seeds`);
    if (!(Number.isInteger(long.steps) && long.steps > cfg.run.steps)) throw new Error(`gal-mnist config.longRuns.steps: expected an integer above run.steps ${cfg.run.steps}, got ${JSON.stringify(long.steps)}`);
  }
  const isLong = (strategy: string, seed: number) => !!long && long.strategies.includes(strategy) && long.seeds.includes(seed);
  const runs = cfg.seeds.flatMap((seed) => strategiesWithSeed(cfg, cfg.strategies, seed).map((strategy) => {
    const l2 = cfg.l2ByStrategy ? { l2: { c: cfg.l2ByStrategy[strategy], layers: "hidden-dense" as const } } : {};
    return {
      experiment: "gal-mnist", dataset: datasetName(cfg.inputScaling), model: cfg.model, strategy, seed, ...cfg.run,
      ...(isLong(strategy, seed) ? { steps: long!.steps } : {}), train: { ...cfg.run.train, ...l2 },
    };
  }));
  // Compute priority: the first strategies' runs (all seeds), then the rest seed by seed.
  const first = new Set(cfg.firstStrategies ?? []);
  return [...runs.filter((r) => first.has(r.strategy)), ...runs.filter((r) => !first.has(r.strategy))];
}
