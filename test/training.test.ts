// Training options: batch order (shuffled or in the training set's order).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import { disposeModel, mlp } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";
import { trainModel, TrainConfig } from "../src/training/train";

test("shuffle false: batches in the training set's order every epoch, so the run's generator does not change the weights", async () => {
  await initBackend("cpu");
  const x = tf.randomNormal([20, 4], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 3), "int32"), 3).toFloat();
  const weightsAfter = (shuffle: boolean, trainSeed: number) => {
    const m = mlp(new Rng(1), 4, [8], 3, 0); // same initial weights, no dropout: the batch order is the only randomness
    const cfg: TrainConfig = { epochs: 3, batchSize: 6, patience: 0, loss: "softmax-cross-entropy", optimizer: { lr: 0.05, weightDecay: 0 }, keepBestValidation: false, shuffle };
    trainModel(m, { x, y }, null, cfg, new Rng(trainSeed));
    const w = m.net.getWeights().flatMap((t) => Array.from(t.dataSync()));
    disposeModel(m);
    return w;
  };
  assert.deepEqual(weightsAfter(false, 1), weightsAfter(false, 2));
  assert.notDeepEqual(weightsAfter(true, 1), weightsAfter(true, 2));
  tf.dispose([x, y]);
});
