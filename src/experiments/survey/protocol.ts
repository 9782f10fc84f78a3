// Protocol table of the survey (paper 001) against its text and the DeepAL+ toolkit.
import { ProtocolPoint } from "../../report/protocol";
import { ADAM, SurveyExperimentConfig } from "./profiles";

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
