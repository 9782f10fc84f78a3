import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { AdamW } from "../src/training/adamw";
import { initBackend } from "../src/compute/backend";

before(async () => { await initBackend("cpu"); });

test("AdamW matches two hand-computed steps (decoupled weight decay)", () => {
  const w = tf.variable(tf.scalar(1), true, "w_adamw_test");
  const opt = new AdamW({ lr: 0.1, weightDecay: 0.1 });
  // step 1, g = 0.5: w = 1*(1 - 0.01) = 0.99; m = 0.05, v = 0.00025; mhat = 0.5, vhat = 0.25 -> update 1
  //   w = 0.99 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.89
  opt.step([w], { w_adamw_test: tf.scalar(0.5) });
  assert.ok(Math.abs(w.dataSync()[0] - (0.99 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-6);
  // step 2, g = -0.5: m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975
  //   mhat = -0.005/0.19, vhat = 0.00049975/0.001999 = 0.25; w = 0.89*0.99 - 0.1*mhat/(0.5+1e-8) = 0.88636316
  opt.step([w], { w_adamw_test: tf.scalar(-0.5) });
  const mhat = -0.005 / 0.19;
  const vhat = 0.00049975 / (1 - 0.999 ** 2);
  const expected = 0.89 * 0.99 - 0.1 * mhat / (Math.sqrt(vhat) + 1e-8);
  assert.ok(Math.abs(w.dataSync()[0] - expected) < 1e-6, `${w.dataSync()[0]} vs ${expected}`);
  assert.ok(Math.abs(expected - 0.88636316) < 1e-6);
  opt.dispose();
  w.dispose();
});

test("AdamW with weight decay 0 equals tfjs Adam", () => {
  const a = tf.variable(tf.tensor1d([1, -2, 3]), true, "a_adam_eq");
  const b = tf.variable(tf.tensor1d([1, -2, 3]), true, "b_adam_eq");
  const mine = new AdamW({ lr: 0.01, weightDecay: 0 });
  const ref = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
  for (let i = 0; i < 5; i++) {
    const g = tf.tensor1d([0.3 * i - 0.5, 0.1, -0.7 + i * 0.2]);
    mine.step([a], { a_adam_eq: g });
    ref.applyGradients({ b_adam_eq: g } as unknown as Parameters<typeof ref.applyGradients>[0]);
  }
  const da = a.dataSync();
  const db = b.dataSync();
  da.forEach((v, i) => assert.ok(Math.abs(v - db[i]) < 1e-6));
});
