// Hybrid uncertainty x diversity query strategies (paper 000): the typed config, its schema, the named
// profiles (the only place where the protocol's numbers are written) and the runs a profile makes — the 7
// baselines and the 3 x 3 x 6 hybrids, each hybrid's hyperparameter chosen on the validation set (mean final
// validation accuracy over seeds; every search run is an ordinary cached run), then the extended CIFAR-10 run.
import { COMBINATION_PARAMETER, CombinationName, DiversityName, UncertaintyName } from "../../acquisition/hybrid";
import { AlRunConfig, runKey, RunResult } from "../../loop/active-learning";
import { optional, OPTIONAL_RUN_FIELDS, Schema, TRAIN_SCHEMA } from "../../loop/validate";
import { mean, std } from "../../report/metrics";
import { Follows } from "../../report/protocol";
import { RunStore } from "../../results/store";

export const HYBRID_BASELINES = ["max-entropy", "bald", "variation-ratio", "discriminator", "posterior-variance", "min-distance", "random"];

export const BASELINE_LABELS: Record<string, string> = {
  "max-entropy": "Entropy", bald: "BALD", "variation-ratio": "VarRatio", discriminator: "Discriminator",
  "posterior-variance": "PosteriorVar", "min-distance": "MinDistance", random: "Uniform",
};

export interface HybridPart {
  name: string;
  dataset: "mnist" | "cifar10";
  model: "dbalhq-mnist" | "dbalhq-cifar10";
  /** Search every hybrid's hyperparameter grid here; false: run the `extendedTop` best hybrids of `searchFrom`. */
  search: boolean;
  /** The baselines of this part (default: the experiment's `baselines`). */
  baselines?: string[];
  searchFrom?: string;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset">;
}

export interface HybridExperimentConfig {
  profile: string;
  reduced: boolean;
  /** Where the paper's text and the authors' code differ, which one this profile follows. */
  follows: Follows;
  /** Points cut on purpose (reference profile), by protocol row name, with the reason. */
  cuts?: Record<string, string>;
  description: string;
  /** The pure strategies run beside the hybrids (the paper: all 7 of HYBRID_BASELINES). */
  baselines: string[];
  uncertainties: UncertaintyName[];
  diversities: DiversityName[];
  combinations: CombinationName[];
  /** Hyperparameter grid per combination (the paper: alpha, beta in .1..9, gamma in 2..6). */
  grids: Record<string, number[]>;
  extendedTop: number;
  /**
   * How the best hybrids (Table 1's "best hybrid", the extended run's top hybrids) are ranked:
   * "validation" (the paper) or "test" (the authors' code: the published best hybrid and top 4 are
   * the maxima of the appendix test columns). Within a hybrid the hyperparameter is always chosen on
   * validation accuracy.
   */
  selectBy: "validation" | "test";
  seeds: number[];
  parts: HybridPart[];
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/**
 * The paper's protocol with the authors' networks and training (skorch: 50 epochs of batch 128,
 * Adam 1e-3, batches in the training set's order, PyTorch initialisation), deterministic test and
 * validation accuracy (`learner.score`, dropout off), and the paper's text where it speaks:
 * re-initialised every query, a split per run, variation ratio over T, top-k two-stage queries,
 * batch norm on running statistics during MC dropout.
 */
const MNIST_RUN: HybridPart["run"] = {
  initialPerClass: 2, validationSize: 1000, steps: 20, acquireSize: 10, poolSubset: 2000, testSubset: 0, T: 100, testMcPasses: 0,
  consistentMc: false, modelOptions: { init: "pytorch" },
  train: { epochs: 50, batchSize: 128, patience: 0, loss: "softmax-cross-entropy", optimizer: ADAM, keepBestValidation: false, shuffle: false },
  strategyOptions: { varRatioScale: "classes", twoStage: "top-k", discriminatorBatches: "in-order" },
};

const CIFAR_RUN: HybridPart["run"] = { ...MNIST_RUN, initialPerClass: 10 };

/**
 * What the authors' code does where it departs from the text: one network trained on across
 * queries, one split (seed 369) for every run, MC passes with batch norm on the statistics of
 * unshuffled chunks of 128, the variation ratio divided by the pool subset, the two-stage query's
 * negated argsort indices.
 */
const AUTHORS_CODE: Partial<HybridPart["run"]> = {
  retrain: "continue", splitSeed: 369, mcBatchNorm: "batch-statistics", mcBatchSize: 128,
  strategyOptions: { varRatioScale: "pool-subset", twoStage: "negated-argsort", discriminatorBatches: "in-order" },
};

const PAPER_GRIDS = Object.fromEntries(Object.entries(COMBINATION_PARAMETER).map(([k, v]) => [k, v.grid]));

const ALL_HYBRIDS = {
  baselines: HYBRID_BASELINES,
  uncertainties: ["entropy", "bald", "vr"] as UncertaintyName[], diversities: ["disc", "gp", "mindist"] as DiversityName[],
  combinations: ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"] as CombinationName[],
};

const paperParts = (extra: Partial<HybridPart["run"]>): HybridPart[] => [
  { name: "mnist", dataset: "mnist", model: "dbalhq-mnist", search: true, run: { ...MNIST_RUN, ...extra } },
  { name: "cifar10", dataset: "cifar10", model: "dbalhq-cifar10", search: true, run: { ...CIFAR_RUN, ...extra } },
  { name: "cifar10-extended", dataset: "cifar10", model: "dbalhq-cifar10", search: false, searchFrom: "cifar10", run: { ...CIFAR_RUN, ...extra, steps: 100, acquireSize: 50 } },
];

export const HYBRID_PROFILES: Record<string, HybridExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false, follows: "paper",
    description: "Paper 000 as its text says, on the authors' networks (MNIST CNN 80,010 parameters, initial 20, 20 queries x 10; CIFAR-10 CNN " +
      "1,599,006 parameters, initial 100, 20 x 10), validation 1,000, pool subset 2,000, T=100, 50 epochs of batch 128 (Adam 1e-3), 5 seeds, " +
      "54 hybrids with their full hyperparameter grids + 7 baselines; extended CIFAR-10: 100 queries x 50 with the 4 best hybrids + 7 baselines",
    ...ALL_HYBRIDS, grids: PAPER_GRIDS, extendedTop: 4, selectBy: "validation", seeds: [1, 2, 3, 4, 5], parts: paperParts({}),
  },
  "authors-code": {
    profile: "authors-code", reduced: false, follows: "authors-code",
    description: "Paper 000 as the authors' code (RL-LBAM/DBALHQ) ran it, which produced the published numbers: the paper profile plus " +
      "training continued across queries, one split for all runs, MC passes with batch norm on batch statistics, the variation ratio divided " +
      "by the pool subset, the two-stage query's negated argsort, best hybrids ranked by test accuracy",
    ...ALL_HYBRIDS, grids: PAPER_GRIDS, extendedTop: 4, selectBy: "test", seeds: [1, 2, 3, 4, 5], parts: paperParts(AUTHORS_CODE),
  },
  reference: {
    profile: "reference", reduced: false, follows: "authors-code",
    description: "Reference runs (committed in reference-results/hybrid/): 'authors-code' cut to MNIST, 20 queries x 10, seeds 1-3 (the code's " +
      "single shared split): Entropy, BALD, VarRatio, Uniform and the paper's best MNIST hybrid (time-decayed geometric mean of variation " +
      "ratio and posterior variance, beta = 0.6, Table 1: 96.75)",
    baselines: ["max-entropy", "bald", "variation-ratio", "random"], uncertainties: ["vr"], diversities: ["gp"], combinations: ["decay-geo"],
    grids: { "decay-geo": [0.6] }, extendedTop: 0, selectBy: "test", seeds: [1, 2, 3],
    parts: [{ name: "mnist", dataset: "mnist", model: "dbalhq-mnist", search: true, run: { ...MNIST_RUN, ...AUTHORS_CODE } }],
    cuts: {
      Networks: "the MNIST network only (MNIST only)",
      Baselines: "4 of the 7 baselines (the discriminator and the other diversity baselines are not run), to fit 2 CPU cores",
      "Uncertainty measures": "only the paper's best MNIST hybrid is run",
      "Diversity measures": "only the paper's best MNIST hybrid is run",
      Combinations: "only the paper's best MNIST hybrid is run",
      "Hyperparameter grids": "its published beta = 0.6 only (no grid search)",
      "Extended CIFAR-10 run": "MNIST only",
      "Initial set and queries": "MNIST only",
      Repetitions: "3 seeds of the paper's 5 (a claim needs 3 runs per arm), to fit 2 CPU cores",
    },
  },
  smoke: {
    profile: "smoke", reduced: true, follows: "paper",
    description: "REDUCED smoke configuration: BALD x GP variance x {geometric (alpha .3/.7), uncertainty-first (gamma 3)}, 1 seed, the authors' " +
      "networks; MNIST with BALD, Discriminator, PosteriorVar and Uniform as baselines, 3 queries x 10 (30 epochs); CIFAR-10 with Uniform only, " +
      "initial 50, 1 query x 10 (20 epochs, lr 3e-3); extended CIFAR-10 with the best hybrid, 1 query x 20; validation 100, pool subset 100, T=5, test subset 500",
    baselines: ["bald", "discriminator", "posterior-variance", "random"], uncertainties: ["bald"], diversities: ["gp"], combinations: ["geo", "ufirst"],
    grids: { geo: [0.3, 0.7], ufirst: [3] }, extendedTop: 1, selectBy: "validation", seeds: [1],
    parts: [
      { name: "mnist", dataset: "mnist", model: "dbalhq-mnist", search: true,
        run: { ...MNIST_RUN, validationSize: 100, steps: 3, poolSubset: 100, testSubset: 500, T: 5, train: { ...MNIST_RUN.train, epochs: 30 } } },
      { name: "cifar10", dataset: "cifar10", model: "dbalhq-cifar10", search: true, baselines: ["random"],
        run: { ...CIFAR_RUN, initialPerClass: 5, validationSize: 100, steps: 1, poolSubset: 100, testSubset: 500, T: 5, train: { ...CIFAR_RUN.train, epochs: 20, optimizer: { ...ADAM, lr: 3e-3 } } } },
      { name: "cifar10-extended", dataset: "cifar10", model: "dbalhq-cifar10", search: false, searchFrom: "cifar10", baselines: ["random"],
        run: { ...CIFAR_RUN, initialPerClass: 5, validationSize: 100, steps: 1, acquireSize: 20, poolSubset: 100, testSubset: 500, T: 5, train: { ...CIFAR_RUN.train, epochs: 20, optimizer: { ...ADAM, lr: 3e-3 } } } },
    ],
  },
};

export const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", follows: ["paper", "authors-code"], cuts: optional("object"), description: "string", baselines: "non-empty string[]", uncertainties: "string[]", diversities: "string[]",
  combinations: "string[]", grids: "object", extendedTop: "non-negative integer", selectBy: ["validation", "test"], seeds: "seed list", parts: "object",
};

export const PART_SCHEMA: Schema = {
  name: "string", dataset: ["mnist", "cifar10"], model: ["dbalhq-mnist", "dbalhq-cifar10"], search: "boolean", searchFrom: optional("string"), baselines: optional("non-empty string[]"),
  run: {
    initialPerClass: "positive integer", validationSize: "positive integer", steps: "positive integer", acquireSize: "positive integer",
    poolSubset: "non-negative integer", testSubset: "non-negative integer", T: "positive integer", consistentMc: "boolean", ...OPTIONAL_RUN_FIELDS, train: TRAIN_SCHEMA,
  },
};

export function hybridProfile(name: string): HybridExperimentConfig {
  const p = HYBRID_PROFILES[name];
  if (!p) throw new Error(`hybrid: unknown profile '${name}' (expected one of ${Object.keys(HYBRID_PROFILES).join(", ")})`);
  return structuredClone(p);
}

/** The hybrid triples of the configuration, e.g. "hybrid-bald-gp-geo". */
export function hybridBases(cfg: HybridExperimentConfig): string[] {
  return cfg.uncertainties.flatMap((u) => cfg.diversities.flatMap((d) => cfg.combinations.map((c) => `hybrid-${u}-${d}-${c}`)));
}

export function withParam(base: string, value: number): string {
  const comb = /-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base)![1] as CombinationName;
  return `${base}(${COMBINATION_PARAMETER[comb].name}=${value})`;
}

export function gridOf(cfg: HybridExperimentConfig, base: string): number[] {
  const comb = /-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base)![1];
  const grid = cfg.grids[comb];
  if (!grid?.length) throw new Error(`hybrid config.grids.${comb}: expected a non-empty array of numbers`);
  return grid;
}

/** The run's dataset name: CIFAR-10 with the std constants of the authors' code (the paper gives none). */
export const DATASET_NAMES = { mnist: "mnist", cifar10: "cifar10(std=dbalhq)" } as const;

export function hybridRunConfig(part: HybridPart, strategy: string, seed: number): AlRunConfig {
  return { experiment: "hybrid", dataset: DATASET_NAMES[part.dataset], model: part.model, strategy, seed, ...part.run };
}

export interface HybridChoice {
  base: string;
  /** The chosen hyperparameter (best mean final validation accuracy; ties: the smaller value). */
  value: number;
  strategy: string;
  valAccuracy: number;
  testAccuracy: { mean: number; std: number; n: number };
}

export const finalRecord = (r: RunResult) => r.records[r.records.length - 1];

/** The chosen hyperparameter of every hybrid of a search part (null where runs are missing). */
export function chooseHyperparameters(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): (HybridChoice | null)[] {
  return hybridBases(cfg).map((base) => {
    let best: HybridChoice | null = null;
    for (const value of gridOf(cfg, base)) {
      const strategy = withParam(base, value);
      const runs = cfg.seeds.map((seed) => store.load<RunResult>(runKey(hybridRunConfig(part, strategy, seed))));
      if (runs.some((r) => !r)) return null;
      const val = mean(runs.map((r) => finalRecord(r!).valAccuracy));
      const test = runs.map((r) => finalRecord(r!).testAccuracy);
      if (!best || val > best.valAccuracy) best = { base, value, strategy, valAccuracy: val, testAccuracy: { mean: mean(test), std: std(test), n: test.length } };
    }
    return best;
  });
}

/** Chosen hybrids best first, by mean final validation or test accuracy (cfg.selectBy). */
export function rankChoices(cfg: HybridExperimentConfig, choices: readonly HybridChoice[]): HybridChoice[] {
  const by = (c: HybridChoice) => (cfg.selectBy === "test" ? c.testAccuracy.mean : c.valAccuracy);
  return choices.slice().sort((a, b) => by(b) - by(a));
}

/** The extended part's hybrids: the `extendedTop` best chosen hybrids of its search part (ranked as cfg.selectBy says). */
export function extendedHybrids(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): string[] | null {
  const from = cfg.parts.find((p) => p.name === part.searchFrom);
  if (!from) throw new Error(`hybrid config: part '${part.name}' searches from '${part.searchFrom}', which is not a part`);
  const choices = chooseHyperparameters(cfg, from, store);
  if (choices.some((c) => !c)) return null;
  return rankChoices(cfg, choices as HybridChoice[]).slice(0, cfg.extendedTop).map((c) => c.strategy);
}
