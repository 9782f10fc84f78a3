// Hybrid uncertainty x diversity query strategies (paper 000) on MNIST and CIFAR-10: the 7
// baselines and the 3 x 3 x 6 hybrids, each hybrid's hyperparameter chosen on the validation set
// (mean final validation accuracy over seeds; every search run is an ordinary cached run), then
// the extended CIFAR-10 run with the best hybrids. Table 1, appendix tables, Figure 3.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMBINATION_PARAMETER, CombinationName, DiversityName, UncertaintyName } from "../acquisition/hybrid";
import { PROJECT_ROOT } from "../data/files";
import { CIFAR10_STD_DBALHQ, loadCifar10 } from "../data/cifar10";
import { loadMnist } from "../data/mnist";
import { PlotlyFigure, curvesWithBands } from "../figures/plotly";
import { AlRunConfig, RunResult, runKey } from "../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions, sweepStore } from "../loop/sweep";
import { optional, OPTIONAL_RUN_FIELDS, TRAIN_SCHEMA, validateConfig, Schema } from "../loop/validate";
import { imageModel } from "../models/classifiers";
import { mean, std } from "../report/metrics";
import { band, groupRuns, profileSubtitle, testAccuracyOf } from "../report/runs";
import { Row } from "../report/tables";
import { RunStore } from "../results/store";
import { Follows } from "../report/protocol";
import { Claim, decideClaim } from "../report/claims";

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
    description: "Reference runs (committed in reference-results/hybrid/): 'authors-code' cut to MNIST, 20 queries x 10, one seed (the code's " +
      "single shared split): Entropy, BALD, VarRatio, Uniform and the paper's best MNIST hybrid (time-decayed geometric mean of variation " +
      "ratio and posterior variance, beta = 0.6, Table 1: 96.75)",
    baselines: ["max-entropy", "bald", "variation-ratio", "random"], uncertainties: ["vr"], diversities: ["gp"], combinations: ["decay-geo"],
    grids: { "decay-geo": [0.6] }, extendedTop: 0, selectBy: "test", seeds: [1],
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
      Repetitions: "1 seed of the paper's 5",
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

const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", follows: ["paper", "authors-code"], cuts: optional("object"), description: "string", baselines: "non-empty string[]", uncertainties: "string[]", diversities: "string[]",
  combinations: "string[]", grids: "object", extendedTop: "non-negative integer", selectBy: ["validation", "test"], seeds: "non-empty number[]", parts: "object",
};
const PART_SCHEMA: Schema = {
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

function withParam(base: string, value: number): string {
  const comb = /-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base)![1] as CombinationName;
  return `${base}(${COMBINATION_PARAMETER[comb].name}=${value})`;
}

function gridOf(cfg: HybridExperimentConfig, base: string): number[] {
  const comb = /-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base)![1];
  const grid = cfg.grids[comb];
  if (!grid?.length) throw new Error(`hybrid config.grids.${comb}: expected a non-empty array of numbers`);
  return grid;
}

/** The run's dataset name: CIFAR-10 with the std constants of the authors' code (the paper gives none). */
const DATASET_NAMES = { mnist: "mnist", cifar10: "cifar10(std=dbalhq)" } as const;

export function hybridRunConfig(part: HybridPart, strategy: string, seed: number): AlRunConfig {
  return { experiment: "hybrid", dataset: DATASET_NAMES[part.dataset], model: part.model, strategy, seed, ...part.run };
}

/** Runs of a search part: every baseline and every grid point of every hybrid, for every seed. */
function searchRuns(cfg: HybridExperimentConfig, part: HybridPart): AlRunConfig[] {
  const strategies = [...(part.baselines ?? cfg.baselines), ...hybridBases(cfg).flatMap((b) => gridOf(cfg, b).map((v) => withParam(b, v)))];
  return cfg.seeds.flatMap((seed) => strategies.map((s) => hybridRunConfig(part, s, seed)));
}

export interface HybridChoice {
  base: string;
  /** The chosen hyperparameter (best mean final validation accuracy; ties: the smaller value). */
  value: number;
  strategy: string;
  valAccuracy: number;
  testAccuracy: { mean: number; std: number; n: number };
}

const finalRecord = (r: RunResult) => r.records[r.records.length - 1];

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

export interface HybridPlan {
  runs: AlRunConfig[];
  /** Parts whose runs cannot be listed yet (their search part is unfinished). */
  pending: string[];
}

export function hybridPlan(cfg: HybridExperimentConfig, store: RunStore): HybridPlan {
  validateConfig(cfg, SCHEMA, "hybrid config");
  if (!Array.isArray(cfg.parts) || cfg.parts.length === 0) throw new Error("hybrid config.parts: expected a non-empty array of parts");
  cfg.parts.forEach((p, i) => validateConfig(p, PART_SCHEMA, `hybrid config.parts[${i}]`));
  const runs: AlRunConfig[] = [];
  const pending: string[] = [];
  for (const part of cfg.parts) {
    if (part.search) runs.push(...searchRuns(cfg, part));
    else {
      const hybrids = extendedHybrids(cfg, part, store);
      if (!hybrids) pending.push(part.name);
      else runs.push(...cfg.seeds.flatMap((seed) => [...(part.baselines ?? cfg.baselines), ...hybrids].map((s) => hybridRunConfig(part, s, seed))));
    }
  }
  return { runs, pending };
}

async function loadDataset(name: string) {
  if (name === DATASET_NAMES.mnist) return loadMnist();
  if (name === DATASET_NAMES.cifar10) return loadCifar10(undefined, CIFAR10_STD_DBALHQ);
  throw new Error(`hybrid: unknown dataset '${name}'`);
}

export function hybridSweep(cfg: HybridExperimentConfig, store?: RunStore): SweepDefinition {
  const def: SweepDefinition = {
    experiment: "hybrid", profile: cfg.profile, runs: [], dataset: loadDataset,
    model: (name, options) => imageModel(name, options),
  };
  def.runs = hybridPlan(cfg, store ?? sweepStore(def)).runs;
  return def;
}

/** Runs the search parts, then (once their results exist) the extended parts. */
export async function runHybridSweep(cfg: HybridExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  let def = hybridSweep(cfg, opts.store);
  await runSweep(def, opts);
  const pending = hybridPlan(cfg, opts.store ?? sweepStore(def)).pending;
  if (cfg.parts.some((p) => !p.search) && pending.length === 0) {
    def = hybridSweep(cfg, opts.store);
    await runSweep(def, opts);
  }
  return collectRuns(def, opts.store).results;
}

export function collectHybridResults(cfg: HybridExperimentConfig, store?: RunStore) {
  const def = hybridSweep(cfg, store);
  return { ...collectRuns(def, store), pending: hybridPlan(cfg, store ?? sweepStore(def)).pending };
}

/** Paper 000 Table 1 (final test accuracy %): MNIST, CIFAR-10 and the extended CIFAR-10 run. */
export const PAPER_TABLE1: Record<string, { mnist: number; cifar10: number; "cifar10-extended": number | null }> = {
  "max-entropy": { mnist: 95.75, cifar10: 41.04, "cifar10-extended": 67.91 }, bald: { mnist: 95.93, cifar10: 40.8, "cifar10-extended": 66.47 },
  "variation-ratio": { mnist: 97.01, cifar10: 41.3, "cifar10-extended": 67.67 }, discriminator: { mnist: 93.52, cifar10: 41.62, "cifar10-extended": 67.43 },
  "posterior-variance": { mnist: 93.93, cifar10: 41.28, "cifar10-extended": 65.43 }, "min-distance": { mnist: 95.7, cifar10: 42.48, "cifar10-extended": 65.15 },
  random: { mnist: 94.01, cifar10: 42.36, "cifar10-extended": 66.67 }, "best hybrid": { mnist: 96.75, cifar10: 43.98, "cifar10-extended": null },
};

/** Table 1's hybrids: the best per search part and the extended run's four, with their published accuracies. */
export const PAPER_TABLE1_HYBRIDS: { hybrid: string; mnist: number | null; cifar10: number | null; "cifar10-extended": number | null }[] = [
  { hybrid: "hybrid-vr-gp-decay-geo", mnist: 96.75, cifar10: null, "cifar10-extended": null },
  { hybrid: "hybrid-vr-mindist-decay-geo", mnist: null, cifar10: 43.6, "cifar10-extended": 67.62 },
  { hybrid: "hybrid-vr-gp-decay-arith", mnist: null, cifar10: 43.52, "cifar10-extended": 68.18 },
  { hybrid: "hybrid-bald-mindist-geo", mnist: null, cifar10: 43.53, "cifar10-extended": 66.64 },
  { hybrid: "hybrid-bald-disc-dfirst", mnist: null, cifar10: 43.98, "cifar10-extended": 66.63 },
];

/** Paper 000 appendix Tables 1-6: final test accuracy % [MNIST, CIFAR-10] of every hybrid at its chosen hyperparameter. */
const APPENDIX_ROWS: Record<CombinationName, number[][]> = {
  // rows: entropy x (disc, gp, mindist), bald x ..., vr x ...
  arith: [[96.28, 41.22], [96.35, 40.7], [96.2, 41.8], [95.83, 41.68], [95.93, 41.13], [96.21, 43.05], [96.38, 42.0], [96.5, 42.39], [96.35, 42.96]],
  "decay-arith": [[96.3, 42.68], [96.51, 41.99], [96.55, 41.42], [95.84, 40.16], [95.87, 42.45], [96.02, 42.87], [96.62, 40.14], [96.58, 43.52], [96.6, 42.21]],
  geo: [[96.36, 41.73], [96.55, 40.34], [96.26, 42.63], [96.06, 39.14], [96.4, 38.38], [95.71, 43.53], [96.59, 42.43], [94.62, 42.66], [96.19, 42.21]],
  "decay-geo": [[95.64, 40.54], [96.09, 40.34], [96.26, 43.14], [96.15, 40.27], [96.05, 40.98], [95.65, 43.27], [96.73, 41.66], [96.75, 41.45], [96.59, 43.6]],
  ufirst: [[93.72, 41.31], [94.22, 41.71], [94.34, 42.06], [93.71, 41.01], [94.24, 40.72], [94.4, 42.94], [93.8, 39.59], [94.26, 42.01], [94.78, 42.57]],
  dfirst: [[93.52, 41.39], [94.23, 41.34], [94.27, 41.88], [94.25, 43.98], [94.23, 40.28], [94.25, 43.37], [94.39, 41.01], [94.41, 42.91], [94.28, 42.09]],
};

/** The paper's appendix accuracy (%) of a hybrid base ("hybrid-vr-gp-decay-geo") on a dataset. */
export function paperAppendixAccuracy(base: string, dataset: "mnist" | "cifar10"): number | undefined {
  const m = /^hybrid-(entropy|bald|vr)-(disc|gp|mindist)-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)$/.exec(base);
  if (!m) return undefined;
  const row = ["entropy", "bald", "vr"].indexOf(m[1]) * 3 + ["disc", "gp", "mindist"].indexOf(m[2]);
  return APPENDIX_ROWS[m[3] as CombinationName][row][dataset === "mnist" ? 0 : 1];
}

const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;

/** Table 1: final test accuracy of the baselines and the best hybrid (chosen on validation) per search part. */
export function table1(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Row[] {
  const rows: Row[] = [];
  const byPart = (part: HybridPart) => groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  for (const s of [...HYBRID_BASELINES, "best hybrid"]) {
    const run = s === "best hybrid" || cfg.parts.some((p) => (p.baselines ?? cfg.baselines).includes(s));
    const row: Row = { strategy: BASELINE_LABELS[s] ?? s };
    for (const part of cfg.parts) {
      let cell = run ? "not run" : "not in this profile";
      if (s === "best hybrid" && !part.search) cell = "see the extended-run table";
      else if (s === "best hybrid") {
        const choices = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null);
        const best = rankChoices(cfg, choices)[0];
        if (best) cell = `${pct(best.testAccuracy.mean, best.testAccuracy.std)} (${best.strategy})`;
      } else {
        const runs = byPart(part).get(s);
        if (runs) cell = pct(mean(runs.map((r) => finalRecord(r).testAccuracy)), std(runs.map((r) => finalRecord(r).testAccuracy)));
      }
      row[`${part.name} (ours)`] = cell;
      const paper = PAPER_TABLE1[s]?.[part.name as "mnist" | "cifar10" | "cifar10-extended"];
      row[`${part.name} (paper)`] = paper == null ? "no paper number" : paper.toFixed(2);
    }
    rows.push(row);
  }
  return rows;
}

/** Appendix table: every hybrid of a search part with its chosen hyperparameter, beside the paper's appendix. */
export function appendixTable(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): Row[] {
  return chooseHyperparameters(cfg, part, store).map((c, i) => {
    const base = hybridBases(cfg)[i];
    const paper = paperAppendixAccuracy(base, part.dataset)?.toFixed(2) ?? "no paper number";
    if (!c) return { hybrid: base, chosen: "not run", "final val acc %": "not run", "final test acc % (ours)": "not run", "final test acc % (paper)": paper };
    return {
      hybrid: base, chosen: c.strategy.replace(base, "").replace(/[()]/g, ""), "final val acc %": (100 * c.valAccuracy).toFixed(2),
      "final test acc % (ours)": pct(c.testAccuracy.mean, c.testAccuracy.std), "final test acc % (paper)": paper,
    };
  });
}

/** The extended run's hybrids: ours (chosen as cfg.selectBy says) and the paper's four, each with its final test accuracy. */
export function extendedHybridTable(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Row[] {
  const part = cfg.parts.find((p) => !p.search);
  if (!part) return [];
  const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  const ours = extendedHybrids(cfg, part, store) ?? [];
  const rows: Row[] = ours.map((strategy) => {
    const runs = groups.get(strategy);
    const base = strategy.replace(/\(.*\)$/, "");
    const paper = PAPER_TABLE1_HYBRIDS.find((h) => h.hybrid === base)?.["cifar10-extended"];
    return {
      hybrid: strategy, "chosen by": `our ${cfg.selectBy} ranking`,
      "final test acc % (ours)": runs ? pct(mean(runs.map((r) => finalRecord(r).testAccuracy)), std(runs.map((r) => finalRecord(r).testAccuracy))) : "not run",
      "final test acc % (paper)": paper == null ? "not among the paper's four" : paper.toFixed(2),
    };
  });
  for (const h of PAPER_TABLE1_HYBRIDS.filter((x) => x["cifar10-extended"] !== null && !ours.some((s) => s.startsWith(`${x.hybrid}(`)))) {
    rows.push({ hybrid: h.hybrid, "chosen by": "the paper", "final test acc % (ours)": "not run (not in our top hybrids)", "final test acc % (paper)": h["cifar10-extended"]!.toFixed(2) });
  }
  return rows;
}

/** The authors' seed-mean curves (published/hybrid_000_dbalhq.json): experiment -> strategy -> curve. */
export interface HybridPublished {
  experiments: Record<string, { train_size: number[]; strategies: Record<string, { mean_test_acc: number[] }> }>;
}

export function loadHybridPublished(path = join(PROJECT_ROOT, "published", "hybrid_000_dbalhq.json")): HybridPublished {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as HybridPublished;
  } catch (e) {
    throw new Error(`Cannot read the authors' published curves ${path}: ${(e as Error).message}`);
  }
}

const PUBLISHED_NAMES: Record<string, string> = {
  "max-entropy": "entropy", bald: "bald", "variation-ratio": "variation_ratio", discriminator: "discriminator",
  "posterior-variance": "posterior_variance", "min-distance": "min_distance", random: "uniform",
  entropy: "entropy", vr: "variation_ratio", disc: "discriminator", gp: "posterior_variance", mindist: "min_distance",
  arith: "constant_arithmetic", "decay-arith": "decay_arithmetic", geo: "constant_geometric", "decay-geo": "decay_geometric", ufirst: "uncertainty_first", dfirst: "diversity_first",
};

/** The authors' name of one of our strategies ("hybrid-vr-gp-decay-geo(beta=0.6)" -> "decay_geometric:variation_ratio+posterior_variance"). */
export function publishedName(strategy: string): string | undefined {
  const m = /^hybrid-(entropy|bald|vr)-(disc|gp|mindist)-(arith|decay-arith|geo|decay-geo|ufirst|dfirst)(\(.*\))?$/.exec(strategy);
  if (m) return `${PUBLISHED_NAMES[m[3]]}:${PUBLISHED_NAMES[m[1]]}+${PUBLISHED_NAMES[m[2]]}`;
  return PUBLISHED_NAMES[strategy];
}

/**
 * Figure 3: accuracy curves of the baselines and the best hybrids, per part; in a profile that follows
 * the authors' code, their seed-mean curves of the same strategies are dashed beside ours.
 */
export function hybridFigures(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore,
  published: HybridPublished | null = cfg.follows === "authors-code" ? loadHybridPublished() : null): Record<string, PlotlyFigure> {
  const figs: Record<string, PlotlyFigure> = {};
  for (const part of cfg.parts) {
    const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
    let hybrids: string[];
    if (part.search) {
      const chosen = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null);
      hybrids = rankChoices(cfg, chosen).slice(0, cfg.extendedTop).map((c) => c.strategy);
    } else hybrids = extendedHybrids(cfg, part, store) ?? [];
    const shown = [...(part.baselines ?? cfg.baselines), ...hybrids].filter((s) => groups.has(s));
    const series = shown.map((s) => band(BASELINE_LABELS[s] ?? s, groups.get(s)!, testAccuracyOf));
    const pub = published?.experiments[part.name.replace("-", "_")];
    if (pub) {
      for (const s of shown) {
        const curve = pub.strategies[publishedName(s) ?? ""]?.mean_test_acc;
        if (!curve) continue;
        const x = pub.train_size.map((n) => n - pub.train_size[0]);
        series.push({ name: `${BASELINE_LABELS[s] ?? s} (authors' mean of 5)`, x, mean: curve, dash: "dash" });
      }
    }
    if (series.length) {
      figs[`hybrid-${part.name}-accuracy`] = curvesWithBands(`${part.name}: test accuracy, baselines and the best hybrids (mean ± std)`,
        "acquired samples", "test accuracy", series, { subtitle: `${profileSubtitle(cfg.profile, cfg.reduced)}${pub ? "; dashed: the authors' seed-mean curves" : ""}` });
    }
  }
  return figs;
}

/**
 * The paper's MNIST claims (§4.1.2, Table 1), decided from the final test accuracy (mean over our
 * seeds) of the MNIST search part: the order variation ratio > BALD and entropy, every uncertainty
 * baseline above Uniform, and the best MNIST hybrid (decayed geometric mean of variation ratio and
 * posterior variance) above Uniform.
 */
export function hybridClaims(cfg: HybridExperimentConfig, results: readonly RunResult[]): Claim[] {
  const part = cfg.parts.find((p) => p.dataset === "mnist" && p.search);
  if (!part) return [];
  const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES.mnist && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  const bestHybrid = [...groups.keys()].find((s) => s.startsWith("hybrid-vr-gp-decay-geo("));
  const final = (s: string) => mean(groups.get(s)!.map((r) => finalRecord(r).testAccuracy));
  const has = (s: string | undefined): s is string => !!s && (groups.get(s)?.length ?? 0) >= cfg.seeds.length;
  const show = (s: string | undefined) => (s && groups.has(s) ? (100 * final(s)).toFixed(2) : "not run");
  const runs = (ss: (string | undefined)[]) => ss.map((s) => `${s ? BASELINE_LABELS[s] ?? s : "best hybrid"} ${s ? groups.get(s)?.length ?? 0 : 0}/${cfg.seeds.length}`).join(", ");
  const above = (a: string | undefined, b: string): Claim["verdict"] => decideClaim(cfg.reduced, has(a) && has(b), () => final(a!) > final(b));
  const p = (s: string) => PAPER_TABLE1[s].mnist.toFixed(2);
  return [
    { claim: "MNIST: variation ratio ends above BALD", paper: `${p("variation-ratio")} vs ${p("bald")}`, ours: `${show("variation-ratio")} vs ${show("bald")}`, runs: runs(["variation-ratio", "bald"]), verdict: above("variation-ratio", "bald") },
    { claim: "MNIST: variation ratio ends above entropy", paper: `${p("variation-ratio")} vs ${p("max-entropy")}`, ours: `${show("variation-ratio")} vs ${show("max-entropy")}`, runs: runs(["variation-ratio", "max-entropy"]), verdict: above("variation-ratio", "max-entropy") },
    ...["max-entropy", "bald", "variation-ratio"].map((s) => ({
      claim: `MNIST: ${BASELINE_LABELS[s]} ends above Uniform`, paper: `${p(s)} vs ${p("random")}`, ours: `${show(s)} vs ${show("random")}`, runs: runs([s, "random"]), verdict: above(s, "random"),
    })),
    { claim: "MNIST: the best hybrid (decayed geometric mean of VarRatio and posterior variance) ends above Uniform", paper: `96.75 vs ${p("random")}`,
      ours: `${show(bestHybrid)} vs ${show("random")}`, runs: runs([bestHybrid, "random"]), verdict: above(bestHybrid, "random") },
  ];
}
