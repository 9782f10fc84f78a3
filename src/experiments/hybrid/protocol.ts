// Protocol table of the hybrid uncertainty x diversity study (paper 000) against the paper and
// the authors' code (RL-LBAM/DBALHQ: cnn_model.py, main.py, active_learning.py, query_strategies.py,
// load_data.py; skorch NeuralNetClassifier + modAL ActiveLearner).
import { CIFAR10_STD_DBALHQ } from "../../data/cifar10";
import { ProtocolPoint } from "../../report/protocol";
import { HybridExperimentConfig, HybridPart } from "./profiles";

type P = ProtocolPoint<HybridExperimentConfig>;

export const runs = (c: HybridExperimentConfig) => c.parts.map((p) => p.run);

const first = (c: HybridExperimentConfig): HybridPart["run"] => c.parts[0].run;

/** One value when every part agrees, else the list (so a mixed profile never reads as a match). */
const uniform = <T>(values: T[]): T | T[] => (values.every((v) => JSON.stringify(v) === JSON.stringify(values[0])) ? values[0] : values);

const perPart = (c: HybridExperimentConfig, f: (r: HybridPart["run"]) => unknown) => c.parts.map((p) => `${p.name}: ${f(p.run)}`).join("; ");

export const HYBRID_PROTOCOL: P[] = [
  { point: "Networks", fields: ["parts"], paper: "a CNN per dataset (Figure 2; the figure of the layers is missing from the text)",
    code: "MNIST: conv 64 (pad 3) / 128 / 10 with BN, dropout .25, max-pool 4, 80,010 parameters; CIFAR-10: 5 blocks conv+BN+ReLU+dropout .1+max-pool 2, 64-512-10 channels, 1,599,006 parameters; BN eps 1e-5, momentum 0.1",
    codeValue: ["dbalhq-mnist", "dbalhq-cifar10"], read: (c) => [c.parts.find((p) => p.dataset === "mnist")?.model, c.parts.find((p) => p.dataset === "cifar10")?.model],
    does: (c) => c.parts.map((p) => `${p.name}: ${p.model}`).join("; ") },
  { point: "Weight initialisation", fields: ["parts"], paper: "", code: "PyTorch's defaults (kaiming_uniform a = sqrt 5, biases U(±1/sqrt fan_in))",
    codeValue: "pytorch", read: (c) => uniform(runs(c).map((r) => r.modelOptions?.init ?? "glorot")) },
  { point: "Input normalisation", fields: ["parts"], paper: "normalised channel-wise (constants not given)",
    code: "MNIST (0.1307, 0.3081); CIFAR-10 mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010)", codeValue: CIFAR10_STD_DBALHQ,
    read: () => CIFAR10_STD_DBALHQ, does: () => "MNIST (0.1307, 0.3081); CIFAR-10 mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010)" },
  { point: "Initial set and queries", fields: ["parts"], paper: "MNIST: 20 initial (2 per class), 20 queries x 10; CIFAR-10: 100 initial, 20 x 10; extended CIFAR-10: 100 x 50",
    code: "the same", paperValue: [[2, 20, 10], [10, 20, 10], [10, 100, 50]], codeValue: [[2, 20, 10], [10, 20, 10], [10, 100, 50]],
    read: (c) => runs(c).map((r) => [r.initialPerClass, r.steps, r.acquireSize]),
    does: (c) => perPart(c, (r) => `initial ${r.initialPerClass * 10}, ${r.steps} x ${r.acquireSize}`) },
  { point: "Validation, pool subset, MC passes", fields: ["parts"], paper: "validation 1,000; 2,000 random pool points scored per query; 100 forward passes",
    code: "the same", paperValue: [1000, 2000, 100], codeValue: [1000, 2000, 100], read: (c) => uniform(runs(c).map((r) => [r.validationSize, r.poolSubset, r.T])),
    does: (c) => perPart(c, (r) => `validation ${r.validationSize}, pool subset ${r.poolSubset}, T = ${r.T}`) },
  { point: "Training", fields: ["parts"], paper: "50 epochs, batch 128, Adam lr 0.001", code: "the same (skorch, no validation split, no weight decay)",
    paperValue: [50, 128, 0.001], codeValue: [50, 128, 0.001], read: (c) => uniform(runs(c).map((r) => [r.train.epochs, r.train.batchSize, r.train.optimizer.lr])),
    does: (c) => perPart(c, (r) => `${r.train.epochs} epochs of batch ${r.train.batchSize}, lr ${r.train.optimizer.lr}`) },
  { point: "Batch order", fields: ["parts"], paper: "", code: "the training set's order every epoch (skorch's default iterator does not shuffle)",
    codeValue: false, read: (c) => uniform(runs(c).map((r) => r.train.shuffle ?? true)), does: (c) => (first(c).train.shuffle === false ? "in order" : "shuffled every epoch") },
  { point: "Between queries", fields: ["parts"], paper: "the model is re-initialised and re-trained after each query (§4, §6)",
    code: "skorch re-fits the same module instance: training continues from the previous weights, only the optimiser is new",
    paperValue: "from-scratch", codeValue: "continue", read: (c) => uniform(runs(c).map((r) => r.retrain ?? "from-scratch")) },
  { point: "Data split across runs", fields: ["parts"], paper: "each experiment controlled by a seed drawn from a higher-level seed (whether the split varies is not said)",
    code: "one split (setup_seed(369) before LoadData) shared by all runs; only initialisation, pool subsets and dropout vary",
    codeValue: 369, read: (c) => uniform(runs(c).map((r) => r.splitSeed ?? "per seed")), does: (c) => (first(c).splitSeed === undefined ? "a split per seed" : `one split (seed ${first(c).splitSeed})`),
    why: "a split per seed: independent runs, as the issue's text-faithful profile asks" },
  { point: "Test and validation accuracy", fields: ["parts"], paper: "test accuracy after each query; final validation accuracy for tuning",
    code: "learner.score: deterministic (dropout off, BN running statistics) on the full test and validation sets", codeValue: [0, 0],
    read: (c) => uniform(runs(c).map((r) => [r.testSubset, r.testMcPasses ?? r.T])), does: (c) => perPart(c, (r) => `${r.testSubset ? `test subset ${r.testSubset}` : "full test set"}, deterministic`) },
  { point: "Batch norm in MC passes", fields: ["parts"], paper: "MC dropout: dropout at prediction time (batch norm not mentioned)",
    code: "forward(training=True): the whole module in training mode, BN on the statistics of unshuffled chunks of 128, running statistics updated",
    paperValue: "inference", codeValue: "batch-statistics", read: (c) => uniform(runs(c).map((r) => r.mcBatchNorm ?? "inference")),
    does: (c) => (first(c).mcBatchNorm === "batch-statistics" ? `batch statistics of chunks of ${first(c).mcBatchSize}, running statistics updated (the variance by tfjs' biased batch variance, PyTorch's is unbiased: a factor n / (n - 1), n >= 320 here)` : "running statistics (inference mode), dropout on") },
  { point: "Baselines", fields: ["baselines"], paper: "entropy, BALD, variation ratio, discriminator, posterior variance, minimum distance, uniform", code: "the same seven (hybrids at weight 1 / 0, and uniform)",
    paperValue: ["max-entropy", "bald", "variation-ratio", "discriminator", "posterior-variance", "min-distance", "random"],
    codeValue: ["max-entropy", "bald", "variation-ratio", "discriminator", "posterior-variance", "min-distance", "random"] },
  { point: "Uncertainty measures", fields: ["uncertainties"], paper: "entropy, BALD, variation ratio, each scaled to [0, 1]", code: "the same three", paperValue: ["entropy", "bald", "vr"] },
  { point: "Variation-ratio scale", fields: ["parts"], paper: "divided by its maximum 1 - 1/C, so in [0, 1]",
    code: "1 - count / preds.shape[1], which is the pool subset (2,000), not T; then / 0.9: values in about [1.06, 1.11]",
    paperValue: "classes", codeValue: "pool-subset", read: (c) => uniform(runs(c).map((r) => r.strategyOptions?.varRatioScale ?? "classes")) },
  { point: "Diversity measures", fields: ["diversities"], paper: "discriminator, GP posterior variance, minimum distance", code: "the same", paperValue: ["disc", "gp", "mindist"], codeValue: ["disc", "gp", "mindist"] },
  { point: "Discriminator", fields: ["parts"], paper: "a feed-forward network (Figure 2b), the main BCNN's settings; annotated points re-sampled up to the pool size",
    code: "10 -> 10 -> 2, ReLU, dropout .25, Adam 1e-3, batch 128, 50 epochs; labelled rows tiled round(n/m) times and listed before the candidates; batches unshuffled",
    codeValue: "in-order", read: (c) => uniform(runs(c).map((r) => r.strategyOptions?.discriminatorBatches ?? "shuffled")),
    does: (c) => `10 -> 10 -> 2, dropout .25, Adam 1e-3, batch 128, 50 epochs, labelled rows tiled, batches ${first(c).strategyOptions?.discriminatorBatches ?? "shuffled"}` },
  { point: "Combinations", fields: ["combinations"], paper: "arithmetic, time-decayed arithmetic, geometric, time-decayed geometric, uncertainty-first, diversity-first",
    code: "the same six", paperValue: ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"], codeValue: ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"] },
  { point: "Two-stage query", fields: ["parts"], paper: "the top gamma x b by the first metric, then the top b of those by the second",
    code: "-(u).argsort()[:b*gamma] negates the argsort indices: numpy's negative indexing makes both stages pick near-arbitrary points",
    paperValue: "top-k", codeValue: "negated-argsort", read: (c) => uniform(runs(c).map((r) => r.strategyOptions?.twoStage ?? "top-k")) },
  { point: "Hyperparameter grids", fields: ["grids"], paper: "alpha, beta in {0.1, ..., 0.9}, gamma in {2, ..., 6}, chosen by mean final validation accuracy",
    code: "the same grids, chosen on validation", paperValue: 6, codeValue: 6,
    read: (c) => Object.keys(c.grids).length, does: (c) => Object.entries(c.grids).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ") },
  { point: "Best hybrids", fields: ["selectBy"], paper: "the best hybrid and the extended run's top 4 (by validation, as for every choice)",
    code: "the published best hybrid and top 4 are the maxima of the appendix test columns", paperValue: "validation", codeValue: "test" },
  { point: "Extended CIFAR-10 run", fields: ["extendedTop"], paper: "the 4 best hybrids and the baselines, 100 queries x 50", code: "top 4", paperValue: 4, codeValue: 4 },
  { point: "Repetitions", fields: ["seeds"], paper: "5 experiments per strategy", code: "5 (seeds drawn from seed 369)", paperValue: 5, codeValue: 5, read: (c) => c.seeds.length,
    does: (c) => `${c.seeds.length} seed(s)` },
];
