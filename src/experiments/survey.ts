// The comparative survey of deep active learning (paper 001, Zhan et al. 2022) and its toolkit
// DeepAL+ (SineZHAN/deepALplus @ 93c2884): every strategy of the catalogue on one loop and one
// learner, reported as the survey does (AUBC, F-acc, win-tie-loss with a 0.5% margin, cost).
import { strategyByName } from "../acquisition/strategy";
import { loadCifar10 } from "../data/cifar10";
import { loadMnist } from "../data/mnist";
import { ImageDataset } from "../data/types";
import { BandSeries, curvesWithBands, PALETTE, PlotlyFigure } from "../figures/plotly";
import { AlRunConfig, RunResult } from "../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../loop/sweep";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA, validateConfig } from "../loop/validate";
import { imageModel } from "../models/classifiers";
import { aubc, mean, std } from "../report/metrics";
import { Follows, ProtocolPoint } from "../report/protocol";
import { band, curveOf, profileLabel, profileSubtitle, testAccuracyOf } from "../report/runs";
import { formatFixed, Row } from "../report/tables";
import { winTieLoss, winTieLossTotals } from "../report/win-tie-loss";
import { RunStore } from "../results/store";
import { CIFAR10_MEAN, CIFAR10_STD } from "../data/cifar10";

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

/** The survey's strategies this workspace does not implement, and why (shown in the notebook). */
export const NOT_IMPLEMENTED: { label: string; why: string }[] = [
  { label: "WAAL", why: "trains the learner itself with a Wasserstein min-max loss over labelled and unlabelled batches (a second loss and a critic inside every training step); the loop trains one network on one cross-entropy loss, so WAAL needs a different trainer, not a strategy" },
  { label: "LPL", why: "attaches a loss-prediction module to intermediate feature maps of the learner and trains both jointly (a margin ranking loss, detached after 120 epochs in the original); the learner and its training would both change" },
  { label: "VAAL", why: "trains a VAE and a discriminator (Sinha et al.'s 4-layer 128-1024 convolutional encoder/decoder, 30 epochs) beside the learner every round; it would fit the strategy interface like the hybrid paper's discriminator, but was not built in this session" },
];

// ---------------------------------------------------------------------------------------------
// Profiles

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
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

/** Where DeepAL+'s code differs from the text: CEAL's threshold schedule, KCenter's PCA size, DeepFool's step. */
const CODE_ARMS: SurveyArm[] = PAPER_ARMS.map((a) => ({
  ...a,
  strategy: a.label === "CEAL(Entropy)" ? "ceal-max-entropy(delta=5e-5,decay=3.3e-7)"
    : a.label === "KCenter" ? "kcenter-pca(dims=50)"
    : a.label === "AdversarialDeepFool" ? "adversarial-deepfool(iters=50,last=1)" : a.strategy,
}));

const PAPER_PARTS: SurveyPart[] = [
  // DeepAL+'s README demo for MNIST: -s 100 -q 1000 -b 100 (10 rounds).
  { dataset: "mnist", model: "resnet18-mnist", run: { ...deepAlRun(20, 100, 100, 10), modelOptions: { dropout: [0.5] } } },
  // arguments.py's defaults (CIFAR10): initseed 1000, batch 128, quota 1000 (int(1000 / 128) = 7 rounds).
  { dataset: "cifar10", model: "resnet18-cifar", run: { ...deepAlRun(30, 1000, 128, 7), modelOptions: { dropout: [0.5] },
    train: { ...deepAlRun(30, 1000, 128, 7).train, augment: { cropPadding: 4, horizontalFlip: true, padValue: CIFAR_PAD } } } },
];

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
      "(batch norm on the statistics of unshuffled chunks of 1,000) and the 10 passes are identical; CEAL delta 5e-5 lowered by 0.033e-5 x t each round; " +
      "KCenter on 50 PCA dimensions; DeepFool steps toward the last class (its running minimum is never updated)",
    parts: PAPER_PARTS.map((p) => ({ ...p, run: { ...p.run, modelOptions: {}, mcBatchNorm: "batch-statistics", mcBatchSize: 1000 } })),
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
const PART_SCHEMA: Schema = { dataset: ["mnist", "cifar10"], model: ["resnet18-mnist", "resnet18-cifar", "lenet5"], run: RUN_SCHEMA };
const ARM_SCHEMA: Schema = { label: "string", strategy: "string", poolSubset: optional("non-negative integer") };
const EXPERIMENT_SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", description: "string", follows: ["paper", "authors-code"],
  parts: "object", arms: "object",
  seeds: "non-empty number[]", winMargin: "non-negative number", cuts: optional("object"),
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

async function surveyDataset(name: string): Promise<ImageDataset> {
  if (name === "mnist") return loadMnist();
  if (name === "cifar10") return loadCifar10();
  throw new Error(`survey: unknown dataset '${name}' (expected mnist or cifar10)`);
}

export function surveySweep(cfg: SurveyExperimentConfig): SweepDefinition {
  return { experiment: "survey", profile: cfg.profile, runs: surveyRunConfigs(cfg), dataset: surveyDataset, model: (name, options) => imageModel(name, options) };
}

export function runSurveySweep(cfg: SurveyExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(surveySweep(cfg), opts);
}

export function collectSurveyResults(cfg: SurveyExperimentConfig, store?: RunStore): { results: RunResult[]; missing: AlRunConfig[] } {
  return collectRuns(surveySweep(cfg), store);
}

// ---------------------------------------------------------------------------------------------
// Protocol table

const part0 = (c: SurveyExperimentConfig) => c.parts[0];
const armOf = (c: SurveyExperimentConfig, label: string) => c.arms.find((a) => a.label === label)?.strategy;

export const SURVEY_PROTOCOL: ProtocolPoint<SurveyExperimentConfig>[] = [
  { point: "Datasets", fields: ["parts"], paper: "MNIST, FashionMNIST, EMNIST, SVHN, CIFAR-10, CIFAR-10-imb, CIFAR-100, Tiny ImageNet", code: "the same loaders (plus openml, BreakHis, PneumoniaMNIST, waterbirds)",
    read: (c) => c.parts.map((p) => p.dataset), paperValue: ["mnist", "cifar10"], does: (c) => c.parts.map((p) => p.dataset).join(", "),
    why: "only MNIST and CIFAR-10 have verified copies here (the notebook lists the others)" },
  { point: "Learner", fields: ["parts.model"], paper: "ResNet-18; first conv 7x7 (MNIST), 3x3 (CIFAR)", code: "torchvision resnet18 (MNIST: a 1x1 conv to 3 channels in front; CIFAR: conv1 -> 3x3 stride 1, max-pool kept)",
    read: (c) => c.parts.map((p) => p.model), paperValue: ["resnet18-mnist", "resnet18-cifar"], codeValue: ["resnet18-mnist", "resnet18-cifar"] },
  { point: "CIFAR stem max-pool", fields: ["parts.run.modelOptions.maxPool"], paper: "3x3 first conv 'consistent with PyTorch-CIFAR' (kuangliu's ResNet has no max-pool)", code: "max-pool 3/2 kept after the 3x3 conv",
    read: (c) => c.parts.find((p) => p.dataset === "cifar10")?.run.modelOptions?.maxPool ?? true, codeValue: true,
    why: "the text cites kuangliu's network but its own code keeps the max-pool; we keep it (one network for both profiles)" },
  { point: "Dropout for the D versions", fields: ["parts.run.modelOptions.dropout"], paper: "MC dropout, 10 forward passes (ResNet-18 has no dropout layer; where is not said)", code: "no dropout layer: predict_prob_dropout only calls clf.train()",
    read: (c) => part0(c).run.modelOptions?.dropout ?? [], codeValue: [], does: (c) => (part0(c).run.modelOptions?.dropout?.length ? `p = ${part0(c).run.modelOptions!.dropout![0]} before the classifier, in training and in the passes` : "none"),
    why: "p = 0.5 on the 512-d features before the classifier, the usual MC-dropout placement" },
  { point: "Batch norm in the MC passes", fields: ["parts.run.mcBatchNorm", "parts.run.mcBatchSize"], paper: "", code: "training mode: statistics of unshuffled chunks of 1,000 (identical in every pass)",
    read: (c) => [part0(c).run.mcBatchNorm ?? "inference", part0(c).run.mcBatchSize ?? null], codeValue: ["batch-statistics", 1000] },
  { point: "MC passes", fields: ["parts.run.T", "parts.run.consistentMc"], paper: "10", code: "n_drop = 10", read: (c) => part0(c).run.T, paperValue: 10, codeValue: 10 },
  { point: "Optimiser", fields: ["parts.run.train.optimizer"], paper: "Adam, learning rate 1e-3", code: "Adam(lr=0.001)", read: (c) => part0(c).run.train.optimizer, paperValue: ADAM, codeValue: ADAM },
  { point: "Epochs", fields: ["parts.run.train.epochs"], paper: "20 (MNIST), 30 (CIFAR-10)", code: "n_epoch 20 / 30", read: (c) => c.parts.map((p) => p.run.train.epochs), paperValue: [20, 30], codeValue: [20, 30] },
  { point: "Batch size (training)", fields: ["parts.run.train.batchSize", "parts.run.train.shuffle"], paper: "", code: "128, shuffled", read: (c) => part0(c).run.train.batchSize, codeValue: 128 },
  { point: "Augmentation", fields: ["parts.run.train.augment"], paper: "CIFAR: random crop (pad 4), horizontal flip p = 0.5; MNIST: none", code: "RandomCrop(32, padding=4), RandomHorizontalFlip()",
    read: (c) => c.parts.map((p) => (p.run.train.augment ? `crop ${p.run.train.augment.cropPadding}${p.run.train.augment.horizontalFlip ? " + flip" : ""}` : "none")),
    paperValue: ["none", "crop 4 + flip"], codeValue: ["none", "crop 4 + flip"] },
  { point: "Retraining", fields: ["parts.run.retrain"], paper: "M is retrained on D_l", code: "a new network every round (Net.train builds self.clf)", read: (c) => part0(c).run.retrain ?? "from-scratch", paperValue: "from-scratch", codeValue: "from-scratch" },
  { point: "Model selection", fields: ["parts.run.train.keepBestValidation", "parts.run.train.patience", "parts.run.validationSize", "parts.run.train.loss"], paper: "", code: "final weights after the fixed epochs; no validation set",
    read: (c) => [part0(c).run.train.keepBestValidation, part0(c).run.validationSize], codeValue: [false, 0] },
  { point: "Initial set", fields: ["parts.run.initialPerClass", "parts.run.initialSelection"], paper: "Table 2 (not in our copy of the text)", code: "random: np.random.shuffle, first initseed; README demo -s 100 (MNIST), default 1000 (CIFAR-10)",
    read: (c) => c.parts.map((p) => `${p.run.initialSelection ?? "balanced"} ${p.run.initialPerClass * 10}`), codeValue: ["random 100", "random 1000"] },
  { point: "Query size and budget", fields: ["parts.run.acquireSize", "parts.run.steps"], paper: "Table 2 (not in our copy of the text)", code: "README demo -b 100 -q 1000 (MNIST); defaults -b 128 -q 1000, int(1000/128) = 7 rounds (CIFAR-10)",
    read: (c) => c.parts.map((p) => `${p.run.steps} x ${p.run.acquireSize}`), codeValue: ["10 x 100", "7 x 128"] },
  { point: "Candidates scored", fields: ["parts.run.poolSubset", "arms.poolSubset"], paper: "the unlabelled pool", code: "every unlabelled point (AdvBIM / DeepFool too: 'extremely time-consuming')",
    read: (c) => [part0(c).run.poolSubset, ...c.arms.filter((a) => a.poolSubset).map((a) => `${a.label} ${a.poolSubset}`)], paperValue: [0], codeValue: [0],
    why: "the adversarial arms attack 2,000 random candidates per round (the survey reports they could not finish on large pools)" },
  { point: "Test set", fields: ["parts.run.testSubset", "parts.run.testPrediction", "parts.run.testMcPasses", "parts.run.testSubsetPerStep"], paper: "the test set", code: "all of it, eval mode",
    read: (c) => [part0(c).run.testSubset, part0(c).run.testPrediction], paperValue: [0, "deterministic"], codeValue: [0, "deterministic"] },
  { point: "Trials", fields: ["seeds"], paper: "3 trials", code: "-t 3, one seed (4666) for the whole loop", read: (c) => c.seeds.length, paperValue: 3, codeValue: 3 },
  { point: "CEAL threshold", fields: ["arms"], paper: "entropy < 1e-5", code: "delta 5e-5, minus 0.033e-5 x t at round t",
    read: (c) => armOf(c, "CEAL(Entropy)"), paperValue: "ceal-max-entropy(delta=1e-5)", codeValue: "ceal-max-entropy(delta=5e-5,decay=3.3e-7)" },
  { point: "KCenter embedding", fields: ["arms"], paper: "PCA to 32 dimensions", code: "PCA to 50 dimensions (when wider than 50), float16 distances",
    read: (c) => armOf(c, "KCenter"), paperValue: "kcenter-pca(dims=32)", codeValue: "kcenter-pca(dims=50)" },
  { point: "DeepFool step", fields: ["arms"], paper: "the smallest perturbation that flips the prediction (eq. 8)", code: "the step toward the last class k != yhat (value_l is never updated), at most 50 iterations",
    read: (c) => armOf(c, "AdversarialDeepFool"), paperValue: "adversarial-deepfool(iters=50)", codeValue: "adversarial-deepfool(iters=50,last=1)" },
  { point: "BIM iterations", fields: ["arms"], paper: "", code: "eps 0.05 until the prediction flips, no cap",
    read: (c) => armOf(c, "AdversarialBIM"), why: "capped at 100 iterations (a point still unflipped ranks last)" },
  { point: "VarRatio", fields: ["arms"], paper: "1 - p(yhat | x) (eq. 5)", code: "1 - max p on one deterministic pass (= LeastConf's score)",
    read: (c) => armOf(c, "VarRatio"), paperValue: "plain-least-confidence", codeValue: "plain-least-confidence" },
  { point: "Win-tie-loss margin", fields: ["winMargin"], paper: "0.5%", code: "", read: (c) => c.winMargin, paperValue: 0.005 },
];

// ---------------------------------------------------------------------------------------------
// Report

/** Finished runs of one arm on one dataset. */
export function armRuns(cfg: SurveyExperimentConfig, results: readonly RunResult[], arm: SurveyArm, dataset: string): RunResult[] {
  const part = cfg.parts.find((p) => p.dataset === dataset);
  if (!part) return [];
  const poolSubset = arm.poolSubset ?? part.run.poolSubset;
  return results.filter((r) => r.config.dataset === dataset && r.config.strategy === arm.strategy && r.config.poolSubset === poolSubset && cfg.seeds.includes(r.config.seed));
}

const curveAubc = (r: RunResult) => aubc(curveOf(r, "training-set"));
const finalAcc = (r: RunResult) => r.records[r.records.length - 1].testAccuracy;
const pm = (xs: number[], digits = 3) => (xs.length === 0 ? "—" : xs.length === 1 ? formatFixed(xs[0], digits) : `${formatFixed(mean(xs), digits)} ± ${formatFixed(std(xs), digits)}`);

/** Mean seconds per query step (steps with an acquisition) of some runs, by phase. */
export function costPerStep(runs: readonly RunResult[]): { train: number; score: number; select: number; total: number } {
  const steps = runs.flatMap((r) => r.records.filter((s) => s.acquired.length > 0));
  const m = (f: (s: (typeof steps)[number]) => number) => (steps.length ? mean(steps.map(f)) : NaN);
  return {
    train: m((s) => s.seconds.train), score: m((s) => s.seconds.score ?? NaN), select: m((s) => s.seconds.select ?? NaN),
    total: m((s) => s.seconds.train + s.seconds.evaluate + s.seconds.acquire),
  };
}

/** AUBC and F-acc (mean ± std over seeds) and the cost per query step, one row per arm and dataset. */
export function surveyTable(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Row[] {
  return cfg.parts.flatMap((part) => cfg.arms.map((arm) => {
    const runs = armRuns(cfg, results, arm, part.dataset);
    const cost = costPerStep(runs);
    const pseudo = runs.flatMap((r) => r.records.flatMap((s) => (s.pseudoLabelled ? [s.pseudoLabelled] : [])));
    return {
      dataset: part.dataset, strategy: arm.label, runs: `${runs.length}/${cfg.seeds.length}`,
      AUBC: pm(runs.map(curveAubc)), "F-acc": pm(runs.map(finalAcc)),
      "train s/step": formatFixed(cost.train, 1), "score s/step": formatFixed(cost.score, 2), "select s/step": formatFixed(cost.select, 2), "total s/step": formatFixed(cost.total, 1),
      // CEAL only: pool points pseudo-labelled per query, and how many of those labels were right.
      "pseudo-labels/step (correct)": pseudo.length ? `${formatFixed(mean(pseudo.map((p) => p.indices.length)), 1)} (${formatFixed(100 * mean(pseudo.filter((p) => p.indices.length).map((p) => p.accuracy)), 1)}%)` : "—",
    };
  }));
}

/** AUBC of every arm per comparison unit (dataset x seed). */
export function aubcByArm(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const arm of cfg.arms) {
    const m = new Map<string, number>();
    for (const part of cfg.parts) for (const r of armRuns(cfg, results, arm, part.dataset)) m.set(`${part.dataset}:${r.config.seed}`, curveAubc(r));
    out.set(arm.label, m);
  }
  return out;
}

/** The survey's win-tie-loss table on AUBC: one row per arm, "w/t/l" against each other arm, totals and rank. */
export function winTieLossTable(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Row[] {
  const table = winTieLoss(aubcByArm(cfg, results), cfg.winMargin);
  const totals = winTieLossTotals(table);
  return totals.map(({ method, total, rank }) => {
    const row: Row = { rank, strategy: method, "win/tie/loss": `${total.win}/${total.tie}/${total.loss}` };
    for (const other of cfg.arms) {
      const c = table.get(method)?.get(other.label);
      row[other.label] = c ? `${c.win}/${c.tie}/${c.loss}` : "—";
    }
    return row;
  });
}

/** Accuracy against the training-set size per dataset, AUBC (mean ± std) in the legend, as the survey's Figure 2. */
export function surveyFigures(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Record<string, PlotlyFigure> {
  const figures: Record<string, PlotlyFigure> = {};
  for (const part of cfg.parts) {
    const series: BandSeries[] = [];
    cfg.arms.forEach((arm, i) => {
      const runs = armRuns(cfg, results, arm, part.dataset);
      if (runs.length === 0) return;
      const b = band(arm.label, runs, testAccuracyOf, "training-set");
      series.push({ ...b, name: `${arm.label} (${pm(runs.map(curveAubc))})`, color: PALETTE[i % PALETTE.length], dash: i >= PALETTE.length ? "dash" : "solid" });
    });
    figures[`survey_${part.dataset}_${cfg.profile}`] = curvesWithBands(`Accuracy vs budget, ${part.dataset}${profileLabel(cfg.profile, cfg.reduced)}`,
      "training-set size", "test accuracy", series, { subtitle: `${profileSubtitle(cfg.profile, cfg.reduced)}; legend: AUBC mean ± std over seeds` });
  }
  return figures;
}
