import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { resnet18 } from "../src/models/resnet";
import { initBackend } from "../src/compute/backend";
import { conv2dFilterGradient, conv2dInputGradient } from "../src/compute/wasm-gradients";
import { conv2dFilterGradientIm2col } from "../src/compute/webgpu-kernels";
import { bayesianMnistCnn, dbalhqCifar10, dbalhqMnist, kerasCnn, lenet5, mlp, countParameters, disposeModel } from "../src/models/classifiers";
import { mcProbabilities } from "../src/inference/mc";
import { Rng } from "../src/seeding/rng";
import { McDropout, newDropoutControl } from "../src/models/dropout";
import { l2PenaltyValue } from "../src/training/train";

test("LeNet-5 has exactly 61,706 parameters", async () => {
  await initBackend("cpu");
  const m = lenet5(new Rng(1));
  assert.equal(countParameters(m), 61706);
  disposeModel(m);
});

test("paper 000's networks have the authors' parameter counts (80,010 and 1,599,006 trainable) and 10 logits", async () => {
  await initBackend("cpu");
  for (const [build, trainable, stats, shape] of [[dbalhqMnist, 80010, 2 * (64 + 128), [28, 28, 1]], [dbalhqCifar10, 1599006, 2 * (64 + 128 + 256 + 512 + 10), [32, 32, 3]]] as const) {
    const m = build(new Rng(1), 10, { init: "pytorch" });
    const count = (ws: tf.LayerVariable[]) => ws.reduce((a, w) => a + w.read().size, 0);
    assert.equal(count(m.net.trainableWeights), trainable, m.name);
    assert.equal(count(m.net.nonTrainableWeights), stats, `${m.name} batch-norm statistics`);
    assert.deepEqual(m.net.outputs[0].shape, [null, 10]);
    assert.deepEqual(m.inputShape, shape);
    disposeModel(m);
  }
});

test("MC dropout: fresh masks per pass; consistent mode shares a pass's mask across inputs", async () => {
  await initBackend("cpu");
  const m = mlp(new Rng(2), 4, [32], 3, 0.5);
  const x = tf.tensor2d(Array.from({ length: 6 * 4 }, (_, i) => (i % 4) + 1), [6, 4]); // 6 identical rows
  const seeds = [11, 12, 13];
  const rowsOf = (consistent: boolean) => mcProbabilities(m, x, { T: 3, consistent, passSeeds: seeds });
  const cons = await rowsOf(true);
  const row = (p: typeof cons, t: number, n: number) => Array.from(p.data.slice((t * 6 + n) * 3, (t * 6 + n + 1) * 3));
  for (let t = 0; t < 3; t++) for (let n = 1; n < 6; n++) assert.deepEqual(row(cons, t, n), row(cons, t, 0));
  assert.notDeepEqual(row(cons, 0, 0), row(cons, 1, 0)); // a new mask every pass
  const per = await rowsOf(false);
  assert.ok([1, 2, 3, 4, 5].some((n) => JSON.stringify(row(per, 0, n)) !== JSON.stringify(row(per, 0, 0))));
  // Same seeds, same masks: reproducible.
  assert.deepEqual(Array.from((await rowsOf(true)).data), Array.from(cons.data));
  x.dispose();
  disposeModel(m);
});

async function gradients(backend: "cpu" | "wasm" | "webgpu", build: (r: Rng) => ReturnType<typeof lenet5>): Promise<Float32Array[]> {
  await initBackend(backend);
  const m = build(new Rng(5));
  // With input seeds 9 and 10 one NiN-10 ReLU input lies within float32 rounding of zero, so the
  // backends take different sides of the kink and every upstream gradient moves by ~1e-4; seed 11
  // has no such input (checked layer by layer), which makes the comparison well posed.
  const x = tf.randomNormal([8, ...m.inputShape], 0, 1, "float32", 11);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32"), 10).toFloat();
  const vars = m.net.trainableWeights.map((w) => w.read() as tf.Variable);
  // training: true puts batch norm on batch statistics (the FusedBatchNorm gradient path). The L2
  // term on every weight tensor (8 or more of them) is the RepeatedMNIST protocol's, whose sum once
  // broke tfjs' webgpu AddN (more inputs than storage-buffer bindings).
  const loss = () => tf.add(tf.losses.softmaxCrossEntropy(y, m.net.apply(x, { training: true }) as tf.Tensor), l2PenaltyValue(vars, 0.5, 8)) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, vars);
  const out: Float32Array[] = [];
  for (const v of vars) out.push((await grads[v.name].data()) as Float32Array);
  tf.dispose([x, y, ...Object.values(grads)]);
  disposeModel(m);
  return out;
}

const GRADIENT_MODELS = [
  ["LeNet-5", (r: Rng) => lenet5(r)], ["Keras CNN", (r: Rng) => kerasCnn(r)],
  // The RepeatedMNIST learner: channel dropout (one mask value per channel) between linear convolutions.
  ["BayesianMNISTCNN (channel dropout)", (r: Rng) => bayesianMnistCnn(r)], ["DBALHQ MNIST (batch norm)", (r: Rng) => dbalhqMnist(r)],
  ["DBALHQ CIFAR-10 (batch norm)", (r: Rng) => dbalhqCifar10(r)],
  // The survey's learner: residual adds, stride-2 convolutions, 3x3 stride-2 max-pool, global average pool.
  ["ResNet-18 MNIST stem (dropout before the classifier)", (r: Rng) => resnet18("mnist", r, 10, { dropout: [0.5] })],
] as const;

/**
 * Relative tolerance (of the largest gradient) per network. ResNet-18: 20 convolutions, each followed
 * by batch norm on the statistics of only 8 inputs (layer 4 is 1x1 spatially, so 8 values per
 * channel), amplify float32 rounding: wasm and webgpu both differ from cpu by ~1.1e-5 relative
 * (5.9e-5 and 5.7e-5 for gradients up to 5.2), with independent kernels.
 */
const GRADIENT_TOLERANCE: Record<string, number> = { "ResNet-18 MNIST stem (dropout before the classifier)": 2e-5 };

/** Whether a WebGPU adapter (a GPU, or lavapipe in CI) can start here; the reason when not. */
async function webGpuAvailable(): Promise<string | null> {
  // Our webgpu kernels (src/compute/webgpu-kernels.ts) are what a GPU runs: test them on lavapipe too.
  process.env.BAL_WEBGPU_KERNELS ??= "ours";
  try {
    await initBackend("webgpu");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// The cpu reference gradients, computed once per network for both the wasm and the webgpu comparison.
const cpuGradients = new Map<string, Promise<Float32Array[]>>();

async function compareGradients(name: string, build: (r: Rng) => ReturnType<typeof lenet5>, backend: "wasm" | "webgpu"): Promise<void> {
  if (!cpuGradients.has(name)) cpuGradients.set(name, gradients("cpu", build));
  const cpu = await cpuGradients.get(name)!;
  const other = await gradients(backend, build);
  let maxDiff = 0;
  let maxAbs = 0;
  cpu.forEach((g, i) => g.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - other[i][j])); maxAbs = Math.max(maxAbs, Math.abs(v)); }));
  console.log(`# ${name}: max abs gradient difference ${backend} vs cpu = ${maxDiff.toExponential(2)} (largest gradient ${maxAbs.toExponential(2)})`);
  const tol = GRADIENT_TOLERANCE[name] ?? 1e-5;
  assert.ok(maxDiff < tol * Math.max(1, maxAbs), `${backend}: max abs diff ${maxDiff} for gradients up to ${maxAbs} (tolerance ${tol} relative)`);
}

for (const [name, build] of GRADIENT_MODELS) {
  test(`wasm gradients equal the cpu backend's: ${name}`, async () => compareGradients(name, build, "wasm"));
  test(`webgpu gradients equal the cpu backend's: ${name}`, async (t) => {
    const missing = await webGpuAvailable();
    if (missing) { t.skip(`no WebGPU adapter: ${missing}`); return; }
    await compareGradients(name, build, "webgpu");
  });
}

test("composed conv gradients equal tfjs's on strides, paddings and channels", async () => {
  await initBackend("cpu");
  type Shape4 = [number, number, number, number];
  const cases: [Shape4, Shape4, number, "same" | "valid"][] = [
    [[2, 9, 9, 3], [3, 3, 3, 4], 1, "same"], [[2, 9, 8, 3], [3, 2, 3, 4], 2, "valid"], [[1, 10, 10, 2], [5, 5, 2, 3], 2, "same"],
    [[3, 7, 7, 1], [4, 4, 1, 2], 1, "valid"],
  ];
  for (const [xs, fs, stride, pad] of cases) {
    const x = tf.randomNormal(xs, 0, 1, "float32", 1) as tf.Tensor4D;
    const f = tf.randomNormal(fs, 0, 1, "float32", 2) as tf.Tensor4D;
    const y = tf.conv2d(x, f, stride, pad);
    const dy = tf.randomNormal(y.shape, 0, 1, "float32", 3) as tf.Tensor4D;
    const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad))([x, f], dy);
    const mineF = conv2dFilterGradient(x, dy, fs, stride, pad);
    const diffF = tf.max(tf.abs(tf.sub(mineF, gf))).dataSync()[0];
    assert.ok(diffF < 1e-4, `filter gradient ${xs} ${fs} s${stride} ${pad}: ${diffF}`);
    // The webgpu replacement (im2col + transposed product), computed here on the cpu backend.
    const im2col = conv2dFilterGradientIm2col(x, dy, fs, stride, pad);
    const diffI = tf.max(tf.abs(tf.sub(im2col, gf))).dataSync()[0];
    assert.ok(diffI < 1e-4, `im2col filter gradient ${xs} ${fs} s${stride} ${pad}: ${diffI}`);
    if (stride === 1) {
      const mineX = conv2dInputGradient(dy, f, xs, pad);
      const diffX = tf.max(tf.abs(tf.sub(mineX, gx))).dataSync()[0];
      assert.ok(diffX < 1e-4, `input gradient ${xs} ${fs} ${pad}: ${diffX}`);
    }
  }
});

test("the FusedBatchNorm gradient (broadcast, no Tile) equals autodiff of the batch-norm formula", async () => {
  await initBackend("cpu");
  const x = tf.randomNormal([4, 3, 3, 5], 0, 1, "float32", 1);
  const mean = tf.randomNormal([5], 0, 1, "float32", 2);
  const variance = tf.randomUniform([5], 0.5, 2, "float32", 3);
  const scale = tf.randomNormal([5], 1, 0.2, "float32", 4);
  const offset = tf.randomNormal([5], 0, 1, "float32", 5);
  const w = tf.randomNormal([4, 3, 3, 5], 0, 1, "float32", 6);
  const fused = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, m, v, o, s, 1e-3), w));
  const manual = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
    tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(a, m), tf.sqrt(tf.add(v, 1e-3))), s), o), w));
  const g1 = tf.grads(fused)([x, mean, variance, scale, offset]);
  const g2 = tf.grads(manual)([x, mean, variance, scale, offset]);
  g1.forEach((g, i) => {
    const diff = tf.max(tf.abs(tf.sub(g, g2[i]))).dataSync()[0];
    assert.ok(diff < 1e-4, `input ${i}: max abs diff ${diff}`);
  });
});

test("MC passes with batch statistics: an input's output depends on its chunk, the running statistics move; inference mode does neither", async () => {
  await initBackend("cpu");
  const m = dbalhqMnist(new Rng(3), 10, { dropout: [0, 0] }); // no dropout: only batch norm varies
  const x = tf.randomNormal([8, 28, 28, 1], 0, 1, "float32", 4);
  const x2 = tf.concat([x.slice(0, 4), tf.randomNormal([4, 28, 28, 1], 3, 2, "float32", 5)]);
  const movingMean = () => Array.from(m.net.nonTrainableWeights[0].read().dataSync());
  const run = async (input: tf.Tensor, batchNorm: "inference" | "batch-statistics") =>
    Array.from((await mcProbabilities(m, input, { T: 1, consistent: false, passSeeds: [1], batchNorm, chunk: 8 })).data.slice(0, 40));
  const before = movingMean();
  const inf = await run(x, "inference");
  assert.deepEqual(await run(x2, "inference"), inf); // rows 0-3 are the same inputs
  assert.deepEqual(movingMean(), before);
  const a = await run(x, "batch-statistics");
  const moved = movingMean();
  assert.notDeepEqual(moved, before);
  const b = await run(x2, "batch-statistics");
  assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-4), "rows 0-3 changed with their chunk-mates");
  assert.ok(a.some((v, i) => Math.abs(v - inf[i]) > 1e-4));
  tf.dispose([x, x2]);
  disposeModel(m);
});

test("MC passes with batch statistics: the layers before the first dropout once per chunk give T whole passes' probabilities and running statistics, exactly", async () => {
  await initBackend("cpu");
  for (const [name, make, shape] of [["dbalhq-mnist", dbalhqMnist, [28, 28, 1]], ["dbalhq-cifar10", dbalhqCifar10, [32, 32, 3]]] as const) {
    const x = tf.randomNormal([10, ...shape], 0, 1, "float32", 6);
    const run = async (batchStatisticsPrefixOnce: boolean) => {
      const m = make(new Rng(5), 10, {});
      const probs = await mcProbabilities(m, x, { T: 4, consistent: false, passSeeds: [3, 1, 4, 1], batchNorm: "batch-statistics", chunk: 4, batchStatisticsPrefixOnce });
      const stats = m.net.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
      disposeModel(m);
      return { probs: Array.from(probs.data), stats };
    };
    const whole = await run(false);
    const once = await run(true);
    assert.deepEqual(once.probs, whole.probs, `${name}: probabilities`);
    assert.equal(once.stats.length, whole.stats.length);
    once.stats.forEach((s, i) => assert.deepEqual(s, whole.stats[i], `${name}: running statistic ${i}`));
    x.dispose();
  }
});

test("BatchBALD's BayesianMNISTCNN has 184,586 parameters; its channel dropout zeroes whole feature maps", async () => {
  await initBackend("cpu");
  const m = bayesianMnistCnn(new Rng(1));
  assert.equal(countParameters(m), 184586);
  disposeModel(m);
  const control = newDropoutControl();
  const layer = new McDropout(0.5, control, 0, true);
  control.mode = "mc";
  control.consistent = false;
  control.seed = 7;
  const x = tf.ones([3, 4, 4, 6]);
  const y = layer.apply(x) as tf.Tensor;
  const v = y.arraySync() as number[][][][];
  for (let n = 0; n < 3; n++) for (let c = 0; c < 6; c++) {
    const values = new Set(v[n].flatMap((row) => row.map((px) => px[c])));
    assert.equal(values.size, 1, "one mask value per example and channel");
    assert.ok([0, 2].includes([...values][0]));
  }
  control.consistent = true; // one mask per pass shared by the batch
  const w = (layer.apply(x) as tf.Tensor).arraySync() as number[][][][];
  for (let n = 1; n < 3; n++) assert.deepEqual(w[n], w[0]);
  tf.dispose([x, y]);
});

test("ResNet-18 as DeepAL+'s: torchvision's parameter counts, 512-d penultimate embedding", async () => {
  await initBackend("cpu");
  const count = (m: ReturnType<typeof resnet18>) => m.net.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((x, y) => x * y, 1), 0);
  const mn = resnet18("mnist", new Rng(1));
  const cf = resnet18("cifar", new Rng(1));
  // torchvision resnet18 with a 10-way fc: 11,181,642; MNIST adds the 1x1 conv (3 weights + 3 biases);
  // CIFAR's 3x3 first conv has 1,728 weights instead of 9,408 (kuangliu's count, 11,173,962).
  assert.equal(count(mn), 11181648);
  assert.equal(count(cf), 11173962);
  const { predictEmbeddings } = await import("../src/inference/mc");
  assert.equal((await predictEmbeddings(mn, new Float32Array(2 * 784), "penultimate")).dim, 512);
  assert.throws(() => resnet18("mnist", new Rng(1), 10, { dropout: [0.1, 0.2] }), /at most one dropout layer/);
  disposeModel(mn);
  disposeModel(cf);
});

test("webgpu dropout masks drawn on the device equal their JavaScript twin bit for bit; keep rate 1 - p", async (t) => {
  const missing = await webGpuAvailable();
  if (missing) { t.skip(`no WebGPU adapter: ${missing}`); return; }
  const { counterMask, deviceDropoutMask, deviceMasksActive, lowbias32 } = await import("../src/compute/webgpu-dropout");
  assert.equal(lowbias32(0), 0);
  assert.ok(Number.isInteger(lowbias32(1)) && lowbias32(1) >= 0 && lowbias32(1) < 2 ** 32 && lowbias32(1) !== lowbias32(2));
  assert.ok(deviceMasksActive());
  const cases: [number[], number, number][] = [[[1, 120], 0.5, 7], [[8, 5, 5, 3], 0.25, 123456789], [[3, 1000], 0.1, 2 ** 31 - 1]];
  for (const [shape, rate, seed] of cases) {
    const size = shape.reduce((a, b) => a * b, 1);
    const device = deviceDropoutMask([...shape], rate, seed);
    const values = (await device.data()) as Float32Array;
    device.dispose();
    assert.deepEqual(Array.from(values), Array.from(counterMask(size, rate, seed)), `shape ${shape}, rate ${rate}, seed ${seed}`);
    const kept = values.filter((v) => v !== 0).length;
    const sd = Math.sqrt(size * rate * (1 - rate));
    assert.ok(Math.abs(kept - size * (1 - rate)) < 5 * sd + 1, `kept ${kept} of ${size} at rate ${rate}`);
    assert.ok(values.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6));
  }
  await initBackend("cpu");
});

test("webgpu MC passes with device masks: the factored BayesianMNISTCNN passes equal the plain ones, and consistent masks are shared", async (t) => {
  const missing = await webGpuAvailable();
  if (missing) { t.skip(`no WebGPU adapter: ${missing}`); return; }
  await initBackend("webgpu");
  const m = bayesianMnistCnn(new Rng(6));
  const x = tf.randomNormal([12, 28, 28, 1], 0, 1, "float32", 7);
  const seeds = [3, 1, 4];
  const plain = await mcProbabilities(m, x, { T: 3, consistent: true, passSeeds: seeds, chunk: 12, factorChannelDropout: false });
  const factored = await mcProbabilities(m, x, { T: 3, consistent: true, passSeeds: seeds, chunk: 12, factorChannelDropout: true });
  const diff = Math.max(...plain.data.map((v, i) => Math.abs(v - factored.data[i])));
  assert.ok(diff < 1e-5, `max abs probability difference ${diff}`);
  assert.notDeepEqual(Array.from(plain.data.slice(0, 120)), Array.from(plain.data.slice(120, 240)));
  // Same seeds, same device masks: reproducible.
  const again = await mcProbabilities(m, x, { T: 3, consistent: true, passSeeds: seeds, chunk: 12, factorChannelDropout: false });
  assert.deepEqual(Array.from(again.data), Array.from(plain.data));
  x.dispose();
  disposeModel(m);
  await initBackend("cpu");
});

test("webgpu AdamW as device programs: the cpu backend's weights (float32), 3 dispatches per weight tensor and step instead of tfjs ops' 14", async (t) => {
  const missing = await webGpuAvailable();
  if (missing) { t.skip(`no WebGPU adapter: ${missing}`); return; }
  const { countDispatches } = await import("../src/compute/webgpu");
  const { AdamW } = await import("../src/training/adamw");
  const shapes = [[5, 3], [7], [2, 2, 3, 4]];
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const values = (i: number, k: number, s: number[]) => Float32Array.from({ length: size(s) }, (_, j) => Math.sin(1 + 31 * i + 7 * k + j) * (k === 0 ? 1 : 0.1));
  let run = 0;
  const train = async (backend: "cpu" | "webgpu"): Promise<{ weights: Float32Array[]; dispatches: number }> => {
    await initBackend(backend);
    run++;
    const vars = shapes.map((s, i) => tf.variable(tf.tensor(values(i, 0, s), s), true, `adamw-test-${run}-${i}`));
    const opt = new AdamW({ lr: 0.01, weightDecay: 0.1 });
    let dispatches = 0;
    for (let k = 1; k <= 4; k++) {
      const grads = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(values(i, k, shapes[i]), shapes[i])]));
      // The first step also makes the zero moments: count the steps after it.
      if (backend === "webgpu" && k > 1) dispatches += await countDispatches(() => opt.step(vars, grads));
      else opt.step(vars, grads);
      tf.dispose(Object.values(grads));
    }
    const weights = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
    opt.dispose();
    vars.forEach((v) => v.dispose());
    return { weights, dispatches };
  };
  const cpu = await train("cpu");
  const device = await train("webgpu");
  process.env.BAL_WEBGPU_ADAMW = "tfjs";
  const ops = await train("webgpu");
  delete process.env.BAL_WEBGPU_ADAMW;
  console.log(`# AdamW on webgpu, 3 tensors x 3 steps: ${device.dispatches} dispatches as device programs, ${ops.dispatches} as tfjs ops`);
  assert.equal(device.dispatches, 3 * shapes.length * 3);
  assert.ok(ops.dispatches >= 4 * device.dispatches, `tfjs ops: ${ops.dispatches} dispatches`);
  for (const other of [device, ops]) {
    cpu.weights.forEach((w, i) => w.forEach((x, j) => assert.ok(Math.abs(x - other.weights[i][j]) <= 1e-6 * Math.max(1, Math.abs(x)), `tensor ${i}[${j}]: cpu ${x}, webgpu ${other.weights[i][j]}`)));
  }
  await initBackend("cpu");
});
