// A run's network weights in its checkpoint (retrain "continue"): every weight as base64 float32.
import * as tf from "@tensorflow/tfjs";
import { BayesianModel } from "../models/types";

/** Every weight of a network (trainable and batch-norm statistics) as base64 float32. */
export async function encodeWeights(model: BayesianModel): Promise<string> {
  const values: Float32Array[] = [];
  for (const w of model.net.getWeights()) values.push((await w.data()) as Float32Array);
  const all = new Float32Array(values.reduce((a, v) => a + v.length, 0));
  let off = 0;
  for (const v of values) { all.set(v, off); off += v.length; }
  return Buffer.from(all.buffer).toString("base64");
}

export function restoreWeights(model: BayesianModel, encoded: string, where: string): void {
  const bytes = Buffer.from(encoded, "base64");
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const shapes = model.net.getWeights().map((w) => w.shape);
  const total = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  if (all.length !== total) throw new Error(`${where}: the checkpoint holds ${all.length} weights, ${model.name} has ${total}. Delete it to restart that run from its first step.`);
  let off = 0;
  const tensors = shapes.map((shape) => {
    const size = shape.reduce((x, y) => x * y, 1);
    const t = tf.tensor(all.subarray(off, off + size), shape);
    off += size;
    return t;
  });
  model.net.setWeights(tensors);
  tf.dispose(tensors);
}
