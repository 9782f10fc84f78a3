// Training options: batch order (shuffled or in the training set's order).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import { disposeModel, mlp } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";
import { evaluateLoss, l2PenaltyValue, penalisedKernels, trainModel, TrainConfig } from "../src/training/train";
import { lenet5, lenet5FcDropout } from "../src/models/classifiers";
import { McDropout } from "../src/models/dropout";

test("shuffle false: batches in the training set's order every epoch, so the run's generator does not change the weights", async () => {
  await initBackend("cpu");
  const x = tf.randomNormal([20, 4], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 3), "int32"), 3).toFloat();
  const weightsAfter = async (shuffle: boolean, trainSeed: number) => {
    const m = mlp(new Rng(1), 4, [8], 3, 0); // same initial weights, no dropout: the batch order is the only randomness
    const cfg: TrainConfig = { epochs: 3, batchSize: 6, patience: 0, loss: "softmax-cross-entropy", optimizer: { lr: 0.05, weightDecay: 0 }, keepBestValidation: false, shuffle };
    await trainModel(m, { x, y }, null, cfg, new Rng(trainSeed));
    const w = m.net.getWeights().flatMap((t) => Array.from(t.dataSync()));
    disposeModel(m);
    return w;
  };
  assert.deepEqual(await weightsAfter(false, 1), await weightsAfter(false, 2));
  assert.notDeepEqual(await weightsAfter(true, 1), await weightsAfter(true, 2));
  tf.dispose([x, y]);
});

test("L2 penalty lambda * sum(W^2) on the dense kernels: gradient 2 lambda W by hand; lambda = C/N or fixed", async () => {
  await initBackend("cpu");
  const m = mlp(new Rng(3), 2, [3], 2, 0);
  const kernels = penalisedKernels(m, { c: 6, layers: "dense" });
  assert.equal(kernels.length, 2); // both dense kernels, no biases
  assert.deepEqual(kernels.map((k) => k.shape), [[2, 3], [3, 2]]);
  assert.equal(penalisedKernels(m, { c: 6, layers: "hidden-dense" }).length, 1);
  const W = kernels.map((k) => Array.from(k.dataSync()));
  // C = 6, N = 3 -> lambda = 2: value 2 * sum(W^2), gradient 4 W.
  const value = l2PenaltyValue(kernels, 6, 3).dataSync()[0];
  assert.ok(Math.abs(value - 2 * W.flat().reduce((a, w) => a + w * w, 0)) < 1e-5);
  const { grads } = tf.variableGrads(() => l2PenaltyValue(kernels, 6, 3), kernels as tf.Variable[]);
  kernels.forEach((k, i) => Array.from(grads[k.name].dataSync()).forEach((g, j) => assert.ok(Math.abs(g - 4 * W[i][j]) < 1e-5, `${g} vs ${4 * W[i][j]}`)));
  tf.dispose(Object.values(grads));
  // Training with a huge penalty shrinks the kernels toward 0; `fixed` ignores N.
  const x = tf.randomNormal([10, 2], 0, 1, "float32", 4);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], "int32"), 2).toFloat();
  const normAfter = async (l2: TrainConfig["l2"]) => {
    const net = mlp(new Rng(3), 2, [3], 2, 0);
    await trainModel(net, { x, y }, null, { epochs: 60, batchSize: 0, patience: 0, loss: "softmax-cross-entropy", optimizer: { lr: 0.05, weightDecay: 0 }, keepBestValidation: false, l2 }, new Rng(1));
    const n = penalisedKernels(net, { c: 0, layers: "dense" }).reduce((a, k) => a + tf.sum(tf.square(k)).dataSync()[0], 0);
    disposeModel(net);
    return n;
  };
  const free = await normAfter(undefined);
  assert.ok((await normAfter({ c: 50, layers: "dense" })) < free / 4);
  // lambda = c / N with N = 10: c = 0.5 is lambda 0.05; fixed c = 0.05 is the same penalty.
  assert.ok(Math.abs((await normAfter({ c: 0.5, layers: "dense" })) - (await normAfter({ c: 0.05, layers: "dense", fixed: true }))) < 1e-5);
  tf.dispose([x, y]);
  disposeModel(m);
});

test("DEIMOS' LeNet-5 has dropout before every dense layer; the plain LeNet-5 not before the output layer", async () => {
  await initBackend("cpu");
  const precededByDropout = (build: typeof lenet5) => {
    const m = build(new Rng(1));
    const layers = m.net.layers;
    const out = layers.flatMap((l, i) => (l.getClassName() === "Dense" ? [layers[i - 1] instanceof McDropout] : []));
    disposeModel(m);
    return out;
  };
  assert.deepEqual(precededByDropout(lenet5FcDropout), [true, true, true]);
  assert.deepEqual(precededByDropout(lenet5), [true, true, false]);
});

test("validation NLL from K MC samples: the renormalised geometric mean of the passes (by hand); equal to the deterministic loss without dropout", async () => {
  await initBackend("cpu");
  const x = tf.randomNormal([7, 4], 0, 1, "float32", 3);
  const labels = [0, 1, 2, 0, 1, 2, 0];
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat();
  const noDropout = mlp(new Rng(2), 4, [8], 3, 0);
  const det = await evaluateLoss(noDropout, { x, y }, "softmax-cross-entropy");
  assert.ok(Math.abs((await evaluateLoss(noDropout, { x, y }, "softmax-cross-entropy", 2048, [5, 6, 7])) - det) < 1e-6);
  disposeModel(noDropout);
  const m = mlp(new Rng(2), 4, [8], 3, 0.5);
  // By hand: the log-probabilities of each pass (same seeds, masks per example), averaged, renormalised, NLL.
  const passLogp = async (seed: number) => {
    Object.assign(m.dropout, { mode: "mc", seed, consistent: false, chunk: 0 });
    const lp = tf.logSoftmax(m.net.apply(x, { training: false }) as tf.Tensor);
    const v = (await lp.array()) as number[][];
    lp.dispose();
    return v;
  };
  const a = await passLogp(11);
  const b = await passLogp(12);
  m.dropout.mode = "off";
  const nll = labels.reduce((sum, c, i) => {
    const g = [0, 1, 2].map((k) => (a[i][k] + b[i][k]) / 2);
    const norm = Math.log(g.reduce((s, v) => s + Math.exp(v), 0));
    return sum - (g[c] - norm);
  }, 0) / labels.length;
  const got = await evaluateLoss(m, { x, y }, "softmax-cross-entropy", 2048, [11, 12]);
  assert.ok(Math.abs(got - nll) < 1e-5, `${got} vs ${nll} by hand`);
  assert.equal(m.dropout.mode, "off", "the dropout state is restored");
  assert.notEqual(got, await evaluateLoss(m, { x, y }, "softmax-cross-entropy"), "with dropout the MC loss differs from the deterministic one");
  await assert.rejects(() => evaluateLoss(m, { x, y }, "mse", 2048, [1]), /needs the softmax-cross-entropy loss/);
  disposeModel(m);
  tf.dispose([x, y]);
});
