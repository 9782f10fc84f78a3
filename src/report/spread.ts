// Our runs against the authors' published spread, budget by budget: where our mean lies relative to the
// range of their runs (min..max) and how many of our runs fall outside it. The first question when a curve
// of ours differs from theirs: is it outside what their own seeds produced, and where (which budgets)?
import { ACCURACY_TOLERANCE, Curve, mean } from "./metrics";

export type SpreadPosition = "inside" | "above" | "below";

export interface SpreadPoint {
  budget: number;
  /** Our runs' accuracies at this budget, in run order. */
  ours: number[];
  oursMean: number;
  /** Our runs outside [theirsMin, theirsMax] (tolerance ACCURACY_TOLERANCE). */
  oursOutside: number;
  theirsN: number;
  /** Their runs' accuracies at this budget, in run order. */
  theirs: number[];
  theirsMin: number;
  theirsMean: number;
  theirsMax: number;
  /** Where our mean lies against their range. */
  position: SpreadPosition;
}

function accuracyAt(c: Curve, budget: number): number | undefined {
  const i = c.budget.indexOf(budget);
  return i < 0 ? undefined : c.accuracy[i];
}

function positionOf(x: number, lo: number, hi: number): SpreadPosition {
  return x > hi + ACCURACY_TOLERANCE ? "above" : x < lo - ACCURACY_TOLERANCE ? "below" : "inside";
}

/**
 * Every budget (same unit on both sides) where each of our curves and each of theirs has a point, in
 * increasing order. Empty when either side has no curves.
 */
export function againstPublishedSpread(ours: readonly Curve[], theirs: readonly Curve[]): SpreadPoint[] {
  if (ours.length === 0 || theirs.length === 0) return [];
  for (const c of [...ours, ...theirs]) if (c.budget.length !== c.accuracy.length) throw new Error(`curve has ${c.budget.length} budgets but ${c.accuracy.length} accuracies`);
  const budgets = [...new Set(ours[0].budget)].sort((a, b) => a - b)
    .filter((b) => [...ours, ...theirs].every((c) => accuracyAt(c, b) !== undefined));
  return budgets.map((budget) => {
    const mine = ours.map((c) => accuracyAt(c, budget)!);
    const their = theirs.map((c) => accuracyAt(c, budget)!);
    const lo = Math.min(...their);
    const hi = Math.max(...their);
    return {
      budget, ours: mine, oursMean: mean(mine), oursOutside: mine.filter((a) => positionOf(a, lo, hi) !== "inside").length,
      theirsN: their.length, theirs: their, theirsMin: lo, theirsMean: mean(their), theirsMax: hi, position: positionOf(mean(mine), lo, hi),
    };
  });
}

/** "inside", or "above their max by 9.6 points" (accuracies as fractions, printed in percentage points; a gap under 0.1 with two decimals). */
export function describePosition(p: SpreadPoint): string {
  if (p.position === "inside") return "inside";
  const gap = (p.position === "above" ? p.oursMean - p.theirsMax : p.theirsMin - p.oursMean) * 100;
  return `${p.position} their ${p.position === "above" ? "max" : "min"} by ${gap.toFixed(gap < 0.1 ? 2 : 1)} points`;
}

/** Exact enumeration up to this many splits; beyond it, this many splits drawn by a fixed generator. */
const EXACT_SPLITS = 200_000;
const SAMPLED_SPLITS = 20_000;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * Two-sided permutation test of a difference in means: the share of the ways to split the pooled values
 * into groups of a's and b's sizes whose |mean difference| is at least the observed one (the observed
 * split counts). Exact when there are at most 200,000 splits, else 20,000 drawn by a fixed generator.
 */
export function permutationP(a: readonly number[], b: readonly number[]): { p: number; splits: number; exact: boolean } {
  if (a.length === 0 || b.length === 0) throw new Error(`permutationP: needs values on both sides (got ${a.length} and ${b.length})`);
  const all = [...a, ...b];
  const total = all.reduce((s, v) => s + v, 0);
  const k = a.length;
  const gap = (sumA: number) => Math.abs(sumA / k - (total - sumA) / b.length);
  const observed = gap(a.reduce((s, v) => s + v, 0)) - 1e-12;
  const count = binomial(all.length, k);
  let atLeast = 0;
  if (count <= EXACT_SPLITS) {
    const walk = (start: number, left: number, sum: number): void => {
      if (left === 0) { if (gap(sum) >= observed) atLeast++; return; }
      for (let i = start; i <= all.length - left; i++) walk(i + 1, left - 1, sum + all[i]);
    };
    walk(0, k, 0);
    return { p: atLeast / count, splits: count, exact: true };
  }
  let state = 0x9e3779b9; // fixed: the same p on every call
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const idx = all.map((_, i) => i);
  for (let t = 0; t < SAMPLED_SPLITS; t++) {
    let sum = 0;
    for (let i = 0; i < k; i++) { const j = i + Math.floor(next() * (all.length - i)); [idx[i], idx[j]] = [idx[j], idx[i]]; sum += all[idx[i]]; }
    if (gap(sum) >= observed) atLeast++;
  }
  return { p: (atLeast + 1) / (SAMPLED_SPLITS + 1), splits: SAMPLED_SPLITS, exact: false };
}

/** Budgets as ranges of neighbours on the compared grid: [70, 120, 170, 270] on a grid of 50s -> "70-170, 270". */
function budgetRanges(budgets: readonly number[], grid: readonly number[]): string {
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= grid.length; i++) {
    const inSet = i < grid.length && budgets.includes(grid[i]);
    if (inSet && start < 0) start = i;
    if (!inSet && start >= 0) {
      parts.push(start === i - 1 ? String(grid[start]) : `${grid[start]}-${grid[i - 1]}`);
      start = -1;
    }
  }
  return parts.join(", ");
}

/**
 * One table row's cells for a whole curve: at how many compared budgets our mean lies inside their range,
 * where it lies above / below (as budget ranges), how many of our (run, budget) points fall outside, and
 * the mean gap between our mean and theirs over the compared budgets, and how often splitting the runs at
 * random gives a gap as large (each run's mean over the compared budgets; permutationP).
 */
export function spreadSummaryCells(points: readonly SpreadPoint[]): Record<string, string> {
  const grid = points.map((p) => p.budget);
  const at = (pos: SpreadPosition) => points.filter((p) => p.position === pos).map((p) => p.budget);
  const runPoints = points.reduce((n, p) => n + p.ours.length, 0);
  return {
    "sizes compared": points.length ? `${points.length} (${grid[0]}-${grid[grid.length - 1]})` : "0",
    "our mean inside their range": `${at("inside").length} of ${points.length}`,
    "our mean above their max at": budgetRanges(at("above"), grid) || "none",
    "our mean below their min at": budgetRanges(at("below"), grid) || "none",
    "our run-points outside their range": `${points.reduce((n, p) => n + p.oursOutside, 0)} of ${runPoints}`,
    // Scattered above and below with a mean gap near 0 is noise; one sign throughout is a protocol difference to look for.
    "mean gap, ours - their mean (points)": points.length ? (mean(points.map((p) => p.oursMean - p.theirsMean)) * 100).toFixed(2) : "",
    "gap as large when runs are split at random (two-sided p)": points.length ? describeP(permutationP(runMeans(points, "ours"), runMeans(points, "theirs"))) : "",
  };
}

/** Each run's mean accuracy over the compared budgets. */
function runMeans(points: readonly SpreadPoint[], side: "ours" | "theirs"): number[] {
  return points[0][side].map((_, i) => mean(points.map((p) => p[side][i])));
}

function describeP(t: { p: number; splits: number; exact: boolean }): string {
  return `${t.p < 0.001 ? "< 0.001" : t.p.toFixed(3)} (${t.exact ? `exact, ${t.splits} splits` : `${t.splits} random splits`})`;
}
