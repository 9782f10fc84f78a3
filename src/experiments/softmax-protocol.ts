// Protocol table of the stochastic batch acquisition experiment (paper 002): the draft's text,
// the authors' code behind its Table 1 (BlackHC/active_learning_redux; the run configs are in
// ../shared/reference's README), and what a profile does.
import { ProtocolPoint } from "../report/protocol";
import { SoftmaxExperimentConfig } from "./softmax-repeated-mnist";

type P = ProtocolPoint<SoftmaxExperimentConfig>;
const KIRSCH = "as Kirsch et al. 2019 (the text defers to it)";

export const SOFTMAX_PROTOCOL: P[] = [
  { point: "Network", fields: ["model"], paper: "LeNet-5 with MC dropout", code: "LeNet-5-style BayesianNN (active_learning_redux)", paperValue: "lenet5" },
  { point: "Dataset", fields: ["data.copies", "data.noiseStd", "data.noiseSeed"], paper: "RepeatedMNIST = MNIST x2 with a small Gaussian noise", code: "MNIST x2, N(0, 0.1) noise per copy",
    paperValue: [2, 0.1], codeValue: [2, 0.1], read: (c) => [c.data.copies, c.data.noiseStd], does: (c) => `MNIST x${c.data.copies}, N(0, ${c.data.noiseStd}^2) noise per copy (noise seed ${c.data.noiseSeed})` },
  { point: "Initial labelled set", fields: ["run.initialPerClass"], paper: `20 balanced, ${KIRSCH}`, code: "20, one fixed initial set shared by every seed", paperValue: 2,
    does: (c) => `${10 * c.run.initialPerClass} balanced, drawn per seed` },
  { point: "Validation set", fields: ["run.validationSize"], paper: KIRSCH, code: "4,096", paperValue: 5000, codeValue: 4096 },
  { point: "Candidates scored per step", fields: ["run.poolSubset"], paper: "the pool", code: "the whole pool (both BlackHC codes)", paperValue: 0, codeValue: 0,
    does: (c) => (c.run.poolSubset ? `a random ${c.run.poolSubset} of the ~118,000-point pool` : "the whole pool"),
    why: "whole-pool scoring is not implemented yet; a subset hides top-k BALD's duplicate picks (issue: stochastic + DEIMOS fidelity)" },
  { point: "Test set", fields: ["run.testSubset"], paper: "MNIST test set", code: "all 10,000", paperValue: 0, codeValue: 0 },
  { point: "MC dropout samples", fields: ["run.T", "run.consistentMc"], paper: `K = 100 consistent MC dropout samples, ${KIRSCH}`, code: "K = 20", paperValue: [100, true], codeValue: [20, true],
    read: (c) => [c.run.T, c.run.consistentMc], does: (c) => `K = ${c.run.T}${c.run.consistentMc ? ", consistent masks" : ""}` },
  { point: "Training", fields: ["run.train.epochs", "run.train.patience", "run.train.batchSize", "run.train.epochSamples", "run.train.loss"],
    paper: `${KIRSCH}: up to 30 epochs, early stopping with patience 3, batch 64, 5,056 samples per epoch`, code: "at most 10 epochs with patience 3",
    paperValue: [30, 3, 64, 5056], codeValue: undefined, read: (c) => [c.run.train.epochs, c.run.train.patience, c.run.train.batchSize, c.run.train.epochSamples],
    does: (c) => `up to ${c.run.train.epochs} epochs, patience ${c.run.train.patience}, batch ${c.run.train.batchSize}, ${c.run.train.epochSamples} samples/epoch` },
  { point: "Optimiser", fields: ["run.train.optimizer"], paper: `Adam, ${KIRSCH}`, code: "Adam", paperValue: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } },
  { point: "Acquisition functions and sizes", fields: ["arms"], paper: "BALD, EPIG, BatchBALD, BatchEPIG-BALD, Softmax/Power/Softrank BALD, SoftmaxEPIG; sizes 5, 10, 20, 50",
    code: "the 'SoftmaxBALD' rows sample with p proportional to score^8 (a power distribution), not exp(score/T)",
    read: (c) => c.arms.map((a) => `${a.strategy}@${a.sizes.join("/")}`), does: (c) => c.arms.map((a) => `${a.strategy} (${a.sizes.join(", ")})`).join("; "),
    why: "softmax as the text's equation; BatchEPIG not implemented" },
  { point: "Repetitions", fields: ["seeds"], paper: "5 trials per cell (Table 1)", code: "4-12 runs per cell", paperValue: 5, read: (c) => c.seeds.length, does: (c) => `${c.seeds.length} seeds` },
  { point: "Budget and stop", fields: ["budget"], paper: "curves to 300 labelled (Figure 1)", code: "stop when the training set reaches 300 (280 acquired for b <= 20, 300 for b = 50)",
    codeValue: 280, read: (c) => c.budget, does: (c) => `${c.budget} acquired at every size` },
  { point: "Table 1 thresholds and unit", fields: ["accuracyTargets"], paper: "90% and 95% accuracy; quantiles 25/50/75 of the training-set size (initial 20 included)", code: "pandas-linear quantiles over the runs",
    paperValue: [[0.9, 0.95], "training-set"], read: (c) => [c.accuracyTargets, "acquired"],
    does: (c) => `${c.accuracyTargets.map((t) => `${t * 100}%`).join(", ")}; quantiles of acquired samples`, why: "our Table 1 counts acquired samples (issue: stochastic + DEIMOS fidelity)" },
  { point: "Temperature ablation", fields: ["ablation.acquireSize", "ablation.betas", "ablation.seeds"], paper: "SoftmaxBALD at several temperatures, 30 trials each (Figure 2)", code: "",
    paperValue: 30, read: (c) => c.ablation.seeds.length, does: (c) => `b = ${c.ablation.acquireSize}, beta ${c.ablation.betas.join(", ")}, ${c.ablation.seeds.length} seeds`, why: "5 seeds of 30 trials for compute" },
];
