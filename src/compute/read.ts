// Reading a result out of a tidy scope. tf.tidy walks whatever its callback returns looking for
// tensors, element by element for a typed array (~1 us per element: a 5M-value dataSync returned
// from tidy cost a minute). So the tensor leaves the scope, is read, then disposed.
// Reads are asynchronous: the webgpu backend cannot read synchronously under Node (its readSync
// needs a browser OffscreenCanvas), and on cpu / wasm `data()` costs the same as `dataSync()`.
import * as tf from "@tensorflow/tfjs";

export async function readTidy(fn: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(fn);
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
