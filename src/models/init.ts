// Weight initialisers by name. "glorot" is Keras' default (tfjs' glorotUniform, zero biases);
// "pytorch" is PyTorch's default for nn.Conv2d and nn.Linear, which the PyTorch papers' code uses:
// weights kaiming_uniform_(a = sqrt(5)), i.e. U(-b, b) with b = gain * sqrt(3 / fan_in) and
// gain = sqrt(2 / (1 + 5)), so b = 1 / sqrt(fan_in); biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";

export type InitName = "glorot" | "pytorch";
export const INIT_NAMES: readonly InitName[] = ["glorot", "pytorch"];

/** fan_in of a tfjs kernel: [kh, kw, in, out] -> kh*kw*in, [in, out] -> in (PyTorch's definition). */
export function fanIn(kernelShape: readonly number[]): number {
  if (kernelShape.length < 2) throw new Error(`fanIn: kernel shape [${kernelShape.join(", ")}] has no input axis`);
  return kernelShape.slice(0, -1).reduce((a, b) => a * b, 1);
}

/** PyTorch's default bound for both the weights and the bias of a layer with this kernel. */
export function pytorchBound(kernelShape: readonly number[]): number {
  return 1 / Math.sqrt(fanIn(kernelShape));
}

/** `size` values uniform in [-bound, bound) from a mulberry32 stream (fast and seeded). */
export function uniformValues(size: number, bound: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (2 * u - 1) * bound;
  }
  return out;
}

const PYTORCH_LAYERS = new Set(["Conv2D", "Dense"]);

/** Re-initialises every convolution and dense layer of `net` as PyTorch does (one seed per tensor from `rng`). */
export function initialiseLikePyTorch(net: tf.LayersModel, rng: Rng): void {
  for (const layer of net.layers) {
    if (!PYTORCH_LAYERS.has(layer.getClassName())) continue;
    const weights = layer.getWeights();
    const bound = pytorchBound(weights[0].shape);
    const fresh = weights.map((w) => tf.tensor(uniformValues(w.size, bound, rng.seed()), w.shape));
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}
