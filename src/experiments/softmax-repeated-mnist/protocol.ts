// Protocol table of the stochastic batch acquisition experiment (paper 002): the draft's text,
// the authors' code behind its Table 1 (BlackHC/active_learning_redux @ 808403c and the run configs
// of results/arxiv_draft_report; see published/README.md), and what a profile does.
import { formatPlainNumber, ProtocolPoint } from "../../report/protocol";
import { SoftmaxExperimentConfig } from "./profiles";

type P = ProtocolPoint<SoftmaxExperimentConfig>;

const KIRSCH = "as Kirsch et al. 2019 (the text defers to it)";

export const SOFTMAX_PROTOCOL: P[] = [
  { point: "Network", fields: ["model"], paper: "LeNet-5 with MC dropout", code: "BatchBALD's BayesianMNISTCNN (conv 32/64 5x5 with channel dropout .5, dense 128 with dropout .5)",
    paperValue: "lenet5", codeValue: "bayesian-mnist-cnn" },
  { point: "Dataset", fields: ["data.copies", "data.noiseStd"], paper: "RepeatedMNIST = MNIST x2 with a small Gaussian noise", code: "MNIST x2, N(0, 0.1) noise per copy",
    paperValue: [2, 0.1], codeValue: [2, 0.1], read: (c) => [c.data.copies, c.data.noiseStd], does: (c) => `MNIST x${c.data.copies}, N(0, ${c.data.noiseStd}^2) noise per copy` },
  { point: "RepeatedMNIST noise draw", fields: ["data.noiseSeed", "data.noisePer"], paper: "",
    code: "drawn after torch.manual_seed(seed) in every run (the draft's runs, 466d7e4 / bfc8fa7): new noise per run",
    codeValue: "per run", read: (c) => (c.data.noisePer === "run" ? "per run" : "one draw for every run"),
    does: (c) => (c.data.noisePer === "run" ? "drawn per run from the run's seed" : `one draw for every run (noise seed ${c.data.noiseSeed})`) },
  { point: "Initial labelled set", fields: ["run.initialPerClass", "run.initialPoolPositions"], paper: `20 balanced, ${KIRSCH}`,
    code: "20 fixed pool positions (BatchBALD's mnist_initial_samples) taken after the validation set is removed: with the split drawn per run, other (unbalanced) images in every run",
    paperValue: [2, "balanced"], codeValue: [2, "fixed positions"], read: (c) => [c.run.initialPerClass, c.run.initialPoolPositions ? "fixed positions" : "balanced"],
    does: (c) => (c.run.initialPoolPositions ? `BatchBALD's ${c.run.initialPoolPositions.length} fixed pool positions (${c.run.initialPoolPositions.slice(0, 3).join(", ")}, ...)` : `${10 * c.run.initialPerClass} balanced, drawn per seed`) },
  { point: "Validation set", fields: ["run.validationSize"], paper: KIRSCH, code: "4,096", paperValue: 5000, codeValue: 4096 },
  { point: "Validation split", fields: ["run.splitSeed"], paper: "",
    code: "the draft's runs (466d7e4 / bfc8fa7): extract_dataset_from_pool(4096) is a torch.randperm after torch.manual_seed(seed), a split per run " +
      "(step-0 accuracy sd ~0.05 across their runs); validation_split_random_state=0, one split for every run, appears only in e070b6d, seven months later",
    codeValue: "a split per seed", read: (c) => (c.run.splitSeed === undefined ? "a split per seed" : "one split for every run"),
    does: (c) => (c.run.splitSeed === undefined ? "a split per seed" : `one split for every run (split seed ${c.run.splitSeed}; sklearn's permutation for random_state 0 is not reproduced, so the images differ from the authors')`) },
  { point: "Candidates scored per step", fields: ["run.poolSubset"], paper: "the pool", code: "the whole pool (both BlackHC codes)", paperValue: 0, codeValue: 0,
    does: (c) => (c.run.poolSubset ? `a random ${c.run.poolSubset} of the ~118,000-point pool` : "the whole pool") },
  { point: "Test set and prediction", fields: ["run.testSubset", "run.testPrediction", "run.testMcPasses"], paper: "MNIST test set", code: "all 10,000; the mean of 4 MC samples",
    codeValue: [0, "mc-mean", 4], read: (c) => [c.run.testSubset, c.run.testPrediction ?? "deterministic", c.run.testMcPasses ?? c.run.T],
    does: (c) => `${c.run.testSubset ? `test subset ${c.run.testSubset}` : "all 10,000"}, ${c.run.testPrediction === "mc-mean" ? `mean of ${c.run.testMcPasses} MC samples` : "deterministic"}` },
  { point: "MC dropout samples", fields: ["run.T", "run.consistentMc", "arms"], paper: `K = 100 consistent MC dropout samples, ${KIRSCH}`, code: "K = 20 (BatchBALD 100; top-k BALD max(20, b), i.e. 50 at b = 50; every tempered config 20: experiment.py@466d7e4 and num_pool_samples: 20 " +
      "in the five SoftmaxBALD b = 50 run configs, results/arxiv_draft_report/temperedbald_and_baldical/experiment_job_{6,14,22,30,38}_*.py), consistent masks",
    paperValue: [100, true], codeValue: [20, true], read: (c) => [c.run.T, c.run.consistentMc],
    does: (c) => `K = ${c.run.T}${c.arms.some((a) => a.T) ? ` (${c.arms.filter((a) => a.T).map((a) => `${a.strategy} b=${a.sizes.join("/")}: ${a.T}`).join(", ")})` : ""}${c.run.consistentMc ? ", consistent masks" : ""}` },
  { point: "Training", fields: ["run.train.epochs", "run.train.patience", "run.train.batchSize", "run.train.epochSamples", "run.train.loss", "run.train.keepBestValidation"],
    paper: `${KIRSCH}: up to 30 epochs, early stopping with patience 3, batch 64, 5,056 samples per epoch`,
    code: "at most 10 epochs with patience 3 on the validation NLL of 4 MC samples (restoring the best), batch 64, 24,576 samples per epoch",
    paperValue: [30, 3, 64, 5056], codeValue: [10, 3, 64, 24576], read: (c) => [c.run.train.epochs, c.run.train.patience, c.run.train.batchSize, c.run.train.epochSamples],
    does: (c) => `up to ${c.run.train.epochs} epochs, patience ${c.run.train.patience} on the validation NLL (restoring the best), batch ${c.run.train.batchSize}, ${c.run.train.epochSamples} samples/epoch` },
  { point: "Optimiser", fields: ["run.train.optimizer", "run.train.l2"], paper: `Adam, ${KIRSCH}`, code: "Adam(weight_decay=5e-4): the L2 penalty 2.5e-4 x sum(theta^2) over every parameter",
    paperValue: "adam", codeValue: `adam + l2 all ${2.5e-4}`, read: (c) => (c.run.train.l2 ? `adam + l2 ${c.run.train.l2.layers} ${c.run.train.l2.c}` : c.run.train.optimizer.weightDecay ? "adamw" : "adam") },
  { point: "Acquisition functions and sizes", fields: ["arms"], paper: "BALD, EPIG-BALD, BatchBALD, BatchEPIG-BALD, SoftmaxBALD (eq. 2: p ~ exp(score / T)), SoftmaxEPIG-BALD; sizes 5, 10, 20, 50",
    code: "the 'SoftmaxBALD' rows sample without replacement with p ~ score^8 (a power distribution), not exp(score / T), by np.random.choice(N, b, replace=False, p) " +
      "(successive draws without replacement, renormalised: the same distribution as our Gumbel-top-k on 8 log score, Kool et al. 2019); score^8 of a slightly " +
      "negative BALD score (rounding) is a tiny positive weight there, our scores are floored at 1e-12 first (both ~0 beside any positive score); " +
      "BatchEPIG-BALD and EPIG-BALD are the code's 'baldical' functions",
    read: (c) => c.arms.map((a) => `${a.strategy}@${a.sizes.join("/")}`), does: (c) => c.arms.map((a) => `${a.strategy} (${a.sizes.join(", ")})`).join("; "),
    why: "BatchEPIG-BALD not implemented (its Table 1 row says so); 'epig' is EPIG with candidate targets, compared with the EPIG-BALD row" },
  { point: "Repetitions", fields: ["seeds"], paper: "5 trials per cell (Table 1)", code: "4-12 runs per cell", paperValue: 5, read: (c) => c.seeds.length, does: (c) => `${c.seeds.length} seeds` },
  { point: "Budget and stop", fields: ["maxTrainingSet"], paper: "curves to a training set of 300 (Figure 1)", code: "stop once the training set reaches 300 (280 acquired for b <= 20, 300 for b = 50)",
    paperValue: 300, codeValue: 300, does: (c) => `until the training set reaches ${c.maxTrainingSet}` },
  { point: "Table 1 thresholds and unit", fields: ["accuracyTargets"], paper: "90% and 95% accuracy; quantiles 25/50/75 of the training-set size (initial 20 included)", code: "pandas-linear quantiles over the runs",
    paperValue: [0.9, 0.95], codeValue: [0.9, 0.95], does: (c) => `${c.accuracyTargets.map((t) => `${formatPlainNumber(t * 100)}%`).join(", ")}; linear quantiles of the training-set size` },
  { point: "Temperature ablation", fields: ["ablation.acquireSize", "ablation.betas", "ablation.seeds"], paper: "SoftmaxBALD at several temperatures, 30 trials each (Figure 2)", code: "",
    paperValue: 30, read: (c) => c.ablation.seeds.length, does: (c) => (c.ablation.betas.length ? `b = ${c.ablation.acquireSize}, beta ${c.ablation.betas.join(", ")}, ${c.ablation.seeds.length} seeds (the paper: 30 trials)` : "not run in this profile"),
    why: "fewer seeds than the paper's 30 trials, for compute" },
  { point: "BatchBALD sampled configurations", fields: ["arms"], paper: "as BatchBALD (Kirsch et al. 2019): exact joint entropies while small, then M sampled configurations",
    code: "get_batchbald_batch(..., num_samples=100,000)", codeValue: 100000,
    read: (c) => { const a = c.arms.find((x) => x.strategy.startsWith("batchbald")); return a ? Number(/M=(\d+)/.exec(a.strategy)?.[1] ?? 10000) : "not run"; },
    does: (c) => { const a = c.arms.find((x) => x.strategy.startsWith("batchbald")); return a ? `M = ${/M=(\d+)/.exec(a.strategy)?.[1] ?? "10,000 (the default)"}` : "BatchBALD not run"; } },
  { point: "Early-stopping criterion", fields: ["run.train.patience", "run.train.validationMcSamples"], paper: KIRSCH, code: "the validation NLL of the geometric mean of 4 MC samples",
    codeValue: "mc-4 nll", read: (c) => (c.run.train.validationMcSamples ? `mc-${c.run.train.validationMcSamples} nll` : "deterministic nll"),
    does: (c) => (c.run.train.validationMcSamples ? `the validation NLL of the renormalised geometric mean of ${c.run.train.validationMcSamples} MC samples` : "the validation NLL of the deterministic network (dropout off)") },
];
