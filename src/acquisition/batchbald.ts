// BatchBALD (Kirsch et al. 2019), greedy, on *consistent* MC-dropout probabilities [K][N][C]
// (the pass index t plays the role of the posterior sample w_k).
//
// Step n scores candidate x by  H(y_1..y_{n-1}, y_x) - sum_{i<n} E_w H(y_i|w) - E_w H(y_x|w).
// The joint entropy needs p(y_1..y_{n-1} | w_k) for configurations of the chosen labels:
//   exact   while C^(n-1) <= M: every configuration, an (C^(n-1) x K) table;
//   sampled beyond: M configurations, M/K drawn from each w_k (given w the labels are independent,
//           so a sample is drawn label by label), and the entropy estimated as
//           -(1/M) sum_s sum_y [p(s, y) / p(s)] log p(s, y).
// Each table row is stored divided by its maximum over k (its log kept in float64), so products of
// 50 probabilities never underflow; the scale cancels in every ratio and enters the entropy only
// as a candidate-independent constant. The (M x K) @ (K x N*C) product runs on the tfjs backend.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";
import { expectedEntropy } from "./scores";
import { checkMcProbs, McProbs } from "./types";
import { readTidy } from "../compute/read";

export interface BatchBaldOptions {
  /** Configurations kept: exact while C^(n-1) <= M, else M samples (batchbald_redux's num_samples). */
  maxConfigs: number;
  rng: Rng;
  /** Candidates per matrix product (memory: M x chunk x C floats). */
  chunk?: number;
}

export const DEFAULT_BATCHBALD_CONFIGS = 10_000;

/** p(chosen labels | w_k) for a set of configurations, row-scaled. */
class JointTable {
  /** rows x K, each row's max over k is 1 (or the row is all zero and dropped). */
  q: Float64Array = new Float64Array(0);
  /** log of each row's scale. */
  logScale: Float64Array = new Float64Array(1);
  rows = 1;
  sampled = false;
  /** Sampled mode: the w_k each configuration was drawn from. */
  sampleK: Int32Array = new Int32Array(0);
  private readonly chosen: Float64Array[] = [];

  constructor(readonly K: number, readonly C: number, readonly maxConfigs: number, private readonly rng: Rng) {
    this.q = new Float64Array(K).fill(1);
  }

  /** Adds a chosen point given its per-sample probabilities pk[k*C + c]. */
  add(pk: Float64Array): void {
    const { K, C } = this;
    this.chosen.push(pk);
    if (!this.sampled && this.rows * C <= this.maxConfigs) {
      const q = new Float64Array(this.rows * C * K);
      const logScale = new Float64Array(this.rows * C);
      let r = 0;
      for (let s = 0; s < this.rows; s++) {
        for (let c = 0; c < C; c++) {
          let max = 0;
          for (let k = 0; k < K; k++) max = Math.max(max, q[r * K + k] = this.q[s * K + k] * pk[k * C + c]);
          if (max === 0) continue; // impossible configuration: probability 0 under every sample
          for (let k = 0; k < K; k++) q[r * K + k] /= max;
          logScale[r++] = this.logScale[s] + Math.log(max);
        }
      }
      this.rows = r;
      this.q = q.subarray(0, r * K);
      this.logScale = logScale.subarray(0, r);
      return;
    }
    if (!this.sampled) this.startSampling();
    else this.extendSamples(pk);
  }

  /** Switches to M sampled configurations, drawing every chosen label so far. */
  private startSampling(): void {
    const { K } = this;
    const perSample = Math.max(1, Math.floor(this.maxConfigs / K));
    this.rows = perSample * K;
    this.sampled = true;
    this.sampleK = Int32Array.from({ length: this.rows }, (_, s) => s % K);
    this.q = new Float64Array(this.rows * K).fill(1);
    this.logScale = new Float64Array(this.rows);
    for (const pk of this.chosen) this.extendSamples(pk);
  }

  private extendSamples(pk: Float64Array): void {
    const { K, C } = this;
    for (let s = 0; s < this.rows; s++) {
      const from = this.sampleK[s];
      let u = this.rng.uniform();
      let y = -1;
      for (let c = 0; c < C; c++) {
        const pc = pk[from * C + c];
        if (pc <= 0) continue;
        y = c; // rounding: fall back to the last label with positive probability
        if ((u -= pc) < 0) break;
      }
      let max = 0;
      for (let k = 0; k < K; k++) max = Math.max(max, this.q[s * K + k] *= pk[k * C + y]);
      for (let k = 0; k < K; k++) this.q[s * K + k] /= max;
      this.logScale[s] += Math.log(max);
    }
  }

  /**
   * Joint entropies H(chosen, y_x) of the candidates [from, to) into `out`; the row weights and
   * the uploaded table are prepared once, the candidates go through in chunks.
   */
  async jointEntropies(p: McProbs, from: number, to: number, chunk: number, out: Float64Array): Promise<void> {
    const { K, C, rows } = this;
    // Row weights and the candidate-independent part (see the header comment).
    const weights = new Float64Array(rows);
    const qMeans = new Float64Array(rows);
    let constant = 0;
    for (let s = 0; s < rows; s++) {
      let qs = 0;
      for (let k = 0; k < K; k++) qs += this.q[s * K + k];
      qMeans[s] = qs /= K;
      if (this.sampled) {
        weights[s] = 1 / (rows * qs);
        constant -= this.logScale[s] / rows;
      } else {
        const a = Math.exp(this.logScale[s]);
        weights[s] = a;
        constant -= a * qs * this.logScale[s];
      }
    }
    const logK = Math.log(K);
    const q = tf.tensor2d(Float32Array.from(this.q), [rows, K]);
    try {
      for (let start = from; start < to; start += chunk) {
        const end = Math.min(to, start + chunk);
        const m = end - start;
        // G = K * q(s, y_x): one matrix product on the backend; the x log x reduction is fused in
        // JS (cheaper than three rows x m x C intermediates). With sum_y G[s, y] = K q_s,
        // sum_y q log q = (1/K) sum_y G log G - q_s log K.
        const x = candidateMatrix(p, start, end);
        let G: Float32Array;
        try {
          G = await readTidy(() => tf.matMul(q, x));
        } finally {
          x.dispose();
        }
        const h = new Float64Array(m);
        for (let s = 0; s < rows; s++) {
          const w = weights[s];
          if (w === 0) continue;
          const rowOff = s * m * C;
          const qsLogK = qMeans[s] * logK;
          for (let i = 0; i < m; i++) {
            let acc = 0;
            const off = rowOff + i * C;
            for (let c = 0; c < C; c++) {
              const g = G[off + c];
              if (g > 0) acc += g * Math.log(g);
            }
            h[i] += w * (acc / K - qsLogK);
          }
        }
        for (let i = 0; i < m; i++) out[start + i] = constant - h[i];
      }
    } finally {
      q.dispose();
    }
  }
}

function candidateMatrix(p: McProbs, from: number, to: number): tf.Tensor2D {
  const { T, N, C, data } = p;
  const width = (to - from) * C;
  const buf = new Float32Array(T * width);
  for (let t = 0; t < T; t++) buf.set(data.subarray((t * N + from) * C, (t * N + to) * C), t * width);
  return tf.tensor2d(buf, [T, width]);
}

function pointProbs(p: McProbs, n: number): Float64Array {
  const { T, N, C, data } = p;
  const out = new Float64Array(T * C);
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) out[t * C + c] = data[(t * N + n) * C + c];
  return out;
}

function defaultChunk(p: McProbs, maxConfigs: number): number {
  // Keep the rows x chunk x C intermediate near 32M floats.
  return Math.max(1, Math.min(p.N, Math.floor(32e6 / (Math.min(maxConfigs, 1e6) * p.C))));
}

export interface BatchBaldResult {
  indices: number[];
  /** The BatchBALD value of the batch after each greedy step. */
  scores: number[];
}

/** Greedy BatchBALD batch of size k. */
export async function batchBald(p: McProbs, k: number, opts: BatchBaldOptions): Promise<BatchBaldResult> {
  checkMcProbs(p, "batchBald");
  if (k > p.N) throw new Error(`batchBald: batch size ${k} exceeds ${p.N} candidates`);
  if (!(opts.maxConfigs >= p.T)) throw new Error(`batchBald: maxConfigs (${opts.maxConfigs}) must be >= the number of MC samples K=${p.T}`);
  const conditional = expectedEntropy(p);
  const table = new JointTable(p.T, p.C, opts.maxConfigs, opts.rng);
  const chunk = opts.chunk ?? defaultChunk(p, opts.maxConfigs);
  const taken = new Uint8Array(p.N);
  const indices: number[] = [];
  const scores: number[] = [];
  let chosenConditional = 0;
  for (let step = 0; step < k; step++) {
    const joint = new Float64Array(p.N);
    await table.jointEntropies(p, 0, p.N, chunk, joint);
    let best = -1;
    let bestScore = -Infinity;
    for (let n = 0; n < p.N; n++) {
      if (taken[n]) continue;
      const score = joint[n] - chosenConditional - conditional[n];
      if (Number.isNaN(score)) throw new Error(`batchBald: score of candidate ${n} is NaN`);
      if (score > bestScore) { best = n; bestScore = score; }
    }
    taken[best] = 1;
    indices.push(best);
    scores.push(bestScore);
    chosenConditional += conditional[best];
    if (step + 1 < k) table.add(pointProbs(p, best));
  }
  return { indices, scores };
}

/** Joint predictive entropy H(y_i for i in `points`), exact or sampled as in batchBald. */
export async function jointEntropy(p: McProbs, points: readonly number[], opts: BatchBaldOptions): Promise<number> {
  checkMcProbs(p, "jointEntropy");
  if (points.length === 0) return 0;
  const table = new JointTable(p.T, p.C, opts.maxConfigs, opts.rng);
  for (const n of points.slice(0, -1)) table.add(pointProbs(p, n));
  const last = points[points.length - 1];
  const out = new Float64Array(p.N);
  await table.jointEntropies(p, last, last + 1, 1, out);
  return out[last];
}
