// From finished runs to what reports need: learning curves, groups of runs, mean ± std bands.
import { BandSeries } from "../figures/plotly";
import { RunResult } from "../loop/active-learning";
import { Curve, mean, std } from "./metrics";

/** Test accuracy against samples acquired beyond the initial set. */
export function curveOf(r: RunResult): Curve {
  const initial = r.records[0].labelled;
  return { acquired: r.records.map((s) => s.labelled - initial), accuracy: r.records.map((s) => s.testAccuracy) };
}

/** Runs grouped by a key, in first-seen order. */
export function groupRuns(results: readonly RunResult[], key: (r: RunResult) => string): Map<string, RunResult[]> {
  const m = new Map<string, RunResult[]>();
  for (const r of results) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** Mean ± std over the runs of a group of a per-step metric (runs share the budget grid). */
export function band(name: string, runs: readonly RunResult[], metric: (r: RunResult) => number[]): BandSeries {
  const x = curveOf(runs[0]).acquired;
  const ys = runs.map(metric);
  return { name: `${name} (n=${runs.length})`, x, mean: x.map((_, i) => mean(ys.map((y) => y[i]))), spread: x.map((_, i) => std(ys.map((y) => y[i]))) };
}

export const testAccuracyOf = (r: RunResult): number[] => r.records.map((s) => s.testAccuracy);

/** Appended to titles and captions: which profile, and whether it is a reduced configuration. */
export function profileLabel(profile: string, reduced: boolean): string {
  return reduced ? ` — ${profile} profile (REDUCED configuration)` : ` — ${profile} profile`;
}
