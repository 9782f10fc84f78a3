import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import { readTidy } from "../src/compute/read";
import { trainModel } from "../src/training/train";
import { mlp } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";

// A read resolves as a microtask on cpu / wasm, which never lets timers or signal handlers run: a
// step of reads and epochs must still give the event loop turns (SIGTERM's lock release, the heartbeat).
test("long chains of reads and training epochs let timers run (signals and the lock heartbeat are not held off)", async () => {
  await initBackend("cpu");
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    const start = performance.now();
    while (performance.now() - start < 500) await readTidy(() => tf.ones([10]));
    assert.ok(ticks >= 3, `only ${ticks} timer ticks in 500 ms of reads`);
    ticks = 0;
    const m = mlp(new Rng(1), 4, [8], 2, 0.1);
    const x = tf.randomNormal([16, 4], 0, 1, "float32", 1);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), "int32"), 2).toFloat();
    const t0 = performance.now();
    await trainModel(m, { x, y }, null, { epochs: 300, batchSize: 0, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy" }, new Rng(2));
    const seconds = (performance.now() - t0) / 1000;
    if (seconds > 0.3) assert.ok(ticks >= 2, `only ${ticks} timer ticks in ${seconds.toFixed(2)} s of training`);
    tf.dispose([x, y]);
  } finally {
    clearInterval(timer);
  }
});

test("one long epoch lets timers run between its batches (a SIGTERM does not wait for the epoch's end)", async () => {
  await initBackend("cpu");
  const m = mlp(new Rng(1), 4, [8], 2, 0.1);
  const x = tf.randomNormal([16, 4], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), "int32"), 2).toFloat();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    const t0 = performance.now();
    await trainModel(m, { x, y }, null, { epochs: 1, batchSize: 4, epochSamples: 12000, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy" }, new Rng(2));
    const seconds = (performance.now() - t0) / 1000;
    // breathe() yields at most every 100 ms: a 1 s epoch gives ~10 turns; only the end of an epoch would give 1.
    if (seconds > 0.5) assert.ok(ticks >= 3, `only ${ticks} timer ticks in a ${seconds.toFixed(2)} s epoch`);
    else assert.fail(`the epoch took only ${seconds.toFixed(2)} s: too short to tell (raise epochSamples)`);
  } finally {
    clearInterval(timer);
    tf.dispose([x, y]);
  }
});
