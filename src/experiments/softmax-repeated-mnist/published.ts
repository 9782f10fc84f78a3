// Paper 002's published numbers: Table 1 (quantiles in training-set size) and the loader of the draft's
// per-step runs (published/stochastic_002_draft_table1_runs.json).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../data/files";
import { Curve } from "../../report/metrics";

/** Paper 002 Table 1: 25/50/75% quantiles of the training-set size (initial 20 included) to reach 90% / 95% accuracy. */
export const PAPER_TABLE1: Record<string, Record<number, [string, string] | null>> = {
  bald: { 5: ["172.5/200/212.5", "∞"], 10: ["217.5/230/270", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  epig: { 5: ["170/210/220", "∞"], 10: ["220/220/240", "∞"], 20: ["280/280/∞", "∞"], 50: ["∞", "∞"] },
  batchbald: { 5: ["108.75/115/117.5", "260/282.5/∞"], 10: ["130/140/160", "300/∞/∞"], 20: null, 50: null },
  "batch-epig": { 5: ["90/110/110", "205/215/240"], 10: ["110/120/120", "260/270/270"], 20: null, 50: null },
  "softmax-bald": { 5: ["102.5/105/108.75", "248.75/262.5/273.75"], 10: ["110/110/130", "240/260/260"], 20: ["120/120/140", "260/280/300"], 50: ["170/170/220", "320/320/∞"] },
  "softmax-epig": { 5: ["100/110/110", "225/230/230"], 10: ["110/110/110", "270/280/290"], 20: ["140/140/140", "∞"], 50: ["170/170/170", "∞"] },
};

/** The paper's names of its Table 1 rows. */
export const PAPER_ROW_LABELS: Record<string, string> = {
  bald: "BALD", epig: "EPIG-BALD", batchbald: "BatchBALD", "batch-epig": "BatchEPIG-BALD", "softmax-bald": "SoftmaxBALD", "softmax-epig": "SoftmaxEPIG-BALD",
};

/** Rows of the paper's Table 1 no strategy here implements. */
export const NOT_IMPLEMENTED_ROWS: Record<string, string> = { "batch-epig": "not implemented (BatchEPIG-BALD)" };

/** The paper's row for an arm: its paperRow, else its strategy name without parameters ("batchbald(M=1000)" -> "batchbald"). */
export function paperRowName(arm: { strategy: string; paperRow?: string } | string): string {
  if (typeof arm !== "string" && arm.paperRow) return arm.paperRow;
  return (typeof arm === "string" ? arm : arm.strategy).replace(/\(.*\)$/, "");
}

/** The authors' runs behind the draft's Table 1 (published/stochastic_002_draft_table1_runs.json; see its README). */
export interface PublishedSoftmaxRun {
  row: string;
  code: string;
  acquisition_size: number | null;
  temperature_exponent: number | null;
  seed: number;
  train_size: number[];
  test_acc: number[];
}

export function loadSoftmaxPublished(path = join(PROJECT_ROOT, "published", "stochastic_002_draft_table1_runs.json")): PublishedSoftmaxRun[] {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { runs: PublishedSoftmaxRun[] }).runs;
  } catch (e) {
    throw new Error(`Cannot read the authors' published runs ${path}: ${(e as Error).message}`);
  }
}

/** The authors' curves of one Table 1 row at one size (random runs serve every size, as in their notebook). */
export function publishedCurves(runs: readonly PublishedSoftmaxRun[], row: string, b: number): Curve[] {
  return runs.filter((r) => r.row === row && (row === "random" || r.acquisition_size === b)).map((r) => ({ budget: r.train_size, accuracy: r.test_acc }));
}
