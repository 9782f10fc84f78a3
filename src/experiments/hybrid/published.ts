// Paper 000's published numbers: Table 1, the appendix tables of every hybrid, and the loader of the
// authors' per-query runs (published/hybrid_000_dbalhq.json).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CombinationName } from "../../acquisition/hybrid";
import { PROJECT_ROOT } from "../../data/files";

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
