// Reporting of learning curves: samples needed to reach an accuracy (Pilz's Step-Average and
// Average-Step), quantiles (paper 002), and the area under the budget curve (AUBC, survey 001).

/**
 * The unit of a budget axis. Papers differ: Pilz's tables and paper 002's Table 1 count the
 * labelled training-set size (initial set included); Gal's Table 1 and DEIMOS count acquisitions.
 */
export type BudgetUnit = "acquired" | "training-set";

export const BUDGET_UNIT_LABEL: Record<BudgetUnit, string> = {
  acquired: "acquired samples",
  "training-set": "training-set size (initial set included)",
};

/** One run's learning curve: budget (in some unit) and test accuracy. */
export interface Curve {
  budget: number[];
  accuracy: number[];
}

/**
 * When an accuracy counts as having reached a target. "at-least": accuracy >= target (error <=
 * threshold); "above": accuracy > target (Pilz's code: `argmax(acc > threshold)`).
 */
export type ReachRule = "at-least" | "above";

/**
 * Accuracies are ratios of counts, and a mean of ratios is not exact in floating point
 * ((0.95 + 0.95 + 0.95) / 3 = 0.9499999999999998): compare with this tolerance, far below
 * one test point (1 / 10,000) divided by any number of runs.
 */
export const ACCURACY_TOLERANCE = 1e-9;

export function reaches(accuracy: number, target: number, rule: ReachRule = "at-least"): boolean {
  return rule === "above" ? accuracy > target + ACCURACY_TOLERANCE : accuracy >= target - ACCURACY_TOLERANCE;
}

function checkCurve(c: Curve): void {
  if (c.budget.length !== c.accuracy.length) throw new Error(`curve has ${c.budget.length} budgets but ${c.accuracy.length} accuracies`);
}

/** Budget at the first point whose accuracy reaches `target`; Infinity when never. */
export function samplesToReach(curve: Curve, target: number, rule: ReachRule = "at-least"): number {
  checkCurve(curve);
  const i = curve.accuracy.findIndex((a) => reaches(a, target, rule));
  return i < 0 ? Infinity : curve.budget[i];
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Population standard deviation (ddof = 0), as in Pilz's tables. */
export function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

export interface StepAverage {
  runs: number[];
  mean: number;
  std: number;
}

/** Step-Average: the samples needed by each run, then their mean and std (runs sorted). */
export function stepAverage(curves: readonly Curve[], target: number, rule: ReachRule = "at-least"): StepAverage {
  const runs = curves.map((c) => samplesToReach(c, target, rule)).sort((a, b) => a - b);
  return { runs, mean: mean(runs), std: runs.some((r) => !Number.isFinite(r)) ? NaN : std(runs) };
}

/** Point-wise mean of curves on the same budget grid. */
export function averageCurve(curves: readonly Curve[]): Curve {
  if (curves.length === 0) throw new Error("averageCurve: no curves");
  const grid = curves[0].budget;
  for (const c of curves) {
    checkCurve(c);
    if (c.budget.length !== grid.length || c.budget.some((a, i) => a !== grid[i])) {
      throw new Error("averageCurve: curves are on different budget grids");
    }
  }
  return { budget: grid.slice(), accuracy: grid.map((_, i) => mean(curves.map((c) => c.accuracy[i]))) };
}

/** Average-Step: average the accuracy curves, then find the samples needed by the mean curve. */
export function averageStep(curves: readonly Curve[], target: number, rule: ReachRule = "at-least"): number {
  return samplesToReach(averageCurve(curves), target, rule);
}

/** Linear-interpolation quantile (numpy's default), Infinity-aware. */
export function quantile(xs: readonly number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return s[lo];
  if (!Number.isFinite(s[hi])) return Infinity;
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * AUBC as DeepAL+ computes it (`utils.py:get_aubc` @ 93c2884): one accuracy per round (initial model
 * first), trapezoids of width `bsize`; when the quota is not a multiple of bsize the last trapezoid is
 * weighted by `quota % bsize` instead; the sum is divided by the quota and rounded to 3 decimals
 * (Python's round; JS's toFixed differs only on exact binary ties).
 */
export function aubcToolkit(quota: number, bsize: number, accuracies: readonly number[]): number {
  if (!(Number.isInteger(quota) && quota > 0 && Number.isInteger(bsize) && bsize > 0)) {
    throw new Error(`aubcToolkit: quota and bsize must be positive integers, got ${quota} and ${bsize}`);
  }
  if (accuracies.length < 2) throw new Error(`aubcToolkit: needs at least 2 accuracies (initial + one round), got ${accuracies.length}`);
  const a = accuracies;
  let sum = 0;
  if (quota % bsize === 0) {
    for (let i = 0; i < a.length - 1; i++) sum += ((a[i + 1] + a[i]) * bsize) / 2;
  } else {
    for (let i = 0; i < a.length - 2; i++) sum += ((a[i + 1] + a[i]) * bsize) / 2;
    sum += ((a[a.length - 1] + a[a.length - 2]) * (quota % bsize)) / 2;
  }
  return Number((sum / quota).toFixed(3));
}

/** Area under the budget curve by the trapezoid rule, normalised by the budget range. */
export function aubc(curve: Curve): number {
  checkCurve(curve);
  const { budget: x, accuracy: y } = curve;
  if (x.length < 2) return y[0] ?? NaN;
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((y[i] + y[i - 1]) / 2) * (x[i] - x[i - 1]);
  return area / (x[x.length - 1] - x[0]);
}
