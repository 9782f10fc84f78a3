// DEIMOS (paper 004): the typed config, its schema, the named profiles (the only place where the
// protocol's numbers are written) and the MNIST runs a profile makes.
import { AlRunConfig } from "../../loop/active-learning";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA, validateConfig } from "../../loop/validate";
import { TrainConfig } from "../../training/train";
import { checkSeedPlan, strategiesWithSeed } from "../seeds";

export interface Regression1dConfig {
  seed: number;
  /** Labelled points; few of them in the sparse middle region |x| < 2.5. */
  nTrain: number;
  /** Grid of candidate inputs over [-10, 10] (the sample set, with the labelled points). */
  nGrid: number;
  hidden: number[];
  dropout: number;
  /** MC-dropout masks shared by all points. */
  J: number;
  tauFraction: number;
  batch: number;
  train: TrainConfig;
}

export interface AppendixAConfig {
  seed: number;
  trials: number;
  sizes: number[];
  /** Points per simulated V (the optimum is searched over all batches of them). */
  points: number;
  /** Predictions per point (dropout masks). */
  J: number;
  tauFraction: number;
}

export interface ClassificationArm {
  name: string;
  /** MNIST classes (relabelled 0..k-1). */
  classes: number[];
  strategies: string[];
  acquireSize: number;
  steps: number;
  initialPerClass: number;
  validationSize: number;
  /** Candidates scored per step (App. D: 2,500 for 7 vs 9, 2,000 for 0-9). */
  poolSubset: number;
}

export interface DeimosExperimentConfig {
  profile: string;
  reduced: boolean;
  /** Points cut on purpose (reference profile), by protocol row name, with the reason. */
  cuts?: Record<string, string>;
  description: string;
  regression: Regression1dConfig;
  appendixA: AppendixAConfig;
  arms: ClassificationArm[];
  seeds: number[];
  /** Seeds of the named strategies where the profile cuts them (reference runs; see ./seeds). */
  seedsByStrategy?: Record<string, number[]>;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset" | "steps" | "acquireSize" | "initialPerClass" | "validationSize" | "poolSubset">;
  /** Test accuracies of Table 2 (the paper's: .95, .96, .97, .975). */
  accuracyTargets: number[];
}

// Weight decay as the paper's L2 penalty (App. D/E): lambda = 5e-4 in the 1-D regression; lambda = C/N on
// the fully-connected layers in classification (C tuned on validation in the paper, value not given).
const REGRESSION_TRAIN: TrainConfig = {
  epochs: 2000, batchSize: 0, patience: 0, loss: "mse",
  optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, l2: { c: 5e-4, layers: "dense", fixed: true },
};

// App. E: p calibrated and C selected on the validation set after training on the initial set; the
// paper gives no grids, these are ours (the rates of lenet5-fc-dropout's three dropout layers; C
// around Gal et al.'s 2.5, which stage 1 trains with). Rules in src/loop/tuning.ts.
const TUNING = {
  dropout: [[0.1, 0.1, 0.1], [0.25, 0.25, 0.25], [0.5, 0.25, 0.25], [0.5, 0.5, 0.5]],
  c: [0.025, 0.25, 2.5, 25],
};

const CLASSIFICATION_RUN: DeimosExperimentConfig["run"] = {
  testSubset: 0, T: 50, consistentMc: true,
  train: { epochs: 200, batchSize: 0, patience: 0, loss: "softmax-cross-entropy", optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    l2: { c: 2.5, layers: "dense" } },
  tuning: TUNING,
};

const BASELINES = ["deimos", "bald", "max-entropy", "kcenter", "random"];
const BATCH_REFERENCE = ["deimos", "batchbald", "random", "max-entropy", "kcenter"];

export const DEIMOS_PROFILES: Record<string, DeimosExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false,
    description: "Paper 004: 1-D regression (MLP [256,256,256], p=0.2, L2 5e-4, J=100), Appendix A (200 V per batch size 2/5/10), " +
      "MNIST 7 vs 9 (initial 10; 200 single-point acquisitions; batch 25 to 1,000 acquired; 2,500 candidates) and 0-9 (initial 30, batch 25 to " +
      "500 acquired, 2,000 candidates), LeNet-5 with dropout before every dense layer, L2 C/N on the dense layers, p and C tuned on validation (App. E), T=50, 3 seeds",
    regression: { seed: 1, nTrain: 60, nGrid: 400, hidden: [256, 256, 256], dropout: 0.2, J: 100, tauFraction: 0.15, batch: 5, train: REGRESSION_TRAIN },
    appendixA: { seed: 1, trials: 200, sizes: [2, 5, 10], points: 15, J: 50, tauFraction: 0.1 },
    arms: [
      { name: "7v9-single", classes: [7, 9], strategies: BASELINES, acquireSize: 1, steps: 200, initialPerClass: 5, validationSize: 10, poolSubset: 2500 },
      { name: "7v9-batch25", classes: [7, 9], strategies: [...BASELINES, "batchbald"], acquireSize: 25, steps: 40, initialPerClass: 5, validationSize: 10, poolSubset: 2500 },
      { name: "0-9-batch25", classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], strategies: [...BASELINES, "batchbald"], acquireSize: 25, steps: 20, initialPerClass: 3, validationSize: 30, poolSubset: 2000 },
    ],
    seeds: [1, 2, 3], run: CLASSIFICATION_RUN, accuracyTargets: [0.95, 0.96, 0.97, 0.975],
  },
  reference: {
    profile: "reference", reduced: false,
    description: "Reference runs (committed in reference-results/deimos/): 'paper' with its single-point MNIST 7 vs 9 arm cut to 160 " +
      "acquisitions (Table 2's thresholds fall within it; DEIMOS, BALD, Random, max entropy and k-center), then its batch-25 arms to the " +
      "paper's budgets, 7 vs 9 (to 1,000 acquired; 0.3-1.5 h a run here (Random and max entropy to BatchBALD), so Figure 3a/3d's claims first) before 0-9 (to 500; ~2 min a step), " +
      "with DEIMOS, BatchBALD, Random, max entropy and k-center (Figure 3's comparisons; BALD left out); seeds 1-3, arm by arm",
    regression: { seed: 1, nTrain: 60, nGrid: 400, hidden: [256, 256, 256], dropout: 0.2, J: 100, tauFraction: 0.15, batch: 5, train: REGRESSION_TRAIN },
    appendixA: { seed: 1, trials: 200, sizes: [2, 5, 10], points: 15, J: 50, tauFraction: 0.1 },
    arms: [
      { name: "7v9-single", classes: [7, 9], strategies: ["deimos", "bald", "random", "max-entropy", "kcenter"], acquireSize: 1, steps: 160, initialPerClass: 5, validationSize: 10, poolSubset: 2500 },
      { name: "7v9-batch25", classes: [7, 9], strategies: BATCH_REFERENCE, acquireSize: 25, steps: 40, initialPerClass: 5, validationSize: 10, poolSubset: 2500 },
      { name: "0-9-batch25", classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], strategies: BATCH_REFERENCE, acquireSize: 25, steps: 20, initialPerClass: 3, validationSize: 30, poolSubset: 2000 },
    ],
    seeds: [1, 2, 3], run: CLASSIFICATION_RUN, accuracyTargets: [0.95, 0.96, 0.97, 0.975],
    cuts: {
      "MNIST arms and budgets": "the single-point 7 vs 9 arm to 160 acquisitions (Table 2's last threshold is at 158), to fit 2 CPU cores; the batch-25 arms without BALD (Figure 3 compares DEIMOS with Random, k-center, max entropy and BatchBALD)",
    },
  },
  smoke: {
    profile: "smoke", reduced: true,
    description: "REDUCED smoke configuration: 1-D regression with 300 epochs and J=50; Appendix A with 40 V per batch size 2/5/10; " +
      "MNIST 7 vs 9 only, batch 5 x 4 steps, 300 candidates, test subset 500, T=20, 60 epochs, tuning over 2 dropout lists x 2 C, 2 seeds",
    regression: { seed: 1, nTrain: 60, nGrid: 200, hidden: [256, 256, 256], dropout: 0.2, J: 50, tauFraction: 0.15, batch: 5, train: { ...REGRESSION_TRAIN, epochs: 300 } },
    appendixA: { seed: 1, trials: 40, sizes: [2, 5, 10], points: 13, J: 50, tauFraction: 0.1 },
    arms: [
      { name: "7v9-batch5", classes: [7, 9], strategies: [...BASELINES, "batchbald(M=1000)"], acquireSize: 5, steps: 4, initialPerClass: 5, validationSize: 10, poolSubset: 300 },
    ],
    seeds: [1, 2],
    run: { ...CLASSIFICATION_RUN, testSubset: 500, T: 20, train: { ...CLASSIFICATION_RUN.train, epochs: 60 }, tuning: { dropout: [[0.25, 0.25, 0.25], [0.5, 0.25, 0.25]], c: [0.25, 2.5] } },
    accuracyTargets: [0.9, 0.95],
  },
};

const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", cuts: optional("object"), description: "string", arms: "object", seeds: "seed list", seedsByStrategy: optional("object"), accuracyTargets: "number[]",
  regression: { seed: "number", nTrain: "positive integer", nGrid: "positive integer", dropout: "fraction", J: "positive integer", tauFraction: "positive number", batch: "positive integer", hidden: "number[]", train: TRAIN_SCHEMA },
  appendixA: { seed: "number", trials: "positive integer", sizes: "number[]", points: "positive integer", J: "positive integer", tauFraction: "number" },
  run: { testSubset: "non-negative integer", T: "positive integer", consistentMc: "boolean", ...OPTIONAL_RUN_FIELDS, train: TRAIN_SCHEMA },
};

const ARM_SCHEMA: Schema = {
  name: "string", classes: "non-empty number[]", strategies: "non-empty string[]", acquireSize: "positive integer", steps: "positive integer",
  initialPerClass: "positive integer", validationSize: "positive integer", poolSubset: "non-negative integer",
};

export function deimosProfile(name: string): DeimosExperimentConfig {
  const p = DEIMOS_PROFILES[name];
  if (!p) throw new Error(`deimos: unknown profile '${name}' (expected one of ${Object.keys(DEIMOS_PROFILES).join(", ")})`);
  return structuredClone(p);
}

export function datasetName(classes: readonly number[]): string {
  return classes.length === 10 ? "mnist" : `mnist(classes=${classes.join("-")})`;
}

export function deimosRunConfigs(cfg: DeimosExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, SCHEMA, "deimos config");
  if (!Array.isArray(cfg.arms) || cfg.arms.length === 0) throw new Error("deimos config.arms: expected a non-empty array of arms");
  cfg.arms.forEach((a, i) => validateConfig(a, ARM_SCHEMA, `deimos config.arms[${i}]`));
  checkSeedPlan(cfg, [...new Set(cfg.arms.flatMap((a) => a.strategies))], "deimos config");
  // Arm by arm, seed by seed within an arm (an arm's claims need all its seeds; the first arm is the cheapest).
  return cfg.arms.flatMap((arm) => cfg.seeds.flatMap((seed) => strategiesWithSeed(cfg, arm.strategies, seed).map((strategy) => ({
    experiment: "deimos", dataset: datasetName(arm.classes), model: `lenet5-fc-dropout(classes=${arm.classes.length})`, strategy, seed,
    ...cfg.run, steps: arm.steps, acquireSize: arm.acquireSize, initialPerClass: arm.initialPerClass, validationSize: arm.validationSize, poolSubset: arm.poolSubset,
  }))));
}

export const STRATEGY_LABELS: Record<string, string> = { deimos: "DEIMOS", bald: "BALD", "max-entropy": "max entropy", kcenter: "k-center", random: "Random", batchbald: "BatchBALD" };
