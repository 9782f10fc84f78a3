// Reading a result out of a tidy scope. tf.tidy walks whatever its callback returns looking for
// tensors, element by element for a typed array (~1 us per element: a 5M-value dataSync returned
// from tidy cost a minute). So the tensor leaves the scope, is read, then disposed.
import * as tf from "@tensorflow/tfjs";

export function readTidy(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
