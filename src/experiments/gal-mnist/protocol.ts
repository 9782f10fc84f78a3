// Gal / Pilz protocol rows: each point of the paper's text beside its authors' code and this profile.
import { ProtocolPoint } from "../../report/protocol";
import { describeSeedPlan } from "../seeds";
import { GAL_LABELS, GAL_STRATEGIES, GalExperimentConfig } from "./profiles";


const runOrder = (c: GalExperimentConfig) => (c.firstStrategies?.length ? `${c.firstStrategies.join(", ")} (all seeds) first, then seed by seed` : "seed by seed");
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
  { point: "Acquisition steps x size", fields: ["run.steps", "run.acquireSize", "longRuns.strategies", "longRuns.seeds", "longRuns.steps"], paper: "100 x 10 (to 1,020 labelled)", code: "100 x 10",
    paperValue: [100, 10], codeValue: [100, 10], read: (c) => (c.longRuns ? [c.run.steps, c.run.acquireSize, c.longRuns] : [c.run.steps, c.run.acquireSize]),
    does: (c) => `${c.run.steps} x ${c.run.acquireSize} (to ${20 + c.run.steps * c.run.acquireSize} labelled)` +
      (c.longRuns ? `; ${c.longRuns.strategies.map((x) => GAL_LABELS[x] ?? x).join(" and ")} with seeds ${c.longRuns.seeds.join(", ")}: ${c.longRuns.steps} x ${c.run.acquireSize} (to ${20 + c.longRuns.steps * c.run.acquireSize})` : "") },
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
    does: runOrder, why: "compute priority only; runs are independent" },
  { point: "Error thresholds", fields: ["errorThresholds"], paper: "10% and 5% test error", code: "ACC_THRESHOLDS 0.9, 0.95", paperValue: [0.1, 0.05], codeValue: [0.1, 0.05] },
  { point: "Threshold rule and unit", fields: ["reachRule"], paper: "'steps needed to reach' the error; tables count the training-set size", code: "argmax(acc > threshold) * 10 + 20: accuracy strictly above, training-set size (a curve that never gets there reads 20)",
    codeValue: "above", does: (c) => `accuracy ${c.reachRule === "above" ? ">" : ">="} 1 - error; training-set size; never reached = ∞` },
];

/** Gal et al. 2017 and their Keras code (Riashat/Active-Learning-Bayesian-Convolutional-Neural-Networks, *_Q10_N1000.py). */
export const GAL_PROTOCOL: ProtocolPoint<GalExperimentConfig>[] = [
  { point: "Network", fields: ["model"], paper: "conv-relu-conv-relu-maxpool-dropout-dense-relu-dropout-dense-softmax, 32 4x4 filters, 128 dense units",
    code: "the same for steps >= 1; the step-0 model has a second conv block (64 filters) — a copy-paste slip we do not reproduce", paperValue: "keras-cnn", codeValue: "keras-cnn" },
  { point: "Dropout rates", fields: ["run.modelOptions.dropout"], paper: "0.25 after the pooling, 0.5 after the dense layer", code: "Dropout(0.25), Dropout(0.5)", paperValue: "network default", codeValue: "network default",
    read: (c) => c.run.modelOptions?.dropout ?? "network default", does: (c) => (c.run.modelOptions?.dropout ? c.run.modelOptions.dropout.join(", ") : "0.25, 0.5 (the network's own)") },
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
    does: (c) => `${c.run.testPrediction ?? "deterministic"}; ${c.run.testMcPasses === 0 ? "no test mutual information" : `test mutual information from ${c.run.testMcPasses ?? c.run.T} MC passes (a side metric)`}` },
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
  { point: "Run order", fields: ["firstStrategies"], paper: "", code: "one script per function (*_Q10_N1000.py), 3 experiments each", codeValue: [], read: (c) => c.firstStrategies ?? [],
    does: runOrder, why: "compute priority only; runs are independent" },
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
