// Dropout whose masks come from seeds we control. tfjs's Dropout with a fixed `seed` reuses one
// mask on every call, and without a seed it draws from an unseeded source; neither gives
// reproducible MC dropout. Every McDropout layer of a model reads a shared DropoutControl:
//   mode "off"   -> identity (deterministic prediction, validation loss)
//   mode "train" -> a fresh per-example mask from `seed` (set anew for every optimiser step)
//   mode "mc"    -> the mask of MC pass `seed`; with `consistent` one mask per pass shared by
//                   every input (broadcast over the batch), otherwise one per example.
// BatchNorm is unaffected: MC passes call the model with training=false, so batch norm stays in
// inference mode while dropout is on.
import * as tf from "@tensorflow/tfjs";
import { counterMask, deviceDropoutMask, deviceMasksActive } from "../compute/webgpu-dropout";

export interface DropoutControl {
  mode: "off" | "train" | "mc";
  seed: number;
  consistent: boolean;
  /** Offset of the current chunk within the whole input (keeps per-example masks distinct across chunks). */
  chunk: number;
}

export function newDropoutControl(): DropoutControl {
  return { mode: "off", seed: 1, consistent: true, chunk: 0 };
}

/** A 31-bit mix of integers (for deriving per-layer / per-chunk mask seeds). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h ^= p & 0xffffffff;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 15;
  }
  return (h >>> 1) || 1;
}

/**
 * A dropout keep-mask scaled by 1/(1-rate): entry i is 1/(1-rate) with probability 1-rate, else 0,
 * from a mulberry32 stream seeded by `seed`. Generated in JS at ~3 ns per value: tf.randomUniform
 * costs ~25 ns per value (seedrandom per element), which was a third of an MC pass of LeNet-5.
 */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const mask = new Float32Array(size);
  const scale = 1 / (1 - rate);
  const threshold = rate * 4294967296; // keep when the 32-bit draw u satisfies u / 2^32 >= rate
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = (t ^ (t >>> 14)) >>> 0;
    if (u >= threshold) mask[i] = scale;
  }
  return mask;
}

/**
 * The mask values this backend's McDropout layers use for (size, rate, seed), in JavaScript: the
 * webgpu backend's device stream (its exact twin) or the mulberry32 stream everywhere else. For code
 * that builds masks itself (the factored MC passes) and must agree with the layers.
 */
export function backendMaskValues(size: number, rate: number, seed: number): Float32Array {
  return deviceMasksActive() ? counterMask(size, rate, seed) : dropoutMask(size, rate, seed);
}

let instances = 0; // unique layer names within the process

export class McDropout extends tf.layers.Layer {
  static className = "McDropout";
  /**
   * `channelwise`: one mask entry per channel of an NHWC feature map (PyTorch's Dropout2d, as in
   * BatchBALD's ConsistentMCDropout2d), instead of one per activation.
   */
  constructor(readonly rate: number, readonly control: DropoutControl, readonly layerIndex: number, readonly channelwise = false) {
    super({ name: `mc_dropout_${layerIndex}_${++instances}`, trainable: false });
    if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate ${rate} must be in [0, 1)`);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const c = this.control;
    if (c.mode === "off" || this.rate === 0) return x;
    return tf.tidy(() => {
      const consistent = c.mode === "mc" && c.consistent;
      const perExample = this.channelwise ? [...x.shape.slice(1, -1).map(() => 1), x.shape[x.shape.length - 1]] : x.shape.slice(1);
      const shape = [consistent ? 1 : x.shape[0], ...perExample];
      const seed = mixSeed(c.seed, this.layerIndex, consistent ? 0 : c.chunk);
      const size = shape.reduce((a, b) => a * b, 1);
      // On webgpu the mask is drawn on the device (a per-backend stream: src/compute/webgpu-dropout.ts).
      const mask = deviceMasksActive() ? deviceDropoutMask(shape, this.rate, seed) : tf.tensor(dropoutMask(size, this.rate, seed), shape);
      return tf.mul(x, mask);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, channelwise: this.channelwise };
  }
}
