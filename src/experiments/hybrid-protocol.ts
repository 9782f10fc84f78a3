// Protocol table of the hybrid uncertainty x diversity study (paper 000) against the paper and
// the authors' code (RL-LBAM/DBALHQ: cnn_model.py, main.py, query_strategies.py).
import { ProtocolPoint } from "../report/protocol";
import { HybridExperimentConfig } from "./hybrid";

type P = ProtocolPoint<HybridExperimentConfig>;
const part = (c: HybridExperimentConfig, name: string) => c.parts.find((p) => p.name === name);

export const HYBRID_PROTOCOL: P[] = [
  { point: "Networks", fields: ["parts"], paper: "NiN on MNIST (5 weight layers) and CIFAR-10 (10 weight layers); the figure of the layers is missing",
    code: "MNIST: 3 convs 64/128/10 with BN, 80,010 parameters; CIFAR-10: 5 conv blocks 64-512-10 with BN, 1,599,006 parameters",
    codeValue: ["authors-mnist", "authors-cifar10"], read: (c) => [part(c, "mnist")?.model, part(c, "cifar10")?.model],
    does: (c) => c.parts.map((p) => `${p.name}: ${p.model}, initial ${p.run.initialPerClass * 10}, ${p.run.steps} x ${p.run.acquireSize}, ${p.run.train.epochs} epochs of batch ${p.run.train.batchSize}, T = ${p.run.T}, pool subset ${p.run.poolSubset}, validation ${p.run.validationSize}`).join("; "),
    why: "our NiN stand-ins are far smaller than the authors' networks (issue: hybrid fidelity)" },
  { point: "Uncertainty measures", fields: ["uncertainties"], paper: "entropy, BALD, variation ratio, each scaled to [0, 1]", code: "variation ratio divided by the pool-subset size (2,000), not T",
    paperValue: ["entropy", "bald", "vr"] },
  { point: "Diversity measures", fields: ["diversities"], paper: "discriminator, GP posterior variance, minimum distance", code: "the same", paperValue: ["disc", "gp", "mindist"], codeValue: ["disc", "gp", "mindist"] },
  { point: "Combinations", fields: ["combinations"], paper: "arithmetic, time-decayed arithmetic, geometric, time-decayed geometric, uncertainty-first, diversity-first",
    code: "two-stage queries negate the argsort indices, so both stages pick near-random points", paperValue: ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"] },
  { point: "Hyperparameter grids", fields: ["grids"], paper: "alpha, beta in {0.1, ..., 0.9}, gamma in {2, ..., 6}, chosen on validation", code: "best hybrids picked by test accuracy",
    read: (c) => Object.keys(c.grids).length, does: (c) => Object.entries(c.grids).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ") },
  { point: "Extended CIFAR-10 run", fields: ["extendedTop"], paper: "the 4 best hybrids and the baselines, 100 queries x 50", code: "top 4 by test accuracy", paperValue: 4 },
  { point: "Repetitions and split", fields: ["seeds"], paper: "5 runs", code: "5 runs sharing one split (setup_seed(369) before LoadData)", paperValue: 5, read: (c) => c.seeds.length,
    does: (c) => `${c.seeds.length} seeds, a split per seed` },
];
