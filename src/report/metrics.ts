// Reporting of learning curves: samples needed to reach an accuracy (Pilz's Step-Average and
// Average-Step), quantiles (paper 002), and the area under the budget curve (AUBC, survey 001).

/** One run's learning curve: acquired samples (beyond the initial set) and test accuracy. */
export interface Curve {
  acquired: number[];
  accuracy: number[];
}

function checkCurve(c: Curve): void {
  if (c.acquired.length !== c.accuracy.length) throw new Error(`curve has ${c.acquired.length} budgets but ${c.accuracy.length} accuracies`);
}

/** Acquired samples at the first point whose accuracy reaches `target`; Infinity when never. */
export function samplesToReach(curve: Curve, target: number): number {
  checkCurve(curve);
  const i = curve.accuracy.findIndex((a) => a >= target);
  return i < 0 ? Infinity : curve.acquired[i];
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
export function stepAverage(curves: readonly Curve[], target: number): StepAverage {
  const runs = curves.map((c) => samplesToReach(c, target)).sort((a, b) => a - b);
  return { runs, mean: mean(runs), std: runs.some((r) => !Number.isFinite(r)) ? NaN : std(runs) };
}

/** Point-wise mean of curves on the same budget grid. */
export function averageCurve(curves: readonly Curve[]): Curve {
  if (curves.length === 0) throw new Error("averageCurve: no curves");
  const grid = curves[0].acquired;
  for (const c of curves) {
    checkCurve(c);
    if (c.acquired.length !== grid.length || c.acquired.some((a, i) => a !== grid[i])) {
      throw new Error("averageCurve: curves are on different budget grids");
    }
  }
  return { acquired: grid.slice(), accuracy: grid.map((_, i) => mean(curves.map((c) => c.accuracy[i]))) };
}

/** Average-Step: average the accuracy curves, then find the samples needed by the mean curve. */
export function averageStep(curves: readonly Curve[], target: number): number {
  return samplesToReach(averageCurve(curves), target);
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

/** Area under the budget curve by the trapezoid rule, normalised by the budget range. */
export function aubc(curve: Curve): number {
  checkCurve(curve);
  const { acquired: x, accuracy: y } = curve;
  if (x.length < 2) return y[0] ?? NaN;
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((y[i] + y[i - 1]) / 2) * (x[i] - x[i - 1]);
  return area / (x[x.length - 1] - x[0]);
}
