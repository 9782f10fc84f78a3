// Uncertainty scores: pure functions from MC probabilities [T][N][C] to one score per input
// (higher = more worth labelling). Natural logarithms throughout. See REFERENCE.md.
import { Rng } from "../seeding/rng";
import { checkMcProbs, McProbs, meanProbs } from "./types";

const xlogx = (p: number) => (p > 0 ? p * Math.log(p) : 0);

/** Max entropy: H(pbar) = -sum_c pbar_c log pbar_c. */
export function maxEntropy(p: McProbs): Float64Array {
  checkMcProbs(p, "maxEntropy");
  const { N, C } = p;
  const pbar = meanProbs(p);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let h = 0;
    for (let c = 0; c < C; c++) h -= xlogx(pbar[n * C + c]);
    out[n] = h;
  }
  return out;
}

/** Expected entropy of the per-pass predictive: (1/T) sum_t H(p_t). */
export function expectedEntropy(p: McProbs): Float64Array {
  const { T, N, C, data } = p;
  const out = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      let h = 0;
      const off = (t * N + n) * C;
      for (let c = 0; c < C; c++) h -= xlogx(data[off + c]);
      out[n] += h / T;
    }
  }
  return out;
}

/** BALD (mutual information): H(pbar) - E_t H(p_t), tiny negatives clamped to 0. */
export function bald(p: McProbs): Float64Array {
  checkMcProbs(p, "bald");
  const h = maxEntropy(p);
  const eh = expectedEntropy(p);
  return h.map((v, i) => Math.max(0, v - eh[i]));
}

/** Variation ratio (Gal): 1 - (count of the modal argmax class over the T passes) / T. */
export function variationRatio(p: McProbs): Float64Array {
  checkMcProbs(p, "variationRatio");
  const { T, N, C, data } = p;
  const out = new Float64Array(N);
  const counts = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    counts.fill(0);
    for (let t = 0; t < T; t++) {
      const off = (t * N + n) * C;
      let arg = 0;
      for (let c = 1; c < C; c++) if (data[off + c] > data[off + arg]) arg = c;
      counts[arg]++;
    }
    let mode = 0;
    for (let c = 0; c < C; c++) mode = Math.max(mode, counts[c]);
    out[n] = 1 - mode / T;
  }
  return out;
}

/** Mean STD: (1/C) sum_c sqrt(E_t[p_tc^2] - E_t[p_tc]^2), computed centred (no cancellation). */
export function meanStd(p: McProbs): Float64Array {
  checkMcProbs(p, "meanStd");
  const { T, N, C, data } = p;
  const m = meanProbs(p);
  const ss = new Float64Array(N * C);
  for (let t = 0; t < T; t++) {
    const off = t * N * C;
    for (let i = 0; i < N * C; i++) ss[i] += (data[off + i] - m[i]) ** 2;
  }
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let acc = 0;
    for (let c = 0; c < C; c++) acc += Math.sqrt(ss[n * C + c] / T);
    out[n] = acc / C;
  }
  return out;
}

/** Least confidence: 1 - max_c pbar_c. */
export function leastConfidence(p: McProbs): Float64Array {
  checkMcProbs(p, "leastConfidence");
  const { N, C } = p;
  const pbar = meanProbs(p);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let c = 0; c < C; c++) m = Math.max(m, pbar[n * C + c]);
    out[n] = 1 - m;
  }
  return out;
}

/** Margin: -(pbar_top1 - pbar_top2) (a small margin scores high). */
export function margin(p: McProbs): Float64Array {
  checkMcProbs(p, "margin");
  const { N, C } = p;
  const pbar = meanProbs(p);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let a = -Infinity;
    let b = -Infinity;
    for (let c = 0; c < C; c++) {
      const v = pbar[n * C + c];
      if (v > a) {
        b = a;
        a = v;
      } else if (v > b) b = v;
    }
    out[n] = -(a - b);
  }
  return out;
}

/** Random: uniform scores from the run's generator. */
export function randomScores(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform();
  return out;
}

/** Indices of the k largest scores, highest first; ties go to the lower index. NaN is an error. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  if (k > scores.length) throw new Error(`topK: k=${k} exceeds ${scores.length} candidates`);
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  for (const i of idx) if (Number.isNaN(scores[i])) throw new Error(`topK: score ${i} is NaN`);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, k);
}

export type ScoreFunction = (p: McProbs) => Float64Array;

export const SCORE_FUNCTIONS = {
  "max-entropy": maxEntropy,
  bald,
  "variation-ratio": variationRatio,
  "mean-std": meanStd,
  "least-confidence": leastConfidence,
  margin,
} satisfies Record<string, ScoreFunction>;
