// Gal / Pilz published numbers: Pilz's Tables 2-3, Gal's Table 1 and final errors, and Pilz's per-step runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../data/files";

/** Pilz Tables 2-3, Average-Step (training-set size, initial 20 included), and Gal's Table 1 (acquired images). */
export const PAPER_SAMPLES: Record<string, Record<string, { pilz: number; gal: number }>> = {
  "0.1": { "max-entropy": { pilz: 130, gal: 165 }, bald: { pilz: 130, gal: 145 }, "variation-ratio": { pilz: 110, gal: 120 }, "mean-std": { pilz: 120, gal: 230 }, random: { pilz: 200, gal: 255 } },
  "0.05": { "max-entropy": { pilz: 270, gal: 355 }, bald: { pilz: 270, gal: 335 }, "variation-ratio": { pilz: 240, gal: 295 }, "mean-std": { pilz: 250, gal: 695 }, random: { pilz: 610, gal: 835 } },
};

/** Pilz's Step-Average means ± std (Tables 2-3, training-set size). */
export const PAPER_STEP_AVERAGE: Record<string, Record<string, string>> = {
  "0.1": { "max-entropy": "133.3 ± 4.7", bald: "120.0 ± 16.3", "variation-ratio": "110.0 ± 8.2", "mean-std": "123.3 ± 4.7", random: "193.3 ± 9.4" },
  "0.05": { "max-entropy": "253.3 ± 26.2", bald: "253.3 ± 12.5", "variation-ratio": "193.3 ± 12.5", "mean-std": "256.7 ± 12.5", random: "480.0 ± 57.2" },
};

/** Gal et al.: test error (%) after 1,000 acquired images. */
export const GAL_FINAL_ERROR: Record<string, number> = { random: 4.66, bald: 1.8, "max-entropy": 1.74, "variation-ratio": 1.64 };

/** Pilz's published per-step run (published/pilz_003_mnist.json, copied from ../shared/reference with its provenance). */
export interface PilzPublished {
  seeds: number[];
  train_size: number[];
  test_acc: Record<string, number[][]>;
  test_mutual_information: Record<string, number[][]>;
}

/** Our strategy names -> Pilz's function names. */
export const PILZ_FUNCTION: Record<string, string> = {
  "max-entropy": "predictive_entropy", bald: "mutual_information", "variation-ratio": "variation_ratios", "mean-std": "mean_standard_deviation", random: "random",
};

export function loadPilzPublished(path = join(PROJECT_ROOT, "published", "pilz_003_mnist.json")): PilzPublished {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PilzPublished;
  } catch (e) {
    throw new Error(`Cannot read Pilz's published results ${path}: ${(e as Error).message}`);
  }
}

/** Pilz's per-run curves of one function, in training-set size. */
export function pilzCurves(pub: PilzPublished, strategy: string) {
  const runs = pub.test_acc[PILZ_FUNCTION[strategy]];
  if (!runs) throw new Error(`Pilz's published results have no function for '${strategy}'`);
  return runs.map((acc) => ({ budget: pub.train_size.slice(0, acc.length), accuracy: acc }));
}
