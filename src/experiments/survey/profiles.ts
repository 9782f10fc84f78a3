// The comparative survey of deep active learning (paper 001, Zhan et al. 2022) and its toolkit DeepAL+
// (SineZHAN/deepALplus @ 93c2884): the typed config, its schema, the named profiles (the only place where
// the protocol's numbers are written) and the runs a profile makes.
import { strategyByName } from "../../acquisition/strategy";
import { CIFAR10_MEAN, CIFAR10_STD } from "../../data/cifar10";
import { AlRunConfig } from "../../loop/active-learning";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA, validateConfig } from "../../loop/validate";
import { Follows } from "../../report/protocol";

/** One row of the catalogue: the survey's name and the strategy that implements it here. */
export interface SurveyArm {
  label: string;
  strategy: string;
  /** Candidates scored per step for this arm only (0/unset: the part's poolSubset). Caps the slow adversarial attacks. */
  poolSubset?: number;
}

/** One dataset of the comparison, with the learner and protocol used on it. */
export interface SurveyPart {
  dataset: "mnist" | "cifar10";
  model: "resnet18-mnist" | "resnet18-cifar" | "lenet5";
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset">;
  /** DeepAL+'s --quota (int(quota / b) rounds run; AUBC divides by it): default steps x acquireSize. */
  quota?: number;
}

export interface SurveyExperimentConfig {
  profile: string;
  reduced: boolean;
  description: string;
  follows: Follows;
  parts: SurveyPart[];
  arms: SurveyArm[];
  seeds: number[];
  /** The survey's win-tie-loss margin on AUBC (0.5% = 0.005). */
  winMargin: number;
  cuts?: Record<string, string>;
}

export const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

const CIFAR_PAD = CIFAR10_MEAN.map((m, c) => (0 - m) / CIFAR10_STD[c]);

/** DeepAL+'s shared learner protocol: a fresh ResNet-18 each round, Adam 1e-3, batch 128, fixed epochs, final weights, no validation set. */
function deepAlRun(epochs: number, initial: number, acquireSize: number, steps: number, extra: Partial<SurveyPart["run"]> = {}): SurveyPart["run"] {
  return {
    initialPerClass: initial / 10, initialSelection: "random", validationSize: 0, steps, acquireSize, poolSubset: 0, testSubset: 0,
    testPrediction: "deterministic", testMcPasses: 0, T: 10, consistentMc: false,
    train: { epochs, batchSize: 128, optimizer: ADAM, patience: 0, loss: "softmax-cross-entropy", keepBestValidation: false },
    ...extra,
  };
}

/** The catalogue as the survey's text describes it. */
const PAPER_ARMS: SurveyArm[] = [
  { label: "Random", strategy: "random" },
  { label: "LeastConf", strategy: "plain-least-confidence" },
  { label: "LeastConfD", strategy: "least-confidence" },
  { label: "Margin", strategy: "plain-margin" },
  { label: "MarginD", strategy: "margin" },
  { label: "Entropy", strategy: "plain-max-entropy" },
  { label: "EntropyD", strategy: "max-entropy" },
  { label: "BALD", strategy: "bald" },
  { label: "MeanSTD", strategy: "mean-std" },
  // DeepAL+'s VarRatio is 1 - max p on one deterministic pass: LeastConf's score, hence LeastConf's runs.
  { label: "VarRatio", strategy: "plain-least-confidence" },
  { label: "VarRatio (Gal: MC mode count)", strategy: "variation-ratio" },
  { label: "CEAL(Entropy)", strategy: "ceal-max-entropy(delta=1e-5)" },
  { label: "KMeans", strategy: "kmeans(restarts=10)" },
  { label: "KCenter", strategy: "kcenter-pca(dims=32)" },
  { label: "BADGE", strategy: "badge" },
  { label: "AdversarialBIM", strategy: "adversarial-bim(eps=0.05,iters=100)", poolSubset: 2000 },
  { label: "AdversarialDeepFool", strategy: "adversarial-deepfool(iters=50)", poolSubset: 2000 },
];

/**
 * Where DeepAL+'s code differs from the text: CEAL's threshold schedule and NaN entropy, KCenter's PCA size,
 * DeepFool's step, and KMeans' seeding (scikit-learn 1.0.1's KMeans: greedy k-means++).
 */
const CODE_ARMS: SurveyArm[] = PAPER_ARMS.map((a) => ({
  ...a,
  strategy: a.label === "CEAL(Entropy)" ? "ceal-max-entropy(delta=5e-5,decay=3.3e-7,nan=1)"
    : a.label === "KMeans" ? "kmeans(restarts=10,greedy=1)"
    : a.label === "KCenter" ? "kcenter-pca(dims=50)"
    : a.label === "AdversarialDeepFool" ? "adversarial-deepfool(iters=50,last=1)" : a.strategy,
}));

const PAPER_PARTS: SurveyPart[] = [
  // DeepAL+'s README demo for MNIST: -s 100 -q 1000 -b 100 (10 rounds).
  { dataset: "mnist", model: "resnet18-mnist", run: { ...deepAlRun(20, 100, 100, 10), modelOptions: { dropout: [0.5] } } },
  // arguments.py's defaults (CIFAR10): initseed 1000, batch 128, quota 1000 (int(1000 / 128) = 7 rounds).
  { dataset: "cifar10", model: "resnet18-cifar", quota: 1000, run: { ...deepAlRun(30, 1000, 128, 7), modelOptions: { dropout: [0.5] },
    train: { ...deepAlRun(30, 1000, 128, 7).train, augment: { cropPadding: 4, horizontalFlip: true, padValue: CIFAR_PAD } } } },
];

/** DeepAL+'s code: no dropout layer, so its "MC dropout" passes run the network in training mode. */
const CODE_PARTS: SurveyPart[] = PAPER_PARTS.map((p) => ({ ...p, run: { ...p.run, modelOptions: {}, mcBatchNorm: "batch-statistics", mcBatchSize: 1000 } }));

/** The strategies the survey's headline claims compare (win-tie-loss, MC dropout vs plain, BADGE vs KMeans, CEAL). */
const REFERENCE_LABELS = ["Random", "LeastConf", "LeastConfD", "Entropy", "BALD", "KMeans", "BADGE", "CEAL(Entropy)"];

const PAPER: SurveyExperimentConfig = {
  profile: "paper", reduced: false, follows: "paper",
  description: "The survey's text: ResNet-18 (7x7 first conv on MNIST, 3x3 on CIFAR-10), Adam 1e-3, 20 / 30 epochs, CIFAR crop + flip, MC dropout with 10 passes " +
    "(our choice: p = 0.5 before the classifier), CEAL delta 1e-5, KCenter on 32 PCA dimensions; initial set, batch and budget of DeepAL+'s code " +
    "(MNIST 100 + 10 x 100, CIFAR-10 1,000 + 7 x 128), the whole pool scored, adversarial arms on 2,000 candidates; 3 trials",
  parts: PAPER_PARTS, arms: PAPER_ARMS, seeds: [1, 2, 3], winMargin: 0.005,
};

export const SURVEY_PROFILES: Record<string, SurveyExperimentConfig> = {
  paper: PAPER,
  "authors-code": {
    ...PAPER, profile: "authors-code", follows: "authors-code", arms: CODE_ARMS,
    description: "DeepAL+'s code: as 'paper' but ResNet-18 without any dropout layer, so the 'dropout' passes run the network in training mode " +
      "(batch norm on the statistics of unshuffled chunks of 1,000) and the 10 passes are identical; CEAL delta 5e-5 lowered by 0.033e-5 x t each round, " +
      "its entropy NaN (never pseudo-labelled) where a class probability is exactly 0; " +
      "KCenter on 50 PCA dimensions; DeepFool steps toward the last class (its running minimum is never updated)",
    parts: CODE_PARTS,
  },
  reference: {
    ...PAPER, profile: "reference", follows: "authors-code",
    description: "Reference runs (committed in reference-results/survey/): 'authors-code' cut to its MNIST part (ResNet-18, 100 + 10 x 100) and " +
      `the eight strategies the survey's headline claims compare (${REFERENCE_LABELS.join(", ")}), 3 trials (seeds 1-3)`,
    parts: CODE_PARTS.filter((p) => p.dataset === "mnist"),
    arms: CODE_ARMS.filter((a) => REFERENCE_LABELS.includes(a.label)),
    cuts: {
      Datasets: "MNIST only (ResNet-18 steps cost ~230-300 s on 2 CPU cores; CIFAR-10 does not travel to a lent GPU machine)",
      Strategies: `the eight strategies the headline claims compare (${REFERENCE_LABELS.join(", ")}), to fit 2 CPU cores`,
    },
  },
  smoke: {
    profile: "smoke", reduced: true, follows: "paper",
    description: "REDUCED smoke configuration: MNIST, LeNet-5 (its two dropout layers) instead of ResNet-18, 20 random initial labels + 3 x 10, " +
      "10 epochs of 512 samples (the labelled set cycled) in batches of 32, pool subset 300, test subset 1,000, T = 10, 2 seeds; every catalogue strategy",
    parts: [{
      dataset: "mnist", model: "lenet5",
      run: { ...deepAlRun(10, 20, 10, 3, { poolSubset: 300, testSubset: 1000 }), train: { ...deepAlRun(10, 20, 10, 3).train, batchSize: 32, epochSamples: 512 } },
    }],
    arms: PAPER_ARMS.map((a) => ({ ...a, poolSubset: undefined })), seeds: [1, 2], winMargin: 0.005,
  },
};

/**
 * The smallest run of every kind of model output (deterministic and MC passes, embeddings, input
 * gradients): what `make webgpu-smoke` runs on a software WebGPU adapter (lavapipe, ~10-20x slower than wasm).
 */
SURVEY_PROFILES["webgpu-smoke"] = {
  ...SURVEY_PROFILES.smoke, profile: "webgpu-smoke",
  description: "REDUCED smoke configuration for the webgpu backend on a software adapter: as 'smoke' with 1 query, 1 seed, " +
    "5 epochs, 100 candidates, and one strategy per kind of model output (Random; EntropyD: MC passes; BADGE: deterministic pass + embeddings; " +
    "AdversarialDeepFool: input gradients)",
  parts: SURVEY_PROFILES.smoke.parts.map((p) => ({ ...p, run: { ...p.run, steps: 1, poolSubset: 100, train: { ...p.run.train, epochs: 5 } } })),
  arms: SURVEY_PROFILES.smoke.arms.filter((a) => ["Random", "EntropyD", "BADGE", "AdversarialDeepFool"].includes(a.label)),
  seeds: [1],
};

const RUN_SCHEMA: Schema = {
  initialPerClass: "positive integer", validationSize: "non-negative integer", steps: "non-negative integer",
  acquireSize: "positive integer", poolSubset: "non-negative integer", testSubset: "non-negative integer",
  T: "positive integer", consistentMc: "boolean", ...OPTIONAL_RUN_FIELDS, train: TRAIN_SCHEMA,
};

const PART_SCHEMA: Schema = { dataset: ["mnist", "cifar10"], model: ["resnet18-mnist", "resnet18-cifar", "lenet5"], run: RUN_SCHEMA, quota: optional("positive integer") };

/** The part's quota (DeepAL+'s --quota): the given one, else every acquired point. */
export const quotaOf = (part: SurveyPart) => part.quota ?? part.run.steps * part.run.acquireSize;

const ARM_SCHEMA: Schema = { label: "string", strategy: "string", poolSubset: optional("non-negative integer") };

const EXPERIMENT_SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", description: "string", follows: ["paper", "authors-code"],
  parts: "object", arms: "object",
  seeds: "seed list", winMargin: "non-negative number", cuts: optional("object"),
};

export function surveyProfile(name: string): SurveyExperimentConfig {
  const p = SURVEY_PROFILES[name];
  if (!p) throw new Error(`survey: unknown profile '${name}' (expected one of ${Object.keys(SURVEY_PROFILES).join(", ")})`);
  return structuredClone(p);
}

const armRun = (part: SurveyPart, arm: SurveyArm, seed: number): AlRunConfig => ({
  experiment: "survey", dataset: part.dataset, model: part.model, strategy: arm.strategy, seed, ...part.run,
  poolSubset: arm.poolSubset ?? part.run.poolSubset,
});

/** The runs (dataset x seed x distinct strategy), seed by seed; arms sharing a strategy share its runs. */
export function surveyRunConfigs(cfg: SurveyExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, EXPERIMENT_SCHEMA, "survey config");
  for (const [field, schema] of [["parts", PART_SCHEMA], ["arms", ARM_SCHEMA]] as const) {
    const list = cfg[field] as unknown;
    if (!Array.isArray(list) || list.length === 0) throw new Error(`survey config.${field}: expected a non-empty array`);
    list.forEach((item, i) => validateConfig(item, schema, `survey config.${field}[${i}]`));
  }
  const labels = new Set<string>();
  for (const a of cfg.arms) {
    if (labels.has(a.label)) throw new Error(`survey config.arms: label '${a.label}' appears twice`);
    labels.add(a.label);
    strategyByName(a.strategy);
  }
  const seen = new Set<string>();
  const runs: AlRunConfig[] = [];
  for (const part of cfg.parts) for (const seed of cfg.seeds) for (const arm of cfg.arms) {
    const rc = armRun(part, arm, seed);
    const id = `${rc.dataset}:${rc.strategy}:${rc.poolSubset}:${seed}`;
    if (!seen.has(id)) { seen.add(id); runs.push(rc); }
  }
  return runs;
}
