// Hybrid uncertainty x diversity query strategies (paper 000). Uncertainty scores are scaled to
// [0, 1]; diversity scores come from the 10-d output logits (the embedding), standardised over
// labelled + candidate points. Combinations (t = query number from 1):
//   arithmetic        a U + (1 - a) D                 geometric        U^a D^(1 - a)
//   decayed arithm.   (1 - e^-bt) U + e^-bt D         decayed geometric U^(1 - e^-bt) D^(e^-bt)
//   two-stage         top g*m by the first metric, then top m of those by the second
import * as tf from "@tensorflow/tfjs";
import { predictOutputs } from "../inference/mc";
import { disposeModel, mlp } from "../models/classifiers";
import { Rng } from "../seeding/rng";
import { trainModel } from "../training/train";
import { minDistances } from "./diversity";
import { cholesky, forwardSolve } from "./linalg";
import { bald, maxEntropy, topK, variationRatio } from "./scores";
import { McProbs } from "./types";

export type UncertaintyName = "entropy" | "bald" | "vr";
export type DiversityName = "disc" | "gp" | "mindist";
export type CombinationName = "arith" | "decay-arith" | "geo" | "decay-geo" | "ufirst" | "dfirst";
export const UNCERTAINTIES: readonly UncertaintyName[] = ["entropy", "bald", "vr"];
export const DIVERSITIES: readonly DiversityName[] = ["disc", "gp", "mindist"];
export const COMBINATIONS: readonly CombinationName[] = ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"];
/** The hyperparameter of each combination and its search grid (paper: a, b in .1..9, g in 2..6). */
export const COMBINATION_PARAMETER: Record<CombinationName, { name: "alpha" | "beta" | "gamma"; grid: number[] }> = {
  arith: { name: "alpha", grid: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
  geo: { name: "alpha", grid: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
  "decay-arith": { name: "beta", grid: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
  "decay-geo": { name: "beta", grid: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
  ufirst: { name: "gamma", grid: [2, 3, 4, 5, 6] },
  dfirst: { name: "gamma", grid: [2, 3, 4, 5, 6] },
};

/**
 * How the variation ratio is scaled: "classes" (the paper): (1 - mode count / T) / (1 - 1/C), in
 * [0, 1]. "pool-subset" (the authors' code, `1 - count / preds.shape[1]` with preds of shape T x N):
 * (1 - mode count / N) / (1 - 1/C) for N scored candidates, about [1.06, 1.11] at N = 2,000; the
 * ranking is the same, but inside a hybrid U is then almost constant and D decides.
 */
export type VarRatioScale = "classes" | "pool-subset";

/** Uncertainty in [0, 1]: entropy / ln C, BALD / ln C, variation ratio / (1 - 1/C) (see VarRatioScale). */
export function scaledUncertainty(name: UncertaintyName, p: McProbs, varRatioScale: VarRatioScale = "classes"): Float64Array {
  const lnC = Math.log(p.C);
  if (name === "entropy") return maxEntropy(p).map((v) => Math.min(1, v / lnC));
  if (name === "bald") return bald(p).map((v) => Math.min(1, v / lnC));
  if (name === "vr" && varRatioScale === "pool-subset") return variationRatio(p).map((v) => (1 - Math.round((1 - v) * p.T) / p.N) / (1 - 1 / p.C));
  if (name === "vr") return variationRatio(p).map((v) => Math.min(1, v / (1 - 1 / p.C)));
  throw new Error(`unknown uncertainty '${name}' (expected ${UNCERTAINTIES.join(", ")})`);
}

/** Standardises both sets of d-dim rows with the mean and std of their union (per dimension). */
export function standardise(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number): { candidates: Float64Array; labelled: Float64Array } {
  const n = candidates.length / d + labelled.length / d;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const arr of [candidates, labelled]) for (let i = 0; i < arr.length; i++) mean[i % d] += arr[i] / n;
  for (const arr of [candidates, labelled]) for (let i = 0; i < arr.length; i++) sq[i % d] += (arr[i] - mean[i % d]) ** 2 / n;
  const sd = sq.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1));
  const apply = (arr: ArrayLike<number>) => Float64Array.from({ length: arr.length }, (_, i) => (arr[i] - mean[i % d]) / sd[i % d]);
  return { candidates: apply(candidates), labelled: apply(labelled) };
}

/** Minimum distance to the labelled set divided by its maximum over the candidates (in [0, 1]). */
export function minDistanceScores(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number): Float64Array {
  const dist = minDistances(candidates, labelled, d);
  const max = Math.max(...dist);
  return dist.map((v) => (max > 0 && Number.isFinite(max) ? v / max : 1));
}

/**
 * GP posterior variance 1 - k_x^T (K + jitter I)^-1 k_x with the RBF kernel exp(-|a-b|^2 / (2d)),
 * through one Cholesky factorisation of K (never an explicit inverse). In [0, 1].
 */
export function posteriorVariance(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number, jitter = 1e-6): Float64Array {
  const m = labelled.length / d;
  const n = candidates.length / d;
  const kern = (A: ArrayLike<number>, a: number, B: ArrayLike<number>, b: number) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (A[a * d + i] - B[b * d + i]) ** 2;
    return Math.exp(-s / (2 * d));
  };
  const K = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) K[a * m + b] = K[b * m + a] = kern(labelled, a, labelled, b);
  let L: Float64Array | null = null;
  for (let j = jitter; !L && j < 1; j *= 10) L = cholesky(K, m, j); // duplicates make K singular: grow the jitter
  if (!L) throw new Error(`posteriorVariance: kernel matrix of ${m} labelled points is not positive definite even with jitter 0.1`);
  const out = new Float64Array(n);
  const k = new Float64Array(m);
  for (let x = 0; x < n; x++) {
    for (let a = 0; a < m; a++) k[a] = kern(candidates, x, labelled, a);
    const v = forwardSolve(L, m, k);
    let q = 0;
    for (let a = 0; a < m; a++) q += v[a] * v[a];
    out[x] = Math.min(1, Math.max(0, 1 - q));
  }
  return out;
}

export interface DiscriminatorOptions {
  hidden: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** "shuffled" every epoch, or "in-order": all labelled rows, then all candidates (skorch's default iterator). */
  batches: "shuffled" | "in-order";
}
/**
 * The authors' discriminator (query_strategies.py `discri` + `disscore`): d -> 10 -> 2 with ReLU and
 * dropout .25, PyTorch's initialisation, Adam 1e-3, batch 128, 50 epochs ("the same settings as the
 * main BCNN", paper 000).
 */
export const DEFAULT_DISCRIMINATOR: DiscriminatorOptions = { hidden: 10, dropout: 0.25, epochs: 50, batchSize: 128, lr: 1e-3, batches: "shuffled" };

/** numpy's round (half to even), which sets the labelled rows' repetition count. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Discriminator score p(unlabelled | x), as the authors compute it: the labelled rows repeated
 * round(n / m) times (at least once) so the classes balance, then the n candidates; a 2-class MLP
 * trained on them (class 0: unlabelled); the score is its deterministic (dropout off) probability of
 * class 0 for each candidate. In [0, 1].
 */
/**
 * The discriminator's training rows as the authors build them: the m labelled rows repeated
 * round(n / m) times (numpy's rounding; at least once), then the n candidates; one-hot targets,
 * class 1 = labelled, class 0 = unlabelled.
 */
export function discriminatorTrainingSet(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number): { x: Float32Array; y: Float32Array; rows: number; copies: number } {
  const n = candidates.length / d;
  const m = labelled.length / d;
  if (!Number.isInteger(n) || !Number.isInteger(m) || m === 0) throw new Error(`discriminator: need whole rows of width ${d} and a labelled set (got ${candidates.length} / ${labelled.length} values)`);
  const copies = Math.max(1, roundHalfEven(n / m));
  const rows = copies * m + n;
  const x = new Float32Array(rows * d);
  const y = new Float32Array(rows * 2);
  for (let c = 0; c < copies; c++) for (let i = 0; i < m * d; i++) x[c * m * d + i] = labelled[i];
  for (let i = 0; i < n * d; i++) x[copies * m * d + i] = candidates[i];
  for (let r = 0; r < rows; r++) y[r * 2 + (r < copies * m ? 1 : 0)] = 1;
  return { x, y, rows, copies };
}

/**
 * Discriminator score p(unlabelled | x) as the authors compute it: a 2-class MLP trained on
 * discriminatorTrainingSet; the score is its deterministic (dropout off) probability of class 0
 * for each candidate. In [0, 1].
 */
export async function discriminatorScores(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number, rng: Rng, opts = DEFAULT_DISCRIMINATOR): Promise<Float64Array> {
  const n = candidates.length / d;
  const { x, y, rows, copies } = discriminatorTrainingSet(candidates, labelled, d);
  const m = labelled.length / d;
  const net = mlp(rng, d, [opts.hidden], 2, opts.dropout, { init: "pytorch" });
  const xs = tf.tensor2d(x, [rows, d]);
  const ys = tf.tensor2d(y, [rows, 2]);
  const candidateRows = xs.slice(copies * m, n);
  try {
    await trainModel(net, { x: xs, y: ys }, null, {
      epochs: opts.epochs, batchSize: opts.batchSize, patience: 0, loss: "softmax-cross-entropy", keepBestValidation: false,
      optimizer: { lr: opts.lr, weightDecay: 0 }, shuffle: opts.batches === "shuffled",
    }, rng);
    const logits = await predictOutputs(net, candidateRows);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(logits[2 * i + 1] - logits[2 * i])); // softmax(z)[0]
    return out;
  } finally {
    tf.dispose([xs, ys, candidateRows]);
    disposeModel(net);
  }
}

/** Combined score of a score-type combination (arith, decay-arith, geo, decay-geo). */
export function combineScores(kind: CombinationName, U: ArrayLike<number>, D: ArrayLike<number>, param: number, t: number): Float64Array {
  if (U.length !== D.length) throw new Error(`combineScores: ${U.length} uncertainty scores but ${D.length} diversity scores`);
  const w = kind === "arith" || kind === "geo" ? param : 1 - Math.exp(-param * t);
  if (!(w >= 0 && w <= 1)) throw new Error(`combineScores: weight ${w} from ${kind} parameter ${param} is outside [0, 1]`);
  const out = new Float64Array(U.length);
  for (let i = 0; i < U.length; i++) {
    if (kind === "arith" || kind === "decay-arith") out[i] = w * U[i] + (1 - w) * D[i];
    else if (kind === "geo" || kind === "decay-geo") out[i] = U[i] ** w * D[i] ** (1 - w);
    else throw new Error(`combineScores: '${kind}' is a two-stage query; use twoStageQuery`);
  }
  return out;
}

/** Two-stage query: the top min(gamma*k, n) by `first`, then the top k of those by `second`. */
export function twoStageQuery(first: ArrayLike<number>, second: ArrayLike<number>, k: number, gamma: number): number[] {
  if (!(gamma >= 1)) throw new Error(`twoStageQuery: gamma must be >= 1, got ${gamma}`);
  const shortlist = topK(first, Math.min(first.length, Math.round(gamma * k)));
  const picked = topK(shortlist.map((i) => second[i]), k);
  return picked.map((j) => shortlist[j]);
}

/**
 * The authors' two-stage query (query_strategies.py `two_stage_query`), which negates the argsort
 * *indices*: `idx1 = -(first).argsort()[:k*gamma]` holds minus the positions of the k*gamma
 * *smallest* first scores, and numpy reads a negative index i as n + i; then the same with the
 * second score inside that list. Both stages pick near-arbitrary points. Ties: stable ascending
 * order (numpy's default quicksort is not stable, so exact ties may order differently).
 */
export function twoStageNegatedArgsort(first: ArrayLike<number>, second: ArrayLike<number>, k: number, gamma: number): number[] {
  const n = first.length;
  const size = Math.min(n, k * gamma);
  const ascending = (v: ArrayLike<number>, len: number) => Array.from({ length: len }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
  const wrap = (i: number, len: number) => (i < 0 ? i + len : Math.abs(i)); // numpy's negative indexing (-0 is row 0)
  const idx1 = ascending(first, n).slice(0, size).map((i) => -i);
  const candidates = idx1.map((i) => second[wrap(i, n)]);
  const idx2 = ascending(candidates, candidates.length).slice(0, k).map((j) => -j);
  return idx2.map((j) => wrap(idx1[wrap(j, size)], n));
}

/** The diversity score of the candidates (embeddings already standardised). */
export async function diversityScores(name: DiversityName, candidates: Float64Array, labelled: Float64Array, d: number, rng: Rng, discriminator = DEFAULT_DISCRIMINATOR): Promise<Float64Array> {
  if (name === "gp") return posteriorVariance(candidates, labelled, d);
  if (name === "mindist") return minDistanceScores(candidates, labelled, d);
  if (name === "disc") return discriminatorScores(candidates, labelled, d, rng, discriminator);
  throw new Error(`unknown diversity '${name}' (expected ${DIVERSITIES.join(", ")})`);
}
