// Protocol table of the DEIMOS experiment (paper 004). No authors' code was found public for the
// classification runs, so the code column is empty where only the paper speaks.
import { ProtocolPoint } from "../report/protocol";
import { DeimosExperimentConfig } from "./deimos";

type P = ProtocolPoint<DeimosExperimentConfig>;
const arm = (c: DeimosExperimentConfig, name: string) => c.arms.find((a) => a.name === name);

export const DEIMOS_PROTOCOL: P[] = [
  { point: "1-D regression network", fields: ["regression.hidden", "regression.dropout", "regression.nTrain", "regression.nGrid", "regression.seed"],
    paper: "MLP [256, 256, 256], dropout 0.2 (Figure 1)", code: "", paperValue: [[256, 256, 256], 0.2], read: (c) => [c.regression.hidden, c.regression.dropout],
    does: (c) => `MLP [${c.regression.hidden.join(", ")}], p = ${c.regression.dropout}, ${c.regression.nTrain} training points, ${c.regression.nGrid} grid points` },
  { point: "1-D regression training", fields: ["regression.train"], paper: "weight decay 5e-4 as an L2 penalty (App. E)", code: "",
    paperValue: "l2", read: (c) => (c.regression.train.l2 ? "l2" : "decoupled"), does: (c) => `${c.regression.train.epochs} epochs, AdamW decoupled weight decay ${c.regression.train.optimizer.weightDecay}`,
    why: "decoupled decay instead of the L2 penalty (issue: stochastic + DEIMOS fidelity)" },
  { point: "Dropout masks J and tau", fields: ["regression.J", "regression.tauFraction", "regression.batch"], paper: "J fixed masks; tau^-1 = 0.1-0.2 x mean dropout variance", code: "",
    read: (c) => c.regression.J, does: (c) => `J = ${c.regression.J}, tau^-1 = ${c.regression.tauFraction} x mean variance, batch ${c.regression.batch}` },
  { point: "Appendix A simulation", fields: ["appendixA"], paper: "200 random V per batch size 2, 5, 10", code: "", paperValue: [200, [2, 5, 10]],
    read: (c) => [c.appendixA.trials, c.appendixA.sizes], does: (c) => `${c.appendixA.trials} V per size ${c.appendixA.sizes.join("/")}, ${c.appendixA.points} points, J = ${c.appendixA.J}` },
  { point: "MNIST arms and budgets", fields: ["arms"], paper: "7 vs 9: single point and batch 25 to 1,000 labelled (Fig. 3c); 0-9: batch 25 to ~500; candidates 2,500 / 2,000 (App. D)", code: "",
    paperValue: 1000, read: (c) => { const a = arm(c, "7v9-batch25"); return a ? 10 + a.steps * a.acquireSize : null; },
    does: (c) => c.arms.map((a) => `${a.name}: ${a.initialPerClass * a.classes.length} + ${a.steps} x ${a.acquireSize}`).join("; "),
    why: "batch-25 arms stop at 210 labelled for compute (issue: stochastic + DEIMOS fidelity)" },
  { point: "Candidates scored per step", fields: ["run.poolSubset"], paper: "2,500 (7 vs 9), 2,000 (0-9)", code: "", paperValue: 2500, does: (c) => `${c.run.poolSubset} for every arm` },
  { point: "Test set", fields: ["run.testSubset"], paper: "MNIST test images of the classes", code: "", paperValue: 0 },
  { point: "MC dropout", fields: ["run.T", "run.consistentMc"], paper: "J fixed dropout masks shared by all points", code: "", paperValue: true, read: (c) => c.run.consistentMc,
    does: (c) => `T = ${c.run.T}, ${c.run.consistentMc ? "consistent" : "per-example"} masks` },
  { point: "Classifier training", fields: ["run.train"], paper: "dropout before every fully-connected layer (§3.2); L2 penalty C/N on fully-connected layers (App. E)", code: "",
    paperValue: "l2", read: (c) => (c.run.train.l2 ? "l2" : "decoupled"),
    does: (c) => `LeNet-5 (no dropout before the last dense layer), ${c.run.train.epochs} full-batch epochs, AdamW decoupled decay ${c.run.train.optimizer.weightDecay}`,
    why: "dropout layout and penalty not yet as the paper's (issue: stochastic + DEIMOS fidelity)" },
  { point: "Repetitions and aggregation", fields: ["seeds"], paper: "not stated for Table 2", code: "", read: (c) => c.seeds.length,
    does: (c) => `${c.seeds.length} seeds; Table 2 from the mean curve (Average-Step)` },
  { point: "Table 2 thresholds", fields: ["accuracyTargets"], paper: "95%, 96%, 97%, 97.5% test accuracy; acquisitions (7 vs 9, single point)", code: "", paperValue: [0.95, 0.96, 0.97, 0.975] },
];
