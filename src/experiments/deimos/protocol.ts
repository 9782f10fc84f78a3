// Protocol table of the DEIMOS experiment (paper 004). No authors' code was found public for the
// classification runs, so the code column is empty where only the paper speaks.
import { ProtocolPoint } from "../../report/protocol";
import { describeSeedPlan } from "../seeds";
import { DeimosExperimentConfig, STRATEGY_LABELS } from "./profiles";

export type P = ProtocolPoint<DeimosExperimentConfig>;

export const arm = (c: DeimosExperimentConfig, name: string) => c.arms.find((a) => a.name === name);
const deimosNames = (c: DeimosExperimentConfig) => c.arms.flatMap((a) => a.strategies).filter((n) => /^deimos(\(|$)/.test(n));

export const DEIMOS_PROTOCOL: P[] = [
  { point: "1-D regression network", fields: ["regression.hidden", "regression.dropout", "regression.nTrain", "regression.nGrid", "regression.seed"],
    paper: "MLP [256, 256, 256], dropout 0.2 (Figure 1)", code: "", paperValue: [[256, 256, 256], 0.2], read: (c) => [c.regression.hidden, c.regression.dropout],
    does: (c) => `MLP [${c.regression.hidden.join(", ")}], p = ${c.regression.dropout}, ${c.regression.nTrain} training points, ${c.regression.nGrid} grid points` },
  { point: "1-D regression training", fields: ["regression.train"], paper: "weight decay lambda = 5e-4 as an L2 penalty (App. D)", code: "",
    paperValue: ["l2", 5e-4], read: (c) => [c.regression.train.l2 ? "l2" : "decoupled", c.regression.train.l2?.fixed ? c.regression.train.l2.c : c.regression.train.optimizer.weightDecay],
    does: (c) => `${c.regression.train.epochs} full-batch epochs, Adam, ${c.regression.train.l2 ? `L2 penalty lambda = ${c.regression.train.l2.c}${c.regression.train.l2.fixed ? "" : " / N"} on every dense kernel` : `decoupled weight decay ${c.regression.train.optimizer.weightDecay}`}` },
  { point: "Dropout masks J and tau", fields: ["regression.J", "regression.tauFraction", "regression.batch"], paper: "J fixed masks; tau^-1 = 0.1-0.2 x mean dropout variance", code: "",
    read: (c) => c.regression.J, does: (c) => `J = ${c.regression.J}, tau^-1 = ${c.regression.tauFraction} x mean variance, batch ${c.regression.batch}` },
  { point: "Appendix A simulation", fields: ["appendixA"], paper: "200 random V per batch size 2, 5, 10", code: "", paperValue: [200, [2, 5, 10]],
    read: (c) => [c.appendixA.trials, c.appendixA.sizes], does: (c) => `${c.appendixA.trials} V per size ${c.appendixA.sizes.join("/")}, ${c.appendixA.points} points, J = ${c.appendixA.J}` },
  { point: "MNIST arms and budgets", fields: ["arms"], paper: "7 vs 9: initial 10, single point (Table 2, Fig. B.1 to 200) and batch 25 to 1,000 acquired (Fig. 3c); 0-9: initial 30, batch 25 to about 500", code: "",
    paperValue: [[10, 1, 200], [10, 25, 1000], [30, 25, 500]],
    read: (c) => ["7v9-single", "7v9-batch25", "0-9-batch25"].map((n) => { const a = arm(c, n); return a ? [a.initialPerClass * a.classes.length, a.acquireSize, a.steps * a.acquireSize] : null; }),
    does: (c) => c.arms.map((a) => `${a.name}: ${a.initialPerClass * a.classes.length} + ${a.steps} x ${a.acquireSize}`).join("; ") },
  { point: "Candidates scored per step", fields: ["arms"], paper: "2,500 (7 vs 9), 2,000 (0-9) random pool candidates (App. D)", code: "",
    paperValue: [2500, 2500, 2000], read: (c) => ["7v9-single", "7v9-batch25", "0-9-batch25"].map((n) => arm(c, n)?.poolSubset ?? null),
    does: (c) => c.arms.map((a) => `${a.name}: ${a.poolSubset}`).join("; ") },
  { point: "DEIMOS sample set", fields: ["arms"], paper: "Xsamp drawn at random from Xtrain ∪ Xpool until its unlabelled part reaches the candidate count (App. D): the covariance also spans the labelled points drawn", code: "",
    paperValue: "candidates + labelled", read: (c) => (deimosNames(c).every((n) => /labelled=0/.test(n)) ? "candidates" : "candidates + labelled"),
    does: (c) => (deimosNames(c).every((n) => /labelled=0/.test(n)) ? "the candidates only (strategy option labelled=0)" : "the candidates and the labelled points that App. D's draw includes (simulated each step from a side generator: about candidates / pool of them), all from the same J masks; only candidates can be picked (deimos(labelled=0): candidates only)") },
  { point: "Test set", fields: ["run.testSubset"], paper: "MNIST test images of the classes", code: "", paperValue: 0 },
  { point: "MC dropout", fields: ["run.T", "run.consistentMc"], paper: "50 MC dropout predictions per point; J fixed dropout masks shared by all points", code: "", paperValue: [50, true],
    read: (c) => [c.run.T, c.run.consistentMc], does: (c) => `T = ${c.run.T}, ${c.run.consistentMc ? "consistent" : "per-example"} masks` },
  { point: "Classifier network", fields: ["arms"], paper: "dropout preceding all fully-connected layers (§3.2); network not given", code: "",
    read: () => "lenet5-fc-dropout", does: () => "LeNet-5 with dropout before its three dense layers" },
  { point: "Dropout rate p", fields: ["run.tuning"], paper: "calibrated on the validation set by Pearson R² of observed squared error vs MC-dropout predicted variance (App. E); grid not given", code: "",
    paperValue: "tuned on validation", read: (c) => (c.run.tuning ? "tuned on validation" : "fixed"),
    does: (c) => (c.run.tuning ? `tuned per run on the initial set: ${c.run.tuning.dropout.map((r) => `[${r.join(", ")}]`).join(", ")} trained with C = ${c.run.train.l2?.c}; the highest R² among the lists within one validation image of the best accuracy (grid and tie rule ours)` : "fixed .5 / .25 / .25 (our choice)") },
  { point: "Classifier training", fields: ["run.train", "run.tuning"], paper: "L2 penalty lambda = C/N on the fully-connected layers, C selected by validation accuracy after training on the initial set (App. E); grid and value not given", code: "",
    paperValue: "l2 C/N on the dense layers, C tuned", read: (c) => (c.run.train.l2 && !c.run.train.l2.fixed && c.run.train.l2.layers === "dense" ? `l2 C/N on the dense layers, C ${c.run.tuning ? "tuned" : "fixed"}` : "other"),
    does: (c) => `${c.run.train.epochs} full-batch epochs, Adam, ${c.run.train.l2 ? `L2 C/N on the dense layers, ${c.run.tuning ? `C from ${c.run.tuning.c.join(" / ")} by validation accuracy with the chosen p (ties: lower validation NLL; grid and tie rule ours)` : `C = ${c.run.train.l2.c} (Gal et al.'s value; not tuned)`}` : "no L2 penalty"}` },
  { point: "tau_s (classification)", fields: ["arms"], paper: "a constant: tau_s^-1 = 0.001-0.01 x the initial model's average dropout variance across classes on the validation set (App. E)", code: "",
    paperValue: "fixed from the initial model's validation set", read: () => "fixed from the initial model's validation set", does: () => "fixed at the first query: 0.005 x the initial model's mean class-probability variance over the validation set's MC passes" },
  { point: "Repetitions and aggregation", fields: ["seeds", "seedsByStrategy"], paper: "not stated for Table 2", code: "", read: (c) => c.seeds.length,
    does: (c) => `${describeSeedPlan(c, (s) => STRATEGY_LABELS[s] ?? s)}; Table 2 from the mean curve (Average-Step: the first count of acquisitions at which the mean over seeds reaches the accuracy)` },
  { point: "Table 2 thresholds", fields: ["accuracyTargets"], paper: "95%, 96%, 97%, 97.5% test accuracy; acquisitions (7 vs 9, single point)", code: "", paperValue: [0.95, 0.96, 0.97, 0.975] },
];
