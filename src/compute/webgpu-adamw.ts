// The AdamW update as three small programs per weight tensor on the webgpu backend. Written with
// tfjs ops (src/training/adamw.ts) one update is 15 kernels per tensor: 150 of the ~280 dispatches of
// a LeNet-5 training step, each recorded by the CPU while the GPU waits (README "GPU path": the GPU
// idles 38-81% of a training step). Here: the first moment, the second moment and the weight, one
// dispatch each, the same arithmetic in the same order (float32). BAL_WEBGPU_ADAMW=tfjs keeps the ops.
import * as tf from "@tensorflow/tfjs";

type Backend = { runWebGPUProgram(p: unknown, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: { type: string; data: number[] }[]): tf.TensorInfo };

/** Whether the AdamW update runs as device programs now (webgpu backend, not turned off). */
export function deviceAdamWActive(): boolean {
  return tf.getBackend() === "webgpu" && process.env.BAL_WEBGPU_ADAMW !== "tfjs";
}

/** An elementwise program over same-shaped inputs (tfjs-backend-webgpu's WebGPUProgram shape). */
function elementwise(shape: number[], variableNames: string[], uniforms: string, body: string, shaderKey: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { webgpu_util } = require("@tensorflow/tfjs-backend-webgpu") as { webgpu_util: { flatDispatchLayout(s: number[]): { x: number[] }; computeDispatch(l: { x: number[] }, s: number[], w: number[]): number[] } };
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const dispatchLayout = webgpu_util.flatDispatchLayout(shape);
  return {
    variableNames, outputShape: shape, uniforms, workgroupSize, size: true, shaderKey,
    dispatchLayout, dispatch: webgpu_util.computeDispatch(dispatchLayout, shape, workgroupSize),
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

function run(program: Record<string, unknown>, inputs: tf.Tensor[], uniforms: number[]): tf.Tensor {
  const backend = tf.backend() as unknown as Backend;
  const info = backend.runWebGPUProgram(program, inputs, "float32", uniforms.map((x) => ({ type: "float32", data: [x] })));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** beta * s + (1 - beta) * g, or with g squared: a moment of Adam (`oneMinusBeta` as the caller rounds it). */
export function deviceMoment(s: tf.Tensor, g: tf.Tensor, beta: number, oneMinusBeta: number, square: boolean): tf.Tensor {
  const gv = square ? "(g * g)" : "g";
  return run(elementwise(s.shape, ["s", "g"], "beta : f32, omb : f32,",
    `let s = getSByOutputIndex(index);
          let g = getGByOutputIndex(index);
          setOutputAtIndex(index, s * uniforms.beta + ${gv} * uniforms.omb);`, square ? "bal_adamw_v" : "bal_adamw_m"), [s, g], [beta, oneMinusBeta]);
}

/** w * decay - lr * (m / bc1) / (sqrt(v / bc2) + eps): the decoupled decay and the bias-corrected step. */
export function deviceWeightUpdate(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, decay: number, lr: number, bc1: number, bc2: number, eps: number): tf.Tensor {
  return run(elementwise(w.shape, ["w", "m", "v"], "decay : f32, lr : f32, bc1 : f32, bc2 : f32, eps : f32,",
    `let w = getWByOutputIndex(index);
          let update = (getMByOutputIndex(index) / uniforms.bc1) / (sqrt(getVByOutputIndex(index) / uniforms.bc2) + uniforms.eps);
          setOutputAtIndex(index, w * uniforms.decay - update * uniforms.lr);`, "bal_adamw_w"), [w, m, v], [decay, lr, bc1, bc2, eps]);
}
