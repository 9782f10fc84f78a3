// Hybrid uncertainty x diversity query strategies (paper 000). Uncertainty scores are scaled to
// [0, 1]; diversity scores come from the 10-d output logits (the embedding), standardised over
// labelled + candidate points. Combinations (t = query number from 1):
//   arithmetic        a U + (1 - a) D                 geometric        U^a D^(1 - a)
//   decayed arithm.   (1 - e^-bt) U + e^-bt D         decayed geometric U^(1 - e^-bt) D^(e^-bt)
//   two-stage         top g*m by the first metric, then top m of those by the second
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";
import { minDistances } from "./diversity";
import { cholesky, forwardSolve } from "./linalg";
import { bald, maxEntropy, topK, variationRatio } from "./scores";
import { McProbs } from "./types";
import { readTidy } from "../compute/read";

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

/** Uncertainty in [0, 1]: entropy / ln C, BALD / ln C, variation ratio / (1 - 1/C). */
export function scaledUncertainty(name: UncertaintyName, p: McProbs): Float64Array {
  const lnC = Math.log(p.C);
  if (name === "entropy") return maxEntropy(p).map((v) => Math.min(1, v / lnC));
  if (name === "bald") return bald(p).map((v) => Math.min(1, v / lnC));
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
  epochs: number;
  batchSize: number;
  lr: number;
}
export const DEFAULT_DISCRIMINATOR: DiscriminatorOptions = { hidden: 64, epochs: 10, batchSize: 64, lr: 1e-3 };

/**
 * Discriminator score p(unlabelled | x): an MLP (d -> hidden -> 1) trained to tell candidate
 * embeddings (label 1) from labelled ones (label 0, resampled with replacement up to the number of
 * candidates so the classes balance). In [0, 1].
 */
export function discriminatorScores(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number, rng: Rng, opts = DEFAULT_DISCRIMINATOR): Float64Array {
  const n = candidates.length / d;
  const m = labelled.length / d;
  const x = new Float32Array(2 * n * d);
  const y = new Float32Array(2 * n);
  for (let i = 0; i < n * d; i++) x[i] = candidates[i];
  for (let i = 0; i < n; i++) {
    y[i] = 1;
    const src = rng.int(m);
    for (let j = 0; j < d; j++) x[(n + i) * d + j] = labelled[src * d + j];
  }
  const net = tf.sequential({
    layers: [
      tf.layers.dense({ units: opts.hidden, activation: "relu", inputShape: [d], kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }) }),
      tf.layers.dense({ units: 1, activation: "linear", kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }) }),
    ],
  });
  const opt = tf.train.adam(opts.lr);
  try {
    const xs = tf.tensor2d(x, [2 * n, d]);
    const ys = tf.tensor2d(y, [2 * n, 1]);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = rng.shuffle(Array.from({ length: 2 * n }, (_, i) => i));
      for (let s = 0; s < order.length; s += opts.batchSize) {
        tf.tidy(() => {
          const idx = tf.tensor1d(order.slice(s, s + opts.batchSize), "int32");
          const xb = tf.gather(xs, idx);
          const yb = tf.gather(ys, idx);
          opt.minimize(() => tf.losses.sigmoidCrossEntropy(yb, net.apply(xb) as tf.Tensor) as tf.Scalar);
        });
      }
    }
    const out = readTidy(() => tf.sigmoid(net.apply(xs.slice(0, n)) as tf.Tensor));
    tf.dispose([xs, ys]);
    return Float64Array.from(out);
  } finally {
    net.dispose();
    opt.dispose();
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

/** The diversity score of the candidates (embeddings already standardised). */
export function diversityScores(name: DiversityName, candidates: Float64Array, labelled: Float64Array, d: number, rng: Rng): Float64Array {
  if (name === "gp") return posteriorVariance(candidates, labelled, d);
  if (name === "mindist") return minDistanceScores(candidates, labelled, d);
  if (name === "disc") return discriminatorScores(candidates, labelled, d, rng);
  throw new Error(`unknown diversity '${name}' (expected ${DIVERSITIES.join(", ")})`);
}
