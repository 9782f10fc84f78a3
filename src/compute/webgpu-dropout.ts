// Dropout masks drawn on the GPU. Masks made in JavaScript (src/models/dropout.ts) are uploaded at
// every MC pass and optimiser step: on an H200 the GPU sat idle for 86-99% of an MC chunk of the
// small networks waiting for them (README "GPU path"). On the webgpu backend a mask is one small
// compute program instead: entry i keeps (1 / (1 - rate)) when a counter-based hash of (seed, i)
// is at least rate * 2^32. The hash is Chris Wellons' "lowbias32"; `counterMask` is its exact
// JavaScript twin (the test compares them bit for bit on lavapipe).
//
// This is a per-backend mask stream: the same seed gives other masks on webgpu than on cpu / wasm
// (whose masks come from a sequential mulberry32 stream), so "same seed, same backend, same
// curves" holds, and webgpu runs are not bit-comparable to wasm runs (they never were: float
// rounding differs). BAL_WEBGPU_MASKS=js keeps the JavaScript masks on webgpu.
import * as tf from "@tensorflow/tfjs";

/** lowbias32: a 32-bit integer hash with good avalanche (u32 arithmetic). */
export function lowbias32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** The keep threshold of a rate as an unsigned 32-bit integer (keep when the hash is >= it). */
export function keepThreshold(rate: number): number {
  return Math.min(4294967295, Math.floor(rate * 4294967296));
}

/** The counter-based mask in JavaScript (the device program's twin). */
export function counterMask(size: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const scale = 1 / (1 - rate);
  const key = lowbias32(seed);
  const threshold = keepThreshold(rate);
  for (let i = 0; i < size; i++) if (lowbias32((lowbias32(i) ^ key) >>> 0) >= threshold) out[i] = scale;
  return out;
}

/** The WebGPU program (tfjs-backend-webgpu's WebGPUProgram shape; the backend adds the bindings and `size`). */
function maskProgram(shape: number[]): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { webgpu_util } = require("@tensorflow/tfjs-backend-webgpu") as { webgpu_util: { flatDispatchLayout(s: number[]): { x: number[] }; computeDispatch(l: { x: number[] }, s: number[], w: number[]): number[] } };
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const dispatchLayout = webgpu_util.flatDispatchLayout(shape);
  return {
    variableNames: [], outputShape: shape, uniforms: "seedKey : u32, threshold : u32, scale : f32,", workgroupSize, size: true,
    dispatchLayout, dispatch: webgpu_util.computeDispatch(dispatchLayout, shape, workgroupSize), shaderKey: "bal_dropout_mask",
    getUserCode: () => `
      fn lowbias32(v : u32) -> u32 {
        var x = v;
        x = x ^ (x >> 16u);
        x = x * 0x7feb352du;
        x = x ^ (x >> 15u);
        x = x * 0x846ca68bu;
        x = x ^ (x >> 16u);
        return x;
      }
      fn main(index : i32) {
        if (index < uniforms.size) {
          let h = lowbias32(lowbias32(u32(index)) ^ uniforms.seedKey);
          setOutputAtIndex(index, select(0.0, uniforms.scale, h >= uniforms.threshold));
        }
      }`,
  };
}

/** Whether masks are drawn on the device now (webgpu backend, not turned off). */
export function deviceMasksActive(): boolean {
  return tf.getBackend() === "webgpu" && process.env.BAL_WEBGPU_MASKS !== "js";
}

/** The mask as a tensor made on the GPU (call only when deviceMasksActive()). */
export function deviceDropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const backend = tf.backend() as unknown as { runWebGPUProgram(p: unknown, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: { type: string; data: number[] }[]): tf.TensorInfo };
  const info = backend.runWebGPUProgram(maskProgram(shape), [], "float32", [
    { type: "uint32", data: [lowbias32(seed)] }, { type: "uint32", data: [keepThreshold(rate)] }, { type: "float32", data: [1 / (1 - rate)] },
  ]);
  return tf.engine().makeTensorFromTensorInfo(info);
}
