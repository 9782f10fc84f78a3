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
    await breathe();
  }
}

let lastTurn = 0;

/**
 * Lets the event loop take a turn (signals, timers: the lock heartbeat, SIGTERM's lock release, a
 * notebook's interrupt) at most every `everyMs`. On cpu / wasm an awaited read resolves as a
 * microtask, which never yields: without this, a 20-minute step would hold off a SIGTERM for its
 * whole length. Scheduling only: no number changes.
 */
export async function breathe(everyMs = 100): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < everyMs) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
