// Stochastic batch acquisition (paper 002) on RepeatedMNIST: the typed config, its schema, the named
// profiles (the only place where the protocol's numbers are written) and the runs a profile makes.
import { repeatedMnistName, RepeatedMnistOptions } from "../../data/repeated-mnist";
import { AlRunConfig } from "../../loop/active-learning";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA, validateConfig } from "../../loop/validate";
import { Follows } from "../../report/protocol";

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
  /**
   * RepeatedMNIST; `noisePer: "run"` draws the noise anew for every run from its seed (the draft's code,
   * where it is drawn after torch.manual_seed(seed)); "experiment" (default) once, from noiseSeed.
   */
  data: RepeatedMnistOptions & { noisePer?: "experiment" | "run" };
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

export const PAPER_SIZES = [5, 10, 20, 50];

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
  // The draft's runs (466d7e4 / bfc8fa7) drew the validation split per run (torch.randperm after
  // torch.manual_seed(seed)), so the fixed initial positions pick other images in every run; one split
  // for all runs (validation_split_random_state=0) came later (e070b6d): `splitSeed: 0` gives it.
  initialPerClass: 2, initialPoolPositions: BATCHBALD_INITIAL_POSITIONS, validationSize: 4096, poolSubset: 0, testSubset: 0, T: 20, consistentMc: true,
  testPrediction: "mc-mean", testMcPasses: 4,
  train: { epochs: 10, batchSize: 64, epochSamples: 24576, patience: 3, loss: "softmax-cross-entropy", optimizer: ADAM, l2: { c: 2.5e-4, layers: "all", fixed: true }, validationMcSamples: 4 },
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
      "BatchBALD's fixed initial pool positions in a validation split and noise drawn per run, the whole pool scored with K=20 MC samples (BatchBALD 100, top-k BALD at b=50 50), 'SoftmaxBALD' as p ~ score^8 " +
      "without replacement, Adam with weight decay 5e-4, 24,576 samples/epoch, at most 10 epochs (patience 3), validation 4,096, test accuracy " +
      "from 4 MC samples, until the training set reaches 300, 5 seeds",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0, noisePer: "run" },
    arms: [
      { strategy: "bald", sizes: [5, 10, 20] },
      { strategy: "bald", sizes: [50], T: 50 },
      { strategy: "batchbald(M=100000)", sizes: [5, 10], T: 100 },
      // experiment.py@466d7e4: K = max(20, b) for top-k BALD only; every tempered config (SoftmaxBALD) K = 20.
      { strategy: "power-bald(beta=8)", sizes: [5, 10, 20, 50], paperRow: "softmax-bald" },
      { strategy: "random", sizes: [5] },
    ],
    ablation: { acquireSize: 10, betas: [], seeds: [] },
    seeds: [1, 2, 3, 4, 5], maxTrainingSet: 300, run: AUTHORS_RUN, accuracyTargets: [0.9, 0.95],
  },
  reference: {
    profile: "reference", reduced: false, follows: "authors-code", model: "bayesian-mnist-cnn",
    description: "Reference runs (committed in reference-results/softmax-repeated-mnist/): 'authors-code' cut to Table 1's b = 50 column " +
      "(BALD with K = 50, SoftmaxBALD as p ~ score^8 with K = 20, Random; until the training set reaches 300, i.e. 320 after the last batch), " +
      "then its b = 10 column without BatchBALD (BALD and SoftmaxBALD with K = 20, Random; to 300), seeds 1-3, arm by arm",
    data: { copies: 2, noiseStd: 0.1, noiseSeed: 0, noisePer: "run" },
    arms: [
      { strategy: "bald", sizes: [50], T: 50 },
      { strategy: "power-bald(beta=8)", sizes: [50], paperRow: "softmax-bald" },
      { strategy: "random", sizes: [50], T: 50 },
      { strategy: "bald", sizes: [10] },
      { strategy: "power-bald(beta=8)", sizes: [10], paperRow: "softmax-bald" },
      { strategy: "random", sizes: [10] },
    ],
    ablation: { acquireSize: 10, betas: [], seeds: [] },
    seeds: [1, 2, 3], maxTrainingSet: 300, run: AUTHORS_RUN, accuracyTargets: [0.9, 0.95],
    cuts: {
      "Acquisition functions and sizes": "Table 1's b = 50 and b = 10 columns (BALD, SoftmaxBALD, Random; BatchBALD at b = 10 costs ~2,700 s per step here: GPU work), to fit 2 CPU cores",
      Repetitions: "3 seeds of the paper's 5 trials, to fit 2 CPU cores",
      "MC dropout samples": "top-k BALD with K = 50 at b = 50 (the code's max(20, b)), SoftmaxBALD with K = 20 (every tempered config of the code)",
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
  data: { copies: "positive integer", noiseStd: "number", noiseSeed: "number", noisePer: optional(["experiment", "run"]) },
  arms: "object", ablation: { acquireSize: "positive integer", betas: "number[]", seeds: "number[]" },
  seeds: "seed list", maxTrainingSet: "positive integer", accuracyTargets: "number[]",
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

/** The RepeatedMNIST a run of `seed` trains on: its own noise draw when the noise is per run. */
export function runData(cfg: SoftmaxExperimentConfig, seed: number): RepeatedMnistOptions {
  const { copies, noiseStd, noiseSeed } = cfg.data;
  return { copies, noiseStd, noiseSeed: cfg.data.noisePer === "run" ? seed : noiseSeed };
}

function runConfig(cfg: SoftmaxExperimentConfig, strategy: string, acquireSize: number, seed: number, T = cfg.run.T): AlRunConfig {
  return {
    experiment: "softmax-repeated-mnist", dataset: repeatedMnistName(runData(cfg, seed)), model: cfg.model, strategy, seed,
    ...cfg.run, T, steps: stepsToReach(cfg.maxTrainingSet, 10 * cfg.run.initialPerClass, acquireSize), acquireSize,
  };
}

export const ablationStrategy = (beta: number) => `softmax-bald(beta=${beta})`;

/** Main grid (arm x size x seed), then the ablation runs not already in it. */
export function softmaxRunConfigs(cfg: SoftmaxExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, SCHEMA, "softmax-repeated-mnist config");
  if (!Array.isArray(cfg.arms) || cfg.arms.length === 0) throw new Error("softmax-repeated-mnist config.arms: expected a non-empty array of { strategy, sizes }");
  cfg.arms.forEach((a, i) => validateConfig(a, { strategy: "string", sizes: "non-empty number[]", T: optional("positive integer"), paperRow: optional("string") }, `softmax-repeated-mnist config.arms[${i}]`));
  // Arm by arm and size by size, seeds innermost (the reference plan's first column completes first).
  const runs = cfg.arms.flatMap((arm) => arm.sizes.flatMap((b) => cfg.seeds.map((seed) => runConfig(cfg, arm.strategy, b, seed, arm.T))));
  const ab = cfg.ablation;
  runs.push(...ab.seeds.flatMap((seed) => ab.betas.map((beta) => runConfig(cfg, ablationStrategy(beta), ab.acquireSize, seed))));
  return runs;
}
