// BADGE (Ash et al. 2020, as in DeepAL+'s badge_sampling.py): the gradient of the cross-entropy at
// the predicted label with respect to the last layer's weights, g = (p - onehot(yhat)) (x) h, then
// k-means++ seeding on those gradients, the first centre being the largest gradient.
// g is never built: for outer products <a (x) h, b (x) k> = <a, b><h, k>, so every squared distance
// k-means++ needs comes from the C-wide and d-wide parts (O(n (C + d)) memory instead of n x C x d).
import { Rng } from "../seeding/rng";
import { kmeansPlusPlus, SquaredDistance } from "./kmeans";

/** The C-wide factor a = p - onehot(argmax p) of every row ([n][C], first maximum wins). */
export function gradientFactor(pbar: ArrayLike<number>, C: number): Float64Array {
  const n = pbar.length / C;
  const a = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    let arg = 0;
    for (let c = 1; c < C; c++) if (pbar[i * C + c] > pbar[i * C + arg]) arg = c;
    for (let c = 0; c < C; c++) a[i * C + c] = pbar[i * C + c] - (c === arg ? 1 : 0);
  }
  return a;
}

/** The explicit gradient embedding [n][C*d] (class-major blocks, DeepAL+'s layout); for checks on small inputs. */
export function gradientEmbedding(pbar: ArrayLike<number>, C: number, h: ArrayLike<number>, d: number): Float64Array {
  const a = gradientFactor(pbar, C);
  const n = a.length / C;
  const g = new Float64Array(n * C * d);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) for (let t = 0; t < d; t++) g[(i * C + c) * d + t] = a[i * C + c] * h[i * d + t];
  return g;
}

function dot(A: ArrayLike<number>, i: number, B: ArrayLike<number>, j: number, w: number): number {
  let s = 0;
  for (let t = 0; t < w; t++) s += A[i * w + t] * B[j * w + t];
  return s;
}

/** Squared distances between gradient embeddings, from the factors alone. */
export function gradientSquaredDistance(a: Float64Array, C: number, h: ArrayLike<number>, d: number): { sqDist: SquaredDistance; sqNorm: Float64Array } {
  const n = a.length / C;
  const sqNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) sqNorm[i] = dot(a, i, a, i, C) * dot(h, i, h, i, d);
  return { sqNorm, sqDist: (i, j) => sqNorm[i] + sqNorm[j] - 2 * dot(a, i, a, j, C) * dot(h, i, h, j, d) };
}

/** BADGE's batch: k candidate positions from their deterministic probabilities and penultimate embeddings. */
export function badgeSelect(pbar: ArrayLike<number>, C: number, h: ArrayLike<number>, d: number, k: number, rng: Rng): number[] {
  const n = pbar.length / C;
  if (h.length !== n * d) throw new Error(`badge: ${n} probability rows but ${h.length / d} embedding rows`);
  const a = gradientFactor(pbar, C);
  const { sqDist, sqNorm } = gradientSquaredDistance(a, C, h, d);
  let first = 0;
  for (let i = 1; i < n; i++) if (sqNorm[i] > sqNorm[first]) first = i;
  return kmeansPlusPlus(n, k, sqDist, first, rng);
}
