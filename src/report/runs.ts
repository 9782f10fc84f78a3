// From finished runs to what reports need: learning curves, groups of runs, mean ± std bands.
import { BandSeries } from "../figures/plotly";
import { RunResult } from "../loop/active-learning";
import { BudgetUnit, Curve, mean, std } from "./metrics";

/** Budget of every step of a run: samples acquired beyond the initial set, or the labelled training-set size. */
export function budgetsOf(r: RunResult, unit: BudgetUnit = "acquired"): number[] {
  const initial = r.records[0].labelled;
  return r.records.map((s) => (unit === "acquired" ? s.labelled - initial : s.labelled));
}

/** Test accuracy against the budget in `unit`. */
export function curveOf(r: RunResult, unit: BudgetUnit = "acquired"): Curve {
  return { budget: budgetsOf(r, unit), accuracy: r.records.map((s) => s.testAccuracy) };
}

/** Runs grouped by a key, in first-seen order. */
export function groupRuns(results: readonly RunResult[], key: (r: RunResult) => string): Map<string, RunResult[]> {
  const m = new Map<string, RunResult[]>();
  for (const r of results) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** Mean ± std over the runs of a group of a per-step metric (runs share the budget grid). */
export function band(name: string, runs: readonly RunResult[], metric: (r: RunResult) => number[], unit: BudgetUnit = "acquired"): BandSeries {
  const x = budgetsOf(runs[0], unit);
  const ys = runs.map(metric);
  return { name: `${name} (n=${runs.length})`, x, mean: x.map((_, i) => mean(ys.map((y) => y[i]))), spread: x.map((_, i) => std(ys.map((y) => y[i]))) };
}

export const testAccuracyOf = (r: RunResult): number[] => r.records.map((s) => s.testAccuracy);

/** A figure's subtitle: which profile, and whether it is a reduced configuration (titles stay short). */
export function profileSubtitle(profile: string, reduced: boolean): string {
  return reduced ? `${profile} profile — REDUCED configuration, not comparable to the paper` : `${profile} profile`;
}

/** Appended to titles and captions: which profile, and whether it is a reduced configuration. */
export function profileLabel(profile: string, reduced: boolean): string {
  return reduced ? ` — ${profile} profile (REDUCED configuration)` : ` — ${profile} profile`;
}
