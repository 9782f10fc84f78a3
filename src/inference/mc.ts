// Predictions of a trained network: deterministic logits, and T Monte-Carlo dropout passes as
// probabilities laid out [T][N][C] (the input of every acquisition function).
import * as tf from "@tensorflow/tfjs";
import { BayesianModel } from "../models/classifiers";
import { McProbs } from "../acquisition/types";

export interface McOptions {
  T: number;
  /** One mask per pass shared by all inputs (needed by BatchBALD, EPIG, DEIMOS). */
  consistent: boolean;
  /** Seeds of the T passes (drawn from the run's generator). */
  passSeeds: number[];
  chunk?: number;
}

function toInput(model: BayesianModel, x: Float32Array | tf.Tensor): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  const row = model.inputShape.reduce((a, b) => a * b, 1);
  return tf.tensor(x, [x.length / row, ...model.inputShape]);
}

/** Deterministic outputs (dropout off, batch norm in inference mode): [N][outputs] row-major. */
export function predictOutputs(model: BayesianModel, x: Float32Array | tf.Tensor, chunk = 2048): Float32Array {
  const xs = toInput(model, x);
  const n = xs.shape[0];
  const out = new Float32Array(n * model.numClasses);
  model.dropout.mode = "off";
  for (let s = 0; s < n; s += chunk) {
    const size = Math.min(chunk, n - s);
    out.set(tf.tidy(() => (model.net.apply(xs.slice(s, size), { training: false }) as tf.Tensor).dataSync() as Float32Array), s * model.numClasses);
  }
  if (xs !== x) xs.dispose();
  return out;
}

/** T MC-dropout passes -> softmax probabilities [T][N][C]. */
export function mcProbabilities(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions): McProbs {
  if (opts.passSeeds.length !== opts.T) throw new Error(`mcProbabilities: ${opts.passSeeds.length} pass seeds for T=${opts.T}`);
  const xs = toInput(model, x);
  const N = xs.shape[0];
  const C = model.numClasses;
  const chunk = opts.chunk ?? 2048;
  const data = new Float32Array(opts.T * N * C);
  const d = model.dropout;
  d.mode = "mc";
  d.consistent = opts.consistent;
  try {
    for (let t = 0; t < opts.T; t++) {
      d.seed = opts.passSeeds[t];
      for (let s = 0; s < N; s += chunk) {
        const size = Math.min(chunk, N - s);
        d.chunk = s;
        const p = tf.tidy(() => tf.softmax(model.net.apply(xs.slice(s, size), { training: false }) as tf.Tensor).dataSync() as Float32Array);
        data.set(p, (t * N + s) * C);
      }
    }
  } finally {
    d.mode = "off";
    if (xs !== x) xs.dispose();
  }
  return { T: opts.T, N, C, data };
}

/** MC passes of a regressor -> outputs [T][N] (one output unit). */
export function mcRegression(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions): { T: number; N: number; data: Float32Array } {
  const xs = toInput(model, x);
  const N = xs.shape[0];
  const data = new Float32Array(opts.T * N);
  const d = model.dropout;
  d.mode = "mc";
  d.consistent = opts.consistent;
  try {
    for (let t = 0; t < opts.T; t++) {
      d.seed = opts.passSeeds[t];
      d.chunk = 0;
      data.set(tf.tidy(() => (model.net.apply(xs, { training: false }) as tf.Tensor).dataSync() as Float32Array), t * N);
    }
  } finally {
    d.mode = "off";
    if (xs !== x) xs.dispose();
  }
  return { T: opts.T, N, data };
}
