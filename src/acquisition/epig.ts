// EPIG (expected predictive information gain, Bickford Smith et al. 2023; "EPIG-BALD" in paper
// 002): the mutual information between a candidate's label and the label of a target input,
// averaged over target inputs x* drawn from the input distribution (here: from the pool):
//   EPIG(x) = E_{x*} sum_{y,y*} p(y,y*) log[p(y,y*) / (p(y) p(y*))],  p(y,y*) = E_k p_k(y|x) p_k(y*|x*).
// Since the marginals of p(y,y*) are the mean predictives,
//   EPIG(x) = H(x) + E_{x*} H(x*) + E_{x*} sum p(y,y*) log p(y,y*).
// Needs consistent MC dropout (the same K samples for candidates and targets).
import * as tf from "@tensorflow/tfjs";
import { maxEntropy } from "./scores";
import { checkMcProbs, McProbs } from "./types";
import { readTidy } from "../compute/read";

/** The probabilities of a subset of the inputs, same layout. */
export function subsetProbs(p: McProbs, indices: readonly number[]): McProbs {
  const { T, N, C, data } = p;
  const out = new Float32Array(T * indices.length * C);
  for (let t = 0; t < T; t++) {
    indices.forEach((n, j) => {
      if (n < 0 || n >= N) throw new Error(`subsetProbs: index ${n} out of range [0, ${N})`);
      out.set(data.subarray((t * N + n) * C, (t * N + n + 1) * C), (t * indices.length + j) * C);
    });
  }
  return { T, N: indices.length, C, data: out };
}

export async function epig(pool: McProbs, target: McProbs, chunk = 256): Promise<Float64Array> {
  checkMcProbs(pool, "epig pool");
  checkMcProbs(target, "epig target");
  if (pool.T !== target.T || pool.C !== target.C) {
    throw new Error(`epig: pool has K=${pool.T}, C=${pool.C} but target has K=${target.T}, C=${target.C}`);
  }
  const { T: K, N, C } = pool;
  const M = target.N;
  const hPool = maxEntropy(pool);
  const hTarget = maxEntropy(target).reduce((a, b) => a + b, 0) / M;
  const out = new Float64Array(N);
  const targetT = tf.tensor2d(Float32Array.from(target.data), [K, M * C]);
  try {
    for (let from = 0; from < N; from += chunk) {
      const to = Math.min(N, from + chunk);
      const m = to - from;
      const buf = new Float32Array(K * m * C);
      for (let k = 0; k < K; k++) buf.set(pool.data.subarray((k * N + from) * C, (k * N + to) * C), k * m * C);
      const jlogj = await readTidy(() => {
        const x = tf.tensor2d(buf, [K, m * C]);
        const joint = tf.div(tf.matMul(x, targetT, true, false), K); // (m*C) x (M*C)
        const terms = tf.mul(joint, tf.log(tf.maximum(joint, 1e-30)));
        return tf.sum(tf.reshape(terms, [m, C * M * C]), 1);
      });
      for (let i = 0; i < m; i++) out[from + i] = Math.max(0, hPool[from + i] + hTarget + jlogj[i] / M);
    }
  } finally {
    targetT.dispose();
  }
  return out;
}
