// Geometry of candidates and batches: greedy k-center (core-set, Sener & Savarese 2018), minimum
// distances to the labelled set, and the batch diversity of paper 004 (mean symmetric KL between
// the predicted class distributions of the points of a batch).

/** Squared Euclidean distance between row a of A and row b of B (both d wide). */
function sqDist(A: ArrayLike<number>, a: number, B: ArrayLike<number>, b: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    const t = A[a * d + i] - B[b * d + i];
    s += t * t;
  }
  return s;
}

/** Distance from every candidate to its nearest labelled point (Infinity when none is labelled). */
export function minDistances(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number): Float64Array {
  const n = candidates.length / d;
  const m = labelled.length / d;
  if (!Number.isInteger(n) || !Number.isInteger(m)) throw new Error(`minDistances: arrays are not multiples of the dimension ${d}`);
  const out = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) out[i] = Math.min(out[i], sqDist(candidates, i, labelled, j, d));
    out[i] = Math.sqrt(out[i]);
  }
  return out;
}

/**
 * Greedy k-center: repeatedly take the candidate farthest from every centre (labelled points
 * and earlier picks). The plain greedy 2-approximation; the "robust" variant's outlier-tolerant
 * mixed-integer refinement is not implemented.
 */
export function greedyKCenter(candidates: ArrayLike<number>, labelled: ArrayLike<number>, d: number, k: number): number[] {
  const dist = minDistances(candidates, labelled, d);
  const n = dist.length;
  if (k > n) throw new Error(`greedyKCenter: k=${k} exceeds ${n} candidates`);
  const picked: number[] = [];
  for (let step = 0; step < k; step++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (dist[i] >= 0 && (best < 0 || dist[i] > dist[best])) best = i;
    picked.push(best);
    dist[best] = -1; // taken
    for (let i = 0; i < n; i++) if (dist[i] >= 0) dist[i] = Math.min(dist[i], Math.sqrt(sqDist(candidates, i, candidates, best, d)));
  }
  return picked;
}

/** KL(p || q) for two distributions (probabilities floored at 1e-12). */
function kl(p: ArrayLike<number>, po: number, q: ArrayLike<number>, qo: number, C: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) {
    const a = Math.max(p[po + c], 1e-12);
    const b = Math.max(q[qo + c], 1e-12);
    s += a * Math.log(a / b);
  }
  return s;
}

/** Mean over pairs of KL(p_i||p_j) + KL(p_j||p_i) of the rows of probs (B x C); 0 for one point. */
export function batchDiversity(probs: ArrayLike<number>, C: number): number {
  const B = probs.length / C;
  if (B < 2) return 0;
  let s = 0;
  for (let i = 0; i < B; i++) for (let j = i + 1; j < B; j++) s += kl(probs, i * C, probs, j * C, C) + kl(probs, j * C, probs, i * C, C);
  return s / ((B * (B - 1)) / 2);
}
