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
      theirsN: their.length, theirsMin: lo, theirsMean: mean(their), theirsMax: hi, position: positionOf(mean(mine), lo, hi),
    };
  });
}

/** "inside", or "above their max by 9.6 points" (accuracies as fractions, printed in percentage points). */
export function describePosition(p: SpreadPoint): string {
  if (p.position === "inside") return "inside";
  const gap = p.position === "above" ? p.oursMean - p.theirsMax : p.theirsMin - p.oursMean;
  return `${p.position} their ${p.position === "above" ? "max" : "min"} by ${(gap * 100).toFixed(1)} points`;
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
 * the mean gap between our mean and theirs over the compared budgets.
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
  };
}
