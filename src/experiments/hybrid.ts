// Hybrid uncertainty x diversity query strategies (paper 000) on MNIST and CIFAR-10: the 7
// baselines and the 3 x 3 x 6 hybrids, each hybrid's hyperparameter chosen on the validation set
// (mean final validation accuracy over seeds; every search run is an ordinary cached run), then
// the extended CIFAR-10 run with the best hybrids. Table 1, appendix tables, Figure 3.
import { COMBINATION_PARAMETER, CombinationName, DiversityName, UncertaintyName } from "../acquisition/hybrid";
import { loadCifar10 } from "../data/cifar10";
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

export const HYBRID_BASELINES = ["max-entropy", "bald", "variation-ratio", "discriminator", "posterior-variance", "min-distance", "random"];
export const BASELINE_LABELS: Record<string, string> = {
  "max-entropy": "Entropy", bald: "BALD", "variation-ratio": "VarRatio", discriminator: "Discriminator",
  "posterior-variance": "PosteriorVar", "min-distance": "MinDistance", random: "Uniform",
};

export interface HybridPart {
  name: string;
  dataset: "mnist" | "cifar10";
  model: "nin5" | "nin10";
  /** Search every hybrid's hyperparameter grid here; false: run the `extendedTop` best hybrids of `searchFrom`. */
  search: boolean;
  searchFrom?: string;
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset">;
}

export interface HybridExperimentConfig {
  profile: string;
  reduced: boolean;
  description: string;
  uncertainties: UncertaintyName[];
  diversities: DiversityName[];
  combinations: CombinationName[];
  /** Hyperparameter grid per combination (the paper: alpha, beta in .1..9, gamma in 2..6). */
  grids: Record<string, number[]>;
  extendedTop: number;
  seeds: number[];
  parts: HybridPart[];
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
const MNIST_RUN: HybridPart["run"] = {
  initialPerClass: 2, validationSize: 1000, steps: 20, acquireSize: 10, poolSubset: 2000, testSubset: 0, T: 100, testMcPasses: 0,
  consistentMc: false, train: { epochs: 50, batchSize: 128, patience: 0, loss: "softmax-cross-entropy", optimizer: ADAM, keepBestValidation: false },
};
const CIFAR_RUN: HybridPart["run"] = { ...MNIST_RUN, initialPerClass: 10 };
const PAPER_GRIDS = Object.fromEntries(Object.entries(COMBINATION_PARAMETER).map(([k, v]) => [k, v.grid]));

export const HYBRID_PROFILES: Record<string, HybridExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false,
    description: "Paper 000: NiN-5 on MNIST (initial 20, 20 queries x 10) and NiN-10 on CIFAR-10 (initial 100, 20 x 10), validation 1,000, " +
      "pool subset 2,000, T=100, 50 epochs of batch 128 (Adam 1e-3), 5 seeds, 54 hybrids with their full hyperparameter grids + 7 baselines; " +
      "extended CIFAR-10: 100 queries x 50 with the 4 best hybrids + 7 baselines",
    uncertainties: ["entropy", "bald", "vr"], diversities: ["disc", "gp", "mindist"], combinations: ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"],
    grids: PAPER_GRIDS, extendedTop: 4, seeds: [1, 2, 3, 4, 5],
    parts: [
      { name: "mnist", dataset: "mnist", model: "nin5", search: true, run: MNIST_RUN },
      { name: "cifar10", dataset: "cifar10", model: "nin10", search: true, run: CIFAR_RUN },
      { name: "cifar10-extended", dataset: "cifar10", model: "nin10", search: false, searchFrom: "cifar10", run: { ...CIFAR_RUN, steps: 100, acquireSize: 50 } },
    ],
  },
  smoke: {
    profile: "smoke", reduced: true,
    description: "REDUCED smoke configuration: BALD x GP variance x {geometric (alpha .3/.7), uncertainty-first (gamma 2/4)} + 7 baselines, 1 seed; " +
      "MNIST (NiN-5, 12 epochs of batch 32) 3 queries x 10; CIFAR-10 (NiN-10, initial 20, 6 epochs) 1 query x 10; extended CIFAR-10 with the best 2 " +
      "hybrids, 2 queries; validation 100, pool subset 100, T=5, test subset 300",
    uncertainties: ["bald"], diversities: ["gp"], combinations: ["geo", "ufirst"],
    grids: { geo: [0.3, 0.7], ufirst: [2, 4] }, extendedTop: 2, seeds: [1],
    parts: [
      { name: "mnist", dataset: "mnist", model: "nin5", search: true,
        run: { ...MNIST_RUN, validationSize: 100, steps: 3, poolSubset: 100, testSubset: 300, T: 5, train: { ...MNIST_RUN.train, epochs: 12, batchSize: 32 } } },
      { name: "cifar10", dataset: "cifar10", model: "nin10", search: true,
        run: { ...CIFAR_RUN, initialPerClass: 2, validationSize: 100, steps: 1, poolSubset: 100, testSubset: 300, T: 5, train: { ...CIFAR_RUN.train, epochs: 6, batchSize: 32 } } },
      { name: "cifar10-extended", dataset: "cifar10", model: "nin10", search: false, searchFrom: "cifar10",
        run: { ...CIFAR_RUN, initialPerClass: 2, validationSize: 100, steps: 2, poolSubset: 100, testSubset: 300, T: 5, train: { ...CIFAR_RUN.train, epochs: 6, batchSize: 32 } } },
    ],
  },
};

const SCHEMA: Schema = {
  profile: "profile name", reduced: "boolean", description: "string", uncertainties: "string[]", diversities: "string[]",
  combinations: "string[]", grids: "object", extendedTop: "non-negative integer", seeds: "non-empty number[]", parts: "object",
};
const PART_SCHEMA: Schema = {
  name: "string", dataset: ["mnist", "cifar10"], model: ["nin5", "nin10"], search: "boolean", searchFrom: optional("string"),
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

function runConfig(part: HybridPart, strategy: string, seed: number): AlRunConfig {
  return { experiment: "hybrid", dataset: part.dataset, model: part.model, strategy, seed, ...part.run };
}

/** Runs of a search part: every baseline and every grid point of every hybrid, for every seed. */
function searchRuns(cfg: HybridExperimentConfig, part: HybridPart): AlRunConfig[] {
  const strategies = [...HYBRID_BASELINES, ...hybridBases(cfg).flatMap((b) => gridOf(cfg, b).map((v) => withParam(b, v)))];
  return cfg.seeds.flatMap((seed) => strategies.map((s) => runConfig(part, s, seed)));
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
      const runs = cfg.seeds.map((seed) => store.load<RunResult>(runKey(runConfig(part, strategy, seed))));
      if (runs.some((r) => !r)) return null;
      const val = mean(runs.map((r) => finalRecord(r!).valAccuracy));
      const test = runs.map((r) => finalRecord(r!).testAccuracy);
      if (!best || val > best.valAccuracy) best = { base, value, strategy, valAccuracy: val, testAccuracy: { mean: mean(test), std: std(test), n: test.length } };
    }
    return best;
  });
}

/** The extended part's hybrids: the `extendedTop` best chosen hybrids of its search part (by validation accuracy). */
export function extendedHybrids(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): string[] | null {
  const from = cfg.parts.find((p) => p.name === part.searchFrom);
  if (!from) throw new Error(`hybrid config: part '${part.name}' searches from '${part.searchFrom}', which is not a part`);
  const choices = chooseHyperparameters(cfg, from, store);
  if (choices.some((c) => !c)) return null;
  return (choices as HybridChoice[]).slice().sort((a, b) => b.valAccuracy - a.valAccuracy).slice(0, cfg.extendedTop).map((c) => c.strategy);
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
      else runs.push(...cfg.seeds.flatMap((seed) => [...HYBRID_BASELINES, ...hybrids].map((s) => runConfig(part, s, seed))));
    }
  }
  return { runs, pending };
}

async function loadDataset(name: string) {
  if (name === "mnist") return loadMnist();
  if (name === "cifar10") return loadCifar10();
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

/** Paper 000 Table 1 (final test accuracy %). */
export const PAPER_TABLE1: Record<string, { mnist: number; cifar10: number }> = {
  "max-entropy": { mnist: 95.75, cifar10: 41.04 }, bald: { mnist: 95.93, cifar10: 40.8 }, "variation-ratio": { mnist: 97.01, cifar10: 41.3 },
  discriminator: { mnist: 93.52, cifar10: 41.62 }, "posterior-variance": { mnist: 93.93, cifar10: 41.28 },
  "min-distance": { mnist: 95.7, cifar10: 42.48 }, random: { mnist: 94.01, cifar10: 42.36 }, "best hybrid": { mnist: 96.75, cifar10: 43.98 },
};

const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;

/** Table 1: final test accuracy of the baselines and the best hybrid (chosen on validation) per search part. */
export function table1(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Row[] {
  const searchParts = cfg.parts.filter((p) => p.search);
  const rows: Row[] = [];
  const byPart = (part: HybridPart) => groupRuns(results.filter((r) => r.config.dataset === part.dataset && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  for (const s of [...HYBRID_BASELINES, "best hybrid"]) {
    const row: Row = { strategy: BASELINE_LABELS[s] ?? s };
    for (const part of searchParts) {
      let cell = "–";
      if (s === "best hybrid") {
        const choices = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null);
        const best = choices.sort((a, b) => b.valAccuracy - a.valAccuracy)[0];
        if (best) cell = `${pct(best.testAccuracy.mean, best.testAccuracy.std)} (${best.strategy})`;
      } else {
        const runs = byPart(part).get(s);
        if (runs) cell = pct(mean(runs.map((r) => finalRecord(r).testAccuracy)), std(runs.map((r) => finalRecord(r).testAccuracy)));
      }
      row[`${part.name} (ours)`] = cell;
      const paper = PAPER_TABLE1[s]?.[part.dataset];
      row[`${part.name} (paper)`] = paper === undefined ? "–" : paper.toFixed(2);
    }
    rows.push(row);
  }
  return rows;
}

/** Appendix table: every hybrid of a search part with its chosen hyperparameter. */
export function appendixTable(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): Row[] {
  return chooseHyperparameters(cfg, part, store).map((c, i) => {
    const base = hybridBases(cfg)[i];
    if (!c) return { hybrid: base, chosen: "runs missing", "final val acc %": null, "final test acc % (ours)": null };
    return {
      hybrid: base, chosen: c.strategy.replace(base, "").replace(/[()]/g, ""), "final val acc %": (100 * c.valAccuracy).toFixed(2),
      "final test acc % (ours)": pct(c.testAccuracy.mean, c.testAccuracy.std),
    };
  });
}

/** Figure 3: accuracy curves of the baselines and the best hybrids, per part. */
export function hybridFigures(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Record<string, PlotlyFigure> {
  const figs: Record<string, PlotlyFigure> = {};
  for (const part of cfg.parts) {
    const groups = groupRuns(results.filter((r) => r.config.dataset === part.dataset && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
    let hybrids: string[];
    if (part.search) {
      hybrids = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null)
        .sort((a, b) => b.valAccuracy - a.valAccuracy).slice(0, cfg.extendedTop).map((c) => c.strategy);
    } else hybrids = extendedHybrids(cfg, part, store) ?? [];
    const series = [...HYBRID_BASELINES, ...hybrids].filter((s) => groups.has(s)).map((s) => band(BASELINE_LABELS[s] ?? s, groups.get(s)!, testAccuracyOf));
    if (series.length) {
      figs[`hybrid-${part.name}-accuracy`] = curvesWithBands(`${part.name}: test accuracy, baselines and the best hybrids (mean ± std)`,
        "acquired samples", "test accuracy", series, { subtitle: profileSubtitle(cfg.profile, cfg.reduced) });
    }
  }
  return figs;
}
