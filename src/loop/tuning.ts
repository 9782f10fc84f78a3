// Hyperparameters tuned on the validation set before the first acquisition, as DEIMOS' Appendix E
// describes: the dropout rate p "calibrated" by the Pearson R^2 between the observed squared error
// and the MC-dropout predicted variance on the validation set, and the L2 weight C (lambda = C / N)
// "selected based on validation set accuracy resulting from model training on the initial training
// set". The paper gives neither the grids nor how ties are broken; the rules below are ours:
//   1. p: every rate list of `dropout`, trained with the profile's C; the highest R^2 among the
//      lists whose validation accuracy is within one validation image of the best accuracy (R^2
//      signed by the correlation: uncertainty high where the errors are low counts against).
//   2. C: every value of `c`, trained with the chosen p; the highest validation accuracy, ties
//      broken by the lower validation NLL (with 10 validation images accuracy ties are common).
// Accuracy, NLL and R^2 are read from the mean of T MC-dropout passes over the validation set.
import { McProbs, meanProbs } from "../acquisition/types";

export interface TuningConfig {
  /** Dropout rate lists to calibrate, each replacing modelOptions.dropout (same count as the network's dropout layers). */
  dropout: number[][];
  /** L2 weights C to select from (lambda = C / N on the penalised layers; needs train.l2). */
  c: number[];
}

export interface TuningTrial {
  stage: "dropout" | "c";
  dropout: number[];
  c: number;
  valAccuracy: number;
  valNll: number;
  /** Pearson R^2 of squared error vs predicted variance, negative for a negative correlation (null: undefined, e.g. a constant error). */
  r2: number | null;
}

export interface TuningResult {
  dropout: number[];
  c: number;
  trials: TuningTrial[];
}

/** Pearson R^2 of two equally long series; null when either is constant (or shorter than 2). */
export function pearsonR2(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const r = pearsonR(x, y);
  return r === null ? null : r * r;
}

/** Pearson correlation of two equally long series; null when either is constant (or shorter than 2). */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearsonR: series of ${n} and ${y.length} values`);
  if (n < 2) return null;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  // Relative tolerance: a series equal up to rounding is constant.
  if (sxx <= 1e-24 * Math.max(1, mx * mx) * n || syy <= 1e-24 * Math.max(1, my * my) * n) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Validation quality of MC probabilities [T][N][C] against labels: accuracy and NLL of the mean
 * prediction, and R^2 between each point's squared error sum_c (pbar_c - onehot_c)^2 and its
 * predicted variance sum_c var_t(p_tc), signed: a negative correlation (uncertain where right,
 * sure where wrong) gives -R^2, worse than none.
 */
export function validationQuality(p: McProbs, y: ArrayLike<number>): { accuracy: number; nll: number; r2: number | null } {
  const { T, N, C, data } = p;
  if (y.length !== N) throw new Error(`validationQuality: ${N} predictions, ${y.length} labels`);
  const pbar = meanProbs(p);
  const sqErr = new Float64Array(N);
  const variance = new Float64Array(N);
  let correct = 0, nll = 0;
  for (let n = 0; n < N; n++) {
    let arg = 0;
    for (let c = 0; c < C; c++) {
      const m = pbar[n * C + c];
      if (m > pbar[n * C + arg]) arg = c;
      sqErr[n] += (m - (c === y[n] ? 1 : 0)) ** 2;
      let v = 0;
      for (let t = 0; t < T; t++) v += (data[(t * N + n) * C + c] - m) ** 2;
      variance[n] += v / T;
    }
    if (arg === y[n]) correct++;
    nll -= Math.log(Math.max(pbar[n * C + y[n]], 1e-12));
  }
  const r = pearsonR(sqErr, variance);
  return { accuracy: correct / N, nll: nll / N, r2: r === null ? null : Math.sign(r) * r * r };
}

/** Rule 1: the dropout trial with the highest R^2 among those within one validation image of the best accuracy. */
export function chooseDropoutTrial(trials: readonly Pick<TuningTrial, "valAccuracy" | "r2">[], validationSize: number): number {
  if (trials.length === 0) throw new Error("chooseDropoutTrial: no trials");
  const best = Math.max(...trials.map((t) => t.valAccuracy));
  const slack = 1 / validationSize + 1e-9;
  let pick = -1;
  trials.forEach((t, i) => {
    if (t.valAccuracy < best - slack) return;
    const r2 = t.r2 ?? -Infinity;
    if (pick < 0 || r2 > (trials[pick].r2 ?? -Infinity)) pick = i;
  });
  return pick;
}

/** Rule 2: the C trial with the highest validation accuracy, ties broken by the lower NLL (first wins a full tie). */
export function chooseCTrial(trials: readonly Pick<TuningTrial, "valAccuracy" | "valNll">[]): number {
  if (trials.length === 0) throw new Error("chooseCTrial: no trials");
  let pick = 0;
  for (let i = 1; i < trials.length; i++) {
    const a = trials[i], b = trials[pick];
    if (a.valAccuracy > b.valAccuracy + 1e-12 || (Math.abs(a.valAccuracy - b.valAccuracy) <= 1e-12 && a.valNll < b.valNll)) pick = i;
  }
  return pick;
}

/** Problems of a tuning config (empty when fine), each naming the field. */
export function tuningProblems(t: TuningConfig, hasL2: boolean): string[] {
  const out: string[] = [];
  if (!Array.isArray(t.dropout) || t.dropout.length === 0) out.push("tuning.dropout: expected a non-empty list of dropout rate lists");
  else t.dropout.forEach((rates, i) => {
    if (!Array.isArray(rates) || rates.length === 0 || rates.some((r) => typeof r !== "number" || !(r >= 0 && r < 1))) out.push(`tuning.dropout[${i}]: expected a non-empty list of rates in [0, 1), got ${JSON.stringify(rates)}`);
  });
  if (!Array.isArray(t.c) || t.c.length === 0 || t.c.some((c) => typeof c !== "number" || !(c > 0) || !Number.isFinite(c))) out.push(`tuning.c: expected a non-empty list of positive numbers, got ${JSON.stringify(t.c)}`);
  if (!hasL2) out.push("tuning.c needs train.l2 (the penalty whose C is tuned)");
  return out;
}

/**
 * Runs both stages. `evaluate(dropout, c, trial)` trains a fresh network on the initial set with
 * those values and returns its MC probabilities on the validation set (trial numbers every fit).
 */
export async function tuneHyperparameters(
  tuning: TuningConfig, startC: number, validationY: ArrayLike<number>,
  evaluate: (dropout: number[], c: number, trial: number) => Promise<McProbs>,
  log: (line: string) => void = () => undefined,
): Promise<TuningResult> {
  const trials: TuningTrial[] = [];
  const run = async (stage: TuningTrial["stage"], dropout: number[], c: number): Promise<TuningTrial> => {
    const q = validationQuality(await evaluate(dropout, c, trials.length), validationY);
    const trial: TuningTrial = { stage, dropout, c, valAccuracy: q.accuracy, valNll: q.nll, r2: q.r2 };
    trials.push(trial);
    log(`tuning ${stage}: p = [${dropout.join(", ")}], C = ${c}: validation accuracy ${(q.accuracy * 100).toFixed(1)}%, NLL ${q.nll.toFixed(3)}, R^2 ${q.r2 === null ? "undefined" : q.r2.toFixed(3)}`);
    return trial;
  };
  const stage1: TuningTrial[] = [];
  for (const rates of tuning.dropout) stage1.push(await run("dropout", rates, startC));
  const dropout = stage1[chooseDropoutTrial(stage1, validationY.length)].dropout;
  const stage2: TuningTrial[] = [];
  for (const c of tuning.c) stage2.push(await run("c", dropout, c));
  const c = stage2[chooseCTrial(stage2)].c;
  log(`tuning chose p = [${dropout.join(", ")}], C = ${c}`);
  return { dropout, c, trials };
}
