// k-means++ seeding and Lloyd's k-means over embeddings (the survey's KMeans and BADGE, paper 001).
// Distances come from a callback, so BADGE can seed on gradient embeddings it never materialises.
// Lloyd's assignment step is one matrix product on the compute backend (n x d by d x k).
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";

/** Squared distance between points i and j of whatever space the caller works in. */
export type SquaredDistance = (i: number, j: number) => number;

/** Squared Euclidean distances between the rows of a dense [n][d] matrix. */
export function denseSquaredDistance(X: ArrayLike<number>, d: number): SquaredDistance {
  return (i, j) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const u = X[i * d + t] - X[j * d + t];
      s += u * u;
    }
    return s;
  };
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is `first`, each next one is
 * drawn with probability proportional to the squared distance to its nearest chosen centre.
 * When every remaining distance is 0 (duplicates only), the rest are drawn uniformly among the
 * unchosen points. Returns k distinct point indices in the order chosen.
 */
export function kmeansPlusPlus(n: number, k: number, sqDist: SquaredDistance, first: number, rng: Rng): number[] {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`kmeansPlusPlus: k=${k} must be between 1 and the ${n} points`);
  if (!(first >= 0 && first < n)) throw new Error(`kmeansPlusPlus: first centre ${first} is not a point index below ${n}`);
  const chosen = [first];
  const taken = new Uint8Array(n);
  taken[first] = 1;
  const nearest = new Float64Array(n);
  for (let i = 0; i < n; i++) nearest[i] = Math.max(0, sqDist(i, first));
  while (chosen.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) if (!taken[i]) total += nearest[i];
    let next = -1;
    if (total > 0) {
      let u = rng.uniform() * total;
      for (let i = 0; i < n; i++) {
        if (taken[i] || nearest[i] <= 0) continue;
        next = i;
        u -= nearest[i];
        if (u < 0) break;
      }
    } else {
      const rest = [];
      for (let i = 0; i < n; i++) if (!taken[i]) rest.push(i);
      next = rest[rng.int(rest.length)];
    }
    chosen.push(next);
    taken[next] = 1;
    for (let i = 0; i < n; i++) if (!taken[i]) nearest[i] = Math.min(nearest[i], Math.max(0, sqDist(i, next)));
  }
  return chosen;
}

/**
 * Squared distances [n][m] from the rows of Xt (squared norms xNorm) to the rows of C, inside a tidy:
 * |x - c|^2 = |x|^2 - 2 x.c + |c|^2, clamped at 0 against rounding.
 */
function sqDistanceMatrix(Xt: tf.Tensor2D, xNorm: tf.Tensor1D, C: tf.Tensor2D): tf.Tensor {
  return tf.relu(tf.add(tf.sub(xNorm.expandDims(1), tf.mul(2, tf.matMul(Xt, C, false, true))), tf.sum(tf.square(C), 1).expandDims(0)));
}

/**
 * Squared distances from every row of X to the rows `rows`: [n][rows.length], one matrix product on the compute
 * backend (X C^T: 6x faster on wasm than C X^T for a few rows).
 */
async function sqDistancesTo(Xt: tf.Tensor2D, xNorm: tf.Tensor1D, rows: number[]): Promise<Float32Array> {
  const dist = tf.tidy(() => {
    const C = tf.gather(Xt, tf.tensor1d(rows, "int32"));
    return sqDistanceMatrix(Xt, xNorm, C);
  });
  try {
    return (await dist.data()) as Float32Array;
  } finally {
    dist.dispose();
  }
}

/**
 * scikit-learn's greedy k-means++ (its KMeans' default init, which DeepAL+'s KMeansSampling uses): for each
 * next centre, `trials` candidates are drawn with probability proportional to the squared distance to the
 * nearest chosen centre (the inverse of the cumulative sum, as numpy's searchsorted), and the candidate that
 * leaves the smallest potential (sum of those squared distances) is kept; ties go to the first drawn.
 * scikit-learn's trials: 2 + floor(ln k). With trials = 1 this is kmeansPlusPlus. Returns k point indices.
 */
export async function greedyKmeansPlusPlus(Xt: tf.Tensor2D, xNorm: tf.Tensor1D, k: number, first: number, trials: number, rng: Rng): Promise<number[]> {
  const n = Xt.shape[0];
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`greedyKmeansPlusPlus: k=${k} must be between 1 and the ${n} points`);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`greedyKmeansPlusPlus: trials=${trials} must be a positive integer`);
  const chosen = [first];
  const closest = Float64Array.from(await sqDistancesTo(Xt, xNorm, [first]));
  let potential = closest.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(n);
  while (chosen.length < k) {
    let run = 0;
    for (let i = 0; i < n; i++) cumulative[i] = run += closest[i];
    const candidates: number[] = [];
    for (let t = 0; t < trials; t++) {
      const u = rng.uniform() * potential;
      let lo = 0, hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < u) lo = mid + 1; else hi = mid;
      }
      candidates.push(lo);
    }
    const dist = await sqDistancesTo(Xt, xNorm, candidates);
    let best = -1, bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let i = 0; i < n; i++) p += Math.min(closest[i], dist[i * trials + t]);
      if (p < bestPotential) { best = t; bestPotential = p; }
    }
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], dist[i * trials + best]);
    potential = bestPotential;
    chosen.push(candidates[best]);
  }
  return chosen;
}

/** scikit-learn's number of greedy k-means++ trials per centre for k clusters. */
export const sklearnLocalTrials = (k: number) => 2 + Math.floor(Math.log(k));

export interface KMeansResult {
  centres: Float64Array;
  assignment: Int32Array;
  inertia: number;
  iterations: number;
}

export interface KMeansOptions {
  /** Lloyd iterations at most (scikit-learn's default 300). */
  maxIter?: number;
  /** Stop when the centres move less than tol x the mean per-feature variance (squared, summed; scikit-learn's rule, default 1e-4). */
  tol?: number;
  /** Independent k-means++ starts; the lowest inertia wins (scikit-learn 1.0's default n_init = 10). */
  restarts?: number;
  /** Greedy k-means++ candidates per centre (scikit-learn: 2 + floor(ln k), see greedyKmeansPlusPlus); absent: plain k-means++. */
  localTrials?: number;
}

/** Nearest centre of every row and its squared distance, as one matrix product per call on the compute backend. */
async function nearestCentres(Xt: tf.Tensor2D, xNorm: tf.Tensor1D, centres: Float64Array, k: number, d: number): Promise<{ arg: Int32Array; min: ArrayLike<number> }> {
  const [arg, min] = tf.tidy(() => {
    const C = tf.tensor2d(Float32Array.from(centres), [k, d]);
    const dist = sqDistanceMatrix(Xt, xNorm, C);
    return [tf.argMin(dist, 1), tf.min(dist, 1)];
  });
  try {
    return { arg: Int32Array.from(await arg.data()), min: await min.data() };
  } finally {
    tf.dispose([arg, min]);
  }
}

async function lloyd(X: ArrayLike<number>, Xt: tf.Tensor2D, xNorm: tf.Tensor1D, n: number, d: number, init: number[], maxIter: number, tolAbs: number): Promise<KMeansResult> {
  const k = init.length;
  const centres = new Float64Array(k * d);
  init.forEach((p, c) => { for (let t = 0; t < d; t++) centres[c * d + t] = X[p * d + t]; });
  let assignment: Int32Array = new Int32Array(n);
  let best: ArrayLike<number> = new Float64Array(n);
  let iterations = 0;
  const assign = async () => {
    const r = await nearestCentres(Xt, xNorm, centres, k, d);
    assignment = r.arg;
    best = Float64Array.from(r.min);
  };
  await assign();
  for (; iterations < maxIter; iterations++) {
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      counts[c]++;
      for (let t = 0; t < d; t++) sums[c * d + t] += X[i * d + t];
    }
    // An empty cluster moves to the point farthest from its centre (scikit-learn relocates it too).
    const far = Float64Array.from(best);
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) continue;
      let f = 0;
      for (let i = 1; i < n; i++) if (far[i] > far[f]) f = i;
      far[f] = 0;
      counts[c] = 1;
      for (let t = 0; t < d; t++) sums[c * d + t] = X[f * d + t];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let t = 0; t < d; t++) {
        const v = sums[c * d + t] / counts[c];
        shift += (v - centres[c * d + t]) ** 2;
        centres[c * d + t] = v;
      }
    }
    await assign();
    if (shift <= tolAbs) { iterations++; break; }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += best[i];
  return { centres, assignment, inertia, iterations };
}

/** Lloyd's k-means with k-means++ starts (first centre uniform), the best of `restarts` by inertia. */
export async function kmeans(X: ArrayLike<number>, d: number, k: number, rng: Rng, opts: KMeansOptions = {}): Promise<KMeansResult> {
  const n = X.length / d;
  if (!Number.isInteger(n)) throw new Error(`kmeans: ${X.length} values are not rows of width ${d}`);
  const { maxIter = 300, tol = 1e-4, restarts = 10, localTrials } = opts;
  // scikit-learn: tol is relative to the mean variance of the features.
  let meanVar = 0;
  for (let t = 0; t < d; t++) {
    let m = 0, m2 = 0;
    for (let i = 0; i < n; i++) { m += X[i * d + t]; m2 += X[i * d + t] ** 2; }
    m /= n;
    meanVar += m2 / n - m * m;
  }
  const tolAbs = tol * Math.max(0, meanVar / d);
  const dist = denseSquaredDistance(X, d);
  const Xt = tf.tensor2d(Float32Array.from(X), [n, d]);
  const xNorm = tf.tidy(() => tf.sum(tf.square(Xt), 1)) as tf.Tensor1D;
  let best: KMeansResult | null = null;
  try {
    for (let r = 0; r < restarts; r++) {
      const first = rng.int(n);
      const init = localTrials === undefined ? kmeansPlusPlus(n, k, dist, first, rng) : await greedyKmeansPlusPlus(Xt, xNorm, k, first, localTrials, rng);
      const run = await lloyd(X, Xt, xNorm, n, d, init, maxIter, tolAbs);
      if (!best || run.inertia < best.inertia) best = run;
    }
  } finally {
    tf.dispose([Xt, xNorm]);
  }
  return best!;
}

/**
 * DeepAL+'s KMeansSampling: cluster the candidates' embeddings into k clusters and take, in each
 * cluster, the point nearest its centre. Returns k distinct candidate positions.
 */
export async function kmeansSelect(X: ArrayLike<number>, d: number, k: number, rng: Rng, opts: KMeansOptions = {}): Promise<number[]> {
  const n = X.length / d;
  const { centres, assignment } = await kmeans(X, d, k, rng, opts);
  const picked: number[] = [];
  for (let c = 0; c < k; c++) {
    let arg = -1, min = Infinity;
    for (let i = 0; i < n; i++) {
      if (assignment[i] !== c) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (X[i * d + t] - centres[c * d + t]) ** 2;
      if (s < min) { min = s; arg = i; }
    }
    if (arg >= 0) picked.push(arg);
  }
  return picked;
}
