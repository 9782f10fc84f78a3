// Predictions of a trained network: deterministic logits, and T Monte-Carlo dropout passes as
// probabilities laid out [T][N][C] (the input of every acquisition function).
import * as tf from "@tensorflow/tfjs";
import { BayesianModel } from "../models/types";
import { McDropout, backendMaskValues, mixSeed } from "../models/dropout";
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
   * statistics, and the running statistics are updated as in PyTorch's training mode, momentum 0.1;
   * tfjs moves the running variance by the biased batch variance where PyTorch uses the unbiased
   * one, a factor n / (n - 1) with n = inputs x positions per channel: 80 x 64 = 5,120 or more in the MNIST
   * network's passes, down to 80 x 4 = 320 at the CIFAR-10 network's last, 2 x 2 block).
   */
  batchNorm?: "inference" | "batch-statistics";
  /**
   * Consistent channel dropout before a linear convolution: factor the convolution (see
   * channelFactoredSuffix). Default: on every backend but webgpu, where it was slower (NVIDIA H200,
   * 500 images x K = 50: 1.78 s factored vs 1.17 s plain per 1,000 images; wasm: 3.38 vs 13.09 s).
   */
  factorChannelDropout?: boolean;
  /**
   * Factored path: passes per mask product (default: as many as fit FACTORED_PRODUCT_FLOATS). Every
   * grouping gives the same numbers bit for bit (each output is the same dot product over channels);
   * 1 is the per-pass product of the first factored path, the baseline of the tests and bench.
   */
  factoredPassesPerProduct?: number;
  /**
   * With batch statistics: compute the layers before the first dropout once per chunk (default
   * true), their running statistics moved as the T passes would have moved them (prefixOncePerChunk).
   * false runs the whole network in every pass: the same numbers, the baseline of the tests and bench.
   */
  batchStatisticsPrefixOnce?: boolean;
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

/** tfjs' BatchNormalization, whose running statistics are not in its public typings. */
interface BatchNormInternals { momentum: number; movingMean: tf.LayerVariable; movingVariance: tf.LayerVariable }

/** Whether every batch norm among `layers` normalises over all axes but the last (tfjs' regular training path). */
export function prefixOnceSupported(layers: tf.layers.Layer[]): boolean {
  return layers.every((l) => l.getClassName() !== "BatchNormalization" || [-1, (l.outputShape as number[]).length - 1].includes(l.getConfig().axis as number));
}

/**
 * The layers before the first dropout under batch statistics, once per chunk: their output is the
 * same in every pass (a chunk's own statistics normalise it), so only their running statistics
 * differ from T whole passes, each batch norm having moved them T times by the same chunk
 * statistics. Those T - 1 further moves are replayed with tfjs' own update (`doMovingAverage` in
 * tfjs-layers' BatchNormalization, on `tf.moments` of the same input): the same float operations,
 * so the same running statistics as T whole passes.
 */
function prefixOncePerChunk(prefix: tf.layers.Layer[], x: tf.Tensor, T: number): tf.Tensor {
  return tf.tidy(() => {
    let h = x;
    for (const layer of prefix) {
      const input = h;
      h = layer.apply(input, { training: true }) as tf.Tensor;
      if (layer.getClassName() !== "BatchNormalization") continue;
      const bn = layer as unknown as BatchNormInternals;
      const { mean, variance } = tf.moments(input, [...Array(input.rank - 1).keys()]);
      const decay = 1 - bn.momentum;
      for (let t = 1; t < T; t++) {
        for (const [variable, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
          tf.tidy(() => {
            const orig = variable.read();
            variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
          });
        }
      }
    }
    return h;
  });
}

/**
 * The suffix of a network whose first MC layer is a consistent channel dropout followed (through
 * max-pools and ReLUs only) by a linear convolution: BatchBALD's BayesianMNISTCNN. A channel mask m
 * of non-negative entries commutes with max-pool and ReLU, and conv(m ⊙ h) = Σ_c m_c · conv_c(h_c)
 * + b, so the convolution's per-input-channel contributions (one depthwise convolution, once per
 * input) and a matrix product per pass (masks x contributions, several passes per product) replace
 * the convolution in every pass: the same sums in another order (float rounding only), 25x fewer
 * multiply-adds per pass for 5x5 kernels; the product is memory-bound, so end to end it takes 0.28x
 * the plain passes' time on wasm at K = 20 (`make bench-mc-factored`).
 */
interface ChannelFactoredSuffix { dropout: McDropout; commuting: tf.layers.Layer[]; conv: tf.layers.Layer; rest: tf.layers.Layer[] }

export function channelFactoredSuffix(suffix: tf.layers.Layer[]): ChannelFactoredSuffix | null {
  const [dropout, ...after] = suffix;
  if (!(dropout instanceof McDropout) || !dropout.channelwise || dropout.rate === 0) return null;
  const commutes = (l: tf.layers.Layer) => l.getClassName() === "MaxPooling2D" || (l.getClassName() === "Activation" && l.getConfig().activation === "relu");
  let i = 0;
  while (i < after.length && commutes(after[i])) i++;
  const conv = after[i];
  if (!conv || conv.getClassName() !== "Conv2D") return null;
  const c = conv.getConfig();
  const dilation = [c.dilationRate].flat();
  if (c.activation !== "linear" || c.dataFormat !== "channelsLast" || dilation.some((d) => d !== 1)) return null;
  return { dropout, commuting: after.slice(0, i), conv, rest: after.slice(i + 1) };
}

/** Inputs per block of the factored path: the contributions take n x (H'W' x Cin x Cout) floats. */
const FACTORED_BLOCK = 128;
/**
 * Most floats of the passes' products held at once (passes x n H'W'Cout): 2^25, 128 MB, 64 passes of
 * a 128-input block of BayesianMNISTCNN. One product for many passes reads the contributions once
 * (`make bench-mc-factored`, K = 20 on wasm: 1.5 s per 1,000 images against 2.1 s with one product per pass).
 */
const FACTORED_PRODUCT_FLOATS = 1 << 25;

/** The T passes of one chunk through a channel-factored suffix, handing head(output) of each pass and block to `write`. */
async function factoredPasses(f: ChannelFactoredSuffix, features: tf.Tensor, opts: McOptions, d: McDropout["control"], head: (out: tf.Tensor) => tf.Tensor, write: (t: number, offset: number, values: Float32Array) => void): Promise<void> {
  const [kernel, bias] = f.conv.getWeights();
  const [, , cin, cout] = kernel.shape;
  const c = f.conv.getConfig();
  const strides = [c.strides].flat() as number[];
  const stride: [number, number] = strides.length === 1 ? [strides[0], strides[0]] : [strides[0], strides[1]];
  const masks = tf.tensor2d(opts.passSeeds.flatMap((seed) => Array.from(backendMaskValues(cin, f.dropout.rate, mixSeed(seed, f.dropout.layerIndex, 0)))), [opts.T, cin]);
  try {
    for (let s = 0; s < features.shape[0]; s += FACTORED_BLOCK) {
      const n = Math.min(FACTORED_BLOCK, features.shape[0] - s);
      // [Cin, n * H' * W' * Cout]: each input channel's contribution to the convolution's output.
      const outShape: number[] = [];
      const byChannel = tf.tidy(() => {
        const h = applyLayers(f.commuting, features.slice(s, n));
        const contrib = tf.depthwiseConv2d(h as tf.Tensor4D, kernel as tf.Tensor4D, stride, c.padding as "valid" | "same");
        const [, ho, wo] = contrib.shape;
        outShape.push(n, ho, wo, cout);
        return contrib.reshape([n * ho * wo, cin, cout]).transpose([1, 0, 2]).reshape([cin, n * ho * wo * cout]);
      });
      try {
        // The passes' products [passes, n H' W' Cout], as many passes at a time as the budget allows:
        // one product reads the contributions once for all of them (T products read them T times).
        const per = byChannel.shape[1] as number;
        const group = opts.factoredPassesPerProduct ?? Math.max(1, Math.floor(FACTORED_PRODUCT_FLOATS / per));
        for (let t0 = 0; t0 < opts.T; t0 += group) {
          const g = Math.min(group, opts.T - t0);
          const products = tf.tidy(() => tf.matMul(masks.slice([t0, 0], [g, cin]), byChannel));
          try {
            for (let t = t0; t < t0 + g; t++) {
              d.seed = opts.passSeeds[t];
              const out = await readTidy(() => {
                let y: tf.Tensor = products.slice([t - t0, 0], [1, per]).reshape(outShape);
                if (bias) y = tf.add(y, bias);
                return head(applyLayers(f.rest, y));
              });
              write(t, s, out);
            }
          } finally {
            products.dispose();
          }
        }
      } finally {
        byChannel.dispose();
      }
    }
  } finally {
    masks.dispose();
  }
}

/** Runs T MC-dropout passes, writing `head(network output)` (width values per input) as [T][N][width]. */
async function mcPasses(model: BayesianModel, x: Float32Array | tf.Tensor, opts: McOptions, head: (out: tf.Tensor) => tf.Tensor): Promise<{ N: number; data: Float32Array }> {
  if (opts.passSeeds.length !== opts.T) throw new Error(`MC dropout: ${opts.passSeeds.length} pass seeds for T=${opts.T}`);
  const perProduct = opts.factoredPassesPerProduct;
  if (perProduct !== undefined && !(Number.isInteger(perProduct) && perProduct >= 1)) throw new Error(`MC dropout: factoredPassesPerProduct ${perProduct} is not a positive integer`);
  const xs = toInput(model, x);
  const N = xs.shape[0];
  const width = model.numClasses;
  const chunk = opts.chunk ?? 2048;
  const data = new Float32Array(opts.T * N * width);
  // With batch statistics every layer depends on its chunk: the prefix can be computed once per
  // chunk (its running statistics replayed), not once per input.
  const batchStats = opts.batchNorm === "batch-statistics";
  const split = splitAtFirstDropout(model);
  const prefixOnce = !batchStats || ((opts.batchStatisticsPrefixOnce ?? true) && prefixOnceSupported(split.prefix));
  const { prefix, suffix } = prefixOnce ? split : { prefix: [], suffix: model.net.layers };
  const factor = opts.factorChannelDropout ?? tf.getBackend() !== "webgpu";
  const factored = opts.consistent && !batchStats && factor ? channelFactoredSuffix(suffix) : null;
  const d = model.dropout;
  d.mode = "mc";
  d.consistent = opts.consistent;
  try {
    for (let s = 0; s < N; s += chunk) {
      const size = Math.min(chunk, N - s);
      d.chunk = s;
      const features = tf.tidy(() => (batchStats ? prefixOncePerChunk(prefix, xs.slice(s, size), opts.T) : applyLayers(prefix, xs.slice(s, size))));
      try {
        if (factored) {
          await factoredPasses(factored, features, opts, d, head, (t, offset, out) => data.set(out, (t * N + s + offset) * width));
          continue;
        }
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
