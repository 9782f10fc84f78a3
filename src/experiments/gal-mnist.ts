// Gal et al. 2017 §5.1 (MNIST) as reproduced by Pilz 2025 (paper 003): profiles, the sweep of
// runs (strategy x seed), and the report (curves, Step-Average / Average-Step tables).
import { strategyByName } from "../acquisition/strategy";
import { loadMnist } from "../data/mnist";
import { PlotlyFigure, curvesWithBands, groupedBars } from "../figures/plotly";
import { AlRunConfig, RunResult } from "../loop/active-learning";
import { MODEL_FACTORIES } from "../models/classifiers";
import { averageStep, mean, std, stepAverage } from "../report/metrics";
import { band, curveOf, groupRuns, profileLabel } from "../report/runs";
import { Row, formatNumber } from "../report/tables";
import { RunStore } from "../results/store";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../loop/sweep";
import { validateConfig, Schema } from "../loop/validate";

export const GAL_STRATEGIES = ["max-entropy", "bald", "variation-ratio", "mean-std", "random"] as const;
export const GAL_LABELS: Record<string, string> = {
  "max-entropy": "ME", bald: "BALD", "variation-ratio": "VR", "mean-std": "MSTD", random: "Random",
};

export interface GalExperimentConfig {
  profile: string;
  /** Shown beside every number when the configuration is not the paper's. */
  reduced: boolean;
  description: string;
  model: "lenet5" | "keras-cnn";
  strategies: string[];
  seeds: number[];
  run: Omit<AlRunConfig, "experiment" | "strategy" | "seed" | "model" | "dataset">;
  /** Test-error thresholds of the tables (the paper's are 10% and 5%). */
  errorThresholds: number[];
}

const PAPER_RUN: GalExperimentConfig["run"] = {
  initialPerClass: 2, validationSize: 1000, steps: 100, acquireSize: 10, poolSubset: 5000, testSubset: 3000,
  T: 64, consistentMc: false,
  train: { epochs: 400, batchSize: 0, optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, patience: 0, loss: "softmax-cross-entropy" },
};

export const GAL_PROFILES: Record<string, GalExperimentConfig> = {
  paper: {
    profile: "paper", reduced: false, model: "lenet5", strategies: [...GAL_STRATEGIES], seeds: [1, 2, 3],
    description: "Pilz's protocol: LeNet-5, 100 steps x 10, T=64, 400 epochs full batch AdamW, pool subset 5,000, test subset 3,000, seeds 1-3",
    run: PAPER_RUN, errorThresholds: [0.1, 0.05],
  },
  "gal-original": {
    profile: "gal-original", reduced: false, model: "keras-cnn", strategies: [...GAL_STRATEGIES], seeds: [1, 2, 3],
    description: "Gal et al.'s settings: Keras CNN, T=20, 100 steps x 10, 50 epochs of batch 128 (AdamW), pool subset 2,000, full test set",
    run: { ...PAPER_RUN, T: 20, poolSubset: 2000, testSubset: 0, train: { ...PAPER_RUN.train, epochs: 50, batchSize: 128 } },
    errorThresholds: [0.1, 0.05],
  },
  smoke: {
    profile: "smoke", reduced: true, model: "lenet5", strategies: [...GAL_STRATEGIES], seeds: [1, 2],
    description: "REDUCED smoke configuration: LeNet-5, 5 steps x 10, T=8, 50 epochs full batch, validation 500, pool subset 500, test subset 500, seeds 1-2",
    run: { ...PAPER_RUN, validationSize: 500, steps: 5, poolSubset: 500, testSubset: 500, T: 8, train: { ...PAPER_RUN.train, epochs: 50 } },
    errorThresholds: [0.1, 0.05, 0.3, 0.25],
  },
};

const RUN_SCHEMA: Schema = {
  initialPerClass: "positive integer", validationSize: "positive integer", steps: "non-negative integer",
  acquireSize: "positive integer", poolSubset: "non-negative integer", testSubset: "non-negative integer",
  T: "positive integer", consistentMc: "boolean",
  train: { epochs: "positive integer", batchSize: "non-negative integer", patience: "non-negative integer", loss: ["softmax-cross-entropy", "mse"], optimizer: "object" },
};
const EXPERIMENT_SCHEMA: Schema = {
  profile: "string", reduced: "boolean", description: "string", model: ["lenet5", "keras-cnn"],
  strategies: "string[]", seeds: "number[]", run: RUN_SCHEMA, errorThresholds: "number[]",
};

export function galProfile(name: string): GalExperimentConfig {
  const p = GAL_PROFILES[name];
  if (!p) throw new Error(`gal-mnist: unknown profile '${name}' (expected one of ${Object.keys(GAL_PROFILES).join(", ")})`);
  return structuredClone(p);
}

/** The independent runs of the sweep, in a fixed order (the unit of sharding). */
export function galRunConfigs(cfg: GalExperimentConfig): AlRunConfig[] {
  validateConfig(cfg, EXPERIMENT_SCHEMA, "gal-mnist config");
  for (const s of cfg.strategies) strategyByName(s);
  return cfg.seeds.flatMap((seed) => cfg.strategies.map((strategy) => ({
    experiment: "gal-mnist", dataset: "mnist", model: cfg.model, strategy, seed, ...cfg.run,
  })));
}

/** The sweep of a profile: every (seed, strategy) run on MNIST. */
export function galSweep(cfg: GalExperimentConfig): SweepDefinition {
  return {
    experiment: "gal-mnist", profile: cfg.profile, runs: galRunConfigs(cfg),
    dataset: () => loadMnist(), model: (name) => MODEL_FACTORIES[name as keyof typeof MODEL_FACTORIES],
  };
}

/** Runs every (missing) run of this shard; returns all finished results found in the store. */
export function runGalSweep(cfg: GalExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(galSweep(cfg), opts);
}

/** Finished results of this configuration, and the runs still missing. */
export function collectResults(cfg: GalExperimentConfig, store?: RunStore): { results: RunResult[]; missing: AlRunConfig[] } {
  return collectRuns(galSweep(cfg), store);
}


function byStrategy(results: RunResult[]): Map<string, RunResult[]> {
  return groupRuns(results, (r) => r.config.strategy);
}

/** Pilz Tables 2-3 (Average-Step ours / Gal) at 10% and 5% error. */
export const PAPER_SAMPLES: Record<string, Record<string, { pilz: number; gal: number }>> = {
  "0.1": { "max-entropy": { pilz: 130, gal: 165 }, bald: { pilz: 130, gal: 145 }, "variation-ratio": { pilz: 110, gal: 120 }, "mean-std": { pilz: 120, gal: 230 }, random: { pilz: 200, gal: 255 } },
  "0.05": { "max-entropy": { pilz: 270, gal: 355 }, bald: { pilz: 270, gal: 335 }, "variation-ratio": { pilz: 240, gal: 295 }, "mean-std": { pilz: 250, gal: 695 }, random: { pilz: 610, gal: 835 } },
};
/** Pilz's Step-Average means (Tables 2-3). */
export const PAPER_STEP_AVERAGE: Record<string, Record<string, string>> = {
  "0.1": { "max-entropy": "133.3 ± 4.7", bald: "120.0 ± 16.3", "variation-ratio": "110.0 ± 8.2", "mean-std": "123.3 ± 4.7", random: "193.3 ± 9.4" },
  "0.05": { "max-entropy": "253.3 ± 26.2", bald: "253.3 ± 12.5", "variation-ratio": "193.3 ± 12.5", "mean-std": "256.7 ± 12.5", random: "480.0 ± 57.2" },
};

/** Samples-to-reach table (absolute and relative to Random) with the paper's numbers beside ours. */
export function samplesTable(cfg: GalExperimentConfig, results: RunResult[], errorThreshold: number): Row[] {
  const groups = byStrategy(results);
  const target = 1 - errorThreshold;
  const rand = groups.get("random");
  const randSA = rand ? stepAverage(rand.map(curveOf), target).mean : NaN;
  const randAS = rand ? averageStep(rand.map(curveOf), target) : NaN;
  const paper = PAPER_SAMPLES[String(errorThreshold)];
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const curves = groups.get(s)!.map(curveOf);
    const sa = stepAverage(curves, target);
    const as = averageStep(curves, target);
    const row: Row = {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "Runs (ours)": `[${sa.runs.map((r) => formatNumber(r)).join(", ")}]`,
      "Step-Average (ours)": `${formatNumber(sa.mean)} ± ${formatNumber(sa.std)}`,
      "Average-Step (ours)": formatNumber(as),
      "Relative SA (ours)": formatNumber(sa.mean / randSA, 2),
      "Relative AS (ours)": formatNumber(as / randAS, 2),
    };
    if (paper) {
      row["Step-Average (Pilz)"] = PAPER_STEP_AVERAGE[String(errorThreshold)][s] ?? "–";
      row["Average-Step (Pilz)"] = paper[s]?.pilz ?? null;
      row["Gal et al."] = paper[s]?.gal ?? null;
    }
    return row;
  });
}

function bandSeries(cfg: GalExperimentConfig, results: RunResult[], metric: (r: RunResult) => number[]) {
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => band(GAL_LABELS[s] ?? s, groups.get(s)!, metric));
}

function titleSuffix(cfg: GalExperimentConfig): string {
  return profileLabel(cfg.profile, cfg.reduced);
}

export function galFigures(cfg: GalExperimentConfig, results: RunResult[]): Record<string, PlotlyFigure> {
  const acc = curvesWithBands(`Test accuracy vs acquired samples (mean ± std over seeds)${titleSuffix(cfg)}`,
    "acquired samples", "test accuracy", bandSeries(cfg, results, (r) => r.records.map((s) => s.testAccuracy)));
  const mi = curvesWithBands(`Mean test mutual information${titleSuffix(cfg)}`,
    "acquired samples", "mean BALD on test points (nats)", bandSeries(cfg, results, (r) => r.records.map((s) => s.testMeanMI)));
  const groups = byStrategy(results);
  const rand = groups.get("random");
  const strategies = cfg.strategies.filter((s) => groups.has(s));
  const relative = cfg.errorThresholds.slice(0, 2).map((e) => {
    const target = 1 - e;
    const randAS = rand ? averageStep(rand.map(curveOf), target) : NaN;
    const randSA = rand ? stepAverage(rand.map(curveOf), target) : null;
    return [
      { name: `Average-Step, ${e * 100}% error`, categories: strategies.map((s) => GAL_LABELS[s] ?? s), values: strategies.map((s) => averageStep(groups.get(s)!.map(curveOf), target) / randAS) },
      { name: `Step-Average, ${e * 100}% error`, categories: strategies.map((s) => GAL_LABELS[s] ?? s),
        values: strategies.map((s) => stepAverage(groups.get(s)!.map(curveOf), target).mean / (randSA?.mean ?? NaN)),
        errors: strategies.map((s) => stepAverage(groups.get(s)!.map(curveOf), target).std / (randSA?.mean ?? NaN)) },
    ];
  }).flat();
  const rel = groupedBars(`Samples to reach the error threshold, relative to Random (missing bar: never reached)${titleSuffix(cfg)}`, "relative to Random", relative);
  return { "gal-mnist-accuracy": acc, "gal-mnist-mutual-information": mi, "gal-mnist-relative-to-random": rel };
}

/** Mean ± std of the final test accuracy per strategy (Gal reports final errors after 1,000 acquisitions). */
export function finalAccuracyTable(cfg: GalExperimentConfig, results: RunResult[]): Row[] {
  const galFinalError: Record<string, number> = { random: 4.66, bald: 1.8, "max-entropy": 1.74, "variation-ratio": 1.64 };
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const finals = groups.get(s)!.map((r) => r.records[r.records.length - 1]);
    const errs = finals.map((f) => 100 * (1 - f.testAccuracy));
    return {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "acquired": finals[0].labelled - groups.get(s)![0].records[0].labelled,
      "final test error % (ours)": `${formatNumber(mean(errs), 2)} ± ${formatNumber(std(errs), 2)}`,
      "Gal et al. error % after 1,000": galFinalError[s] ?? null,
    };
  });
}
