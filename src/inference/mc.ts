// Predictions of a trained network: deterministic logits, and T Monte-Carlo dropout passes as
// probabilities laid out [T][N][C] (the input of every acquisition function).
import * as tf from "@tensorflow/tfjs";
import { BayesianModel } from "../models/classifiers";
import { McDropout } from "../models/dropout";
import { McProbs } from "../acquisition/types";
import { readTidy } from "../compute/read";

export interface McOptions {
  T: number;
  /** One mask per pass shared by all inputs (needed by BatchBALD, EPIG, DEIMOS). */
  consistent: boolean;
  /** Seeds of the T passes (drawn from the run's generator). */
  passSeeds: number[];
  chunk?: number;
  /**
   * Batch norm during the passes: "inference" (running statistics, the default) or
   * "batch-statistics" (the whole network in training mode, as `forward(x, training=True)` in the
   * hybrid paper's skorch code: each chunk of `chunk` inputs, in order, is normalised by its own
   * statistics, and the running statistics are updated as PyTorch does in training mode).
   */
  batchNorm?: "inference" | "batch-statistics";
}

function toInput(model: BayesianModel, x: Float32Array | tf.Tensor): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  const row = model.inputShape.reduce((a, b) => a * b, 1);
  return tf.tensor(x, [x.length / row, ...model.inputShape]);
}

/** Deterministic outputs (dropout off, batch norm in inference mode): [N][outputs] row-major. */
export async function predictOutputs(model: BayesianModel, x: Float32Array | tf.Tensor, chunk = 2048): Promise<Float32Array> {
  const xs = toInput(model, x);
  const n = xs.shape[0];
  const out = new Float32Array(n * model.numClasses);
  model.dropout.mode = "off";
  for (let s = 0; s < n; s += chunk) {
    const size = Math.min(chunk, n - s);
    out.set(await readTidy(() => model.net.apply(xs.slice(s, size), { training: false }) as tf.Tensor), s * model.numClasses);
  }
  if (xs !== x) xs.dispose();
  return out;
}

export type EmbeddingKind = "logits" | "penultimate";

/**
 * Deterministic embeddings [N][dim]: the output logits (the hybrid paper's embedding) or the
 * activations feeding the last layer (core-set / k-center's usual choice).
 */
export async function predictEmbeddings(model: BayesianModel, x: Float32Array | tf.Tensor, kind: EmbeddingKind, chunk = 2048): Promise<{ data: Float32Array; dim: number }> {
  if (kind === "logits") return { data: await predictOutputs(model, x, chunk), dim: model.numClasses };
  const layers = model.net.layers.slice(0, -1);
  const xs = toInput(model, x);
  const n = xs.shape[0];
  const parts: Float32Array[] = [];
  let dim = 0;
  model.dropout.mode = "off";
  try {
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      const out = await readTidy(() => {
        const h = applyLayers(layers, xs.slice(s, size));
        dim = h.size / size;
        return h;
      });
      parts.push(out);
    }
  } finally {
    if (xs !== x) xs.dispose();
  }
  const data = new Float32Array(n * dim);
  let off = 0;
  for (const p of parts) { data.set(p, off); off += p.length; }
  return { data, dim };
}

/**
 * The network split at its first MC-dropout layer: the layers before it are deterministic, so an
 * MC forward computes them once per input and only the rest T times (batchbald_redux's
 * deterministic_forward / mc_forward split). Same masks, same numbers as T whole passes.
 */
export function splitAtFirstDropout(model: BayesianModel): { prefix: tf.layers.Layer[]; suffix: tf.layers.Layer[] } {
  const layers = model.net.layers;
  const first = layers.findIndex((l) => l instanceof McDropout);
  const cut = first < 0 ? layers.length : first;
  return { prefix: layers.slice(0, cut), suffix: layers.slice(cut) };
}

function applyLayers(layers: tf.layers.Layer[], x: tf.Tensor, training = false): tf.Tensor {
  let h = x;
  for (const layer of layers) h = layer.apply(h, { training }) as tf.Tensor;
  return h;
}

/** Runs T MC-dropout passes, writing `head(network output)` (width values per input) as [T][N][width]. */
async function mcPasses(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions, head: (out: tf.Tensor) => tf.Tensor): Promise<{ N: number; data: Float32Array }> {
  if (opts.passSeeds.length !== opts.T) throw new Error(`MC dropout: ${opts.passSeeds.length} pass seeds for T=${opts.T}`);
  const xs = toInput(model, x);
  const N = xs.shape[0];
  const width = model.numClasses;
  const chunk = opts.chunk ?? 2048;
  const data = new Float32Array(opts.T * N * width);
  // With batch statistics every layer depends on the chunk, so nothing can be computed once.
  const batchStats = opts.batchNorm === "batch-statistics";
  const { prefix, suffix } = batchStats ? { prefix: [], suffix: model.net.layers } : splitAtFirstDropout(model);
  const d = model.dropout;
  d.mode = "mc";
  d.consistent = opts.consistent;
  try {
    for (let s = 0; s < N; s += chunk) {
      const size = Math.min(chunk, N - s);
      d.chunk = s;
      const features = tf.tidy(() => applyLayers(prefix, xs.slice(s, size)));
      try {
        for (let t = 0; t < opts.T; t++) {
          d.seed = opts.passSeeds[t];
          // readTidy disposes what it reads: never hand it `features` itself (a model without dropout).
          const out = await readTidy(() => head(suffix.length > 0 ? applyLayers(suffix, features, batchStats) : features.clone()));
          data.set(out, (t * N + s) * width);
        }
      } finally {
        features.dispose();
      }
    }
  } finally {
    d.mode = "off";
    if (xs !== x) xs.dispose();
  }
  return { N, data };
}

/** T MC-dropout passes -> softmax probabilities [T][N][C]. */
export async function mcProbabilities(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions): Promise<McProbs> {
  const { N, data } = await mcPasses(model, x, opts, (out) => tf.softmax(out));
  return { T: opts.T, N, C: model.numClasses, data };
}

/** MC passes of a regressor with one output unit -> outputs [T][N]. */
export async function mcRegression(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions): Promise<{ T: number; N: number; data: Float32Array }> {
  if (model.numClasses !== 1) throw new Error(`mcRegression: model has ${model.numClasses} outputs, expected 1`);
  const { N, data } = await mcPasses(model, x, opts, (out) => out);
  return { T: opts.T, N, data };
}
