// The fast CPU path: wasm threads, the kernels we replace on wasm, the MC forward split, dropout
// masks, and no leaked tensors across repeated train / score steps on the wasm backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import { wantedWasmThreads } from "../src/compute/wasm-threads";
import { bayesianMnistCnn, kerasCnn, lenet5, mlp, disposeModel, BayesianModel } from "../src/models/classifiers";
import { dropoutMask } from "../src/models/dropout";
import { channelFactoredSuffix, mcProbabilities, mcRegression, predictEmbeddings, predictOutputs, splitAtFirstDropout } from "../src/inference/mc";
import { trainModel } from "../src/training/train";
import { Rng } from "../src/seeding/rng";

/** A few forward and gradient values of a Keras CNN on the current backend (for thread comparisons). */
function fingerprint(): number[] {
  const m = kerasCnn(new Rng(3));
  const x = tf.randomNormal([16, 28, 28, 1], 0, 1, "float32", 4);
  const y = tf.oneHot(tf.tensor1d([...Array(16).keys()].map((i) => i % 10), "int32"), 10).toFloat();
  const vars = m.net.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.net.apply(x, { training: true }) as tf.Tensor), vars);
  const out = [value.dataSync()[0], ...vars.flatMap((v) => Array.from(grads[v.name].dataSync().slice(0, 50)))];
  tf.dispose([x, y, value, ...Object.values(grads)]);
  disposeModel(m);
  return out;
}

if (process.env.BAL_COMPUTE_TEST_CHILD === "1") {
  // Child mode (spawned by the tests below): the thread count the wasm backend runs and the
  // fingerprint on it, for the backend the env selects.
  void initBackend("wasm").then(async (info) => {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const threads = (require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm")).getThreadsCount();
    console.log(JSON.stringify({ threads, simd, wanted: wantedWasmThreads(), detail: info.detail, fingerprint: fingerprint() }));
  });
} else {
  /**
   * A child on the wasm backend with BAL_WASM_THREADS = `threads` (undefined: unset). A child whose
   * threaded start hangs (tfjs-backend-wasm's intermittent pool hang, see compute/backend's
   * BackendStartTimeout) is started again, as the CLI does; any other failure fails. In-process
   * tests run single-threaded (`make unit` sets BAL_WASM_THREADS=1), so only children start the pool.
   */
  const child = (threads: string | undefined): { threads: number; simd: boolean; wanted: number; detail: string; fingerprint: number[] } => {
    const env: NodeJS.ProcessEnv = { ...process.env, BAL_COMPUTE_TEST_CHILD: "1", BAL_BACKEND_START_TIMEOUT_S: "20" };
    if (threads === undefined) delete env.BAL_WASM_THREADS;
    else env.BAL_WASM_THREADS = threads;
    for (let attempt = 1; ; attempt++) {
      try {
        return JSON.parse(execFileSync(process.execPath, [__filename], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env }).trim().split("\n").pop()!);
      } catch (e) {
        if (attempt >= 3 || !/BackendStartTimeout/.test(String((e as { stderr?: string }).stderr ?? ""))) throw e;
      }
    }
  };

  test("the wasm backend runs the thread count asked for (BAL_WASM_THREADS, default every core)", () => {
    for (const asked of [undefined, "1", "2"]) {
      const c = child(asked);
      console.log(`# BAL_WASM_THREADS=${asked ?? "(unset)"}: ${c.detail}`);
      assert.equal(c.wanted, asked === undefined ? Math.max(1, os.cpus().length) : Number(asked));
      assert.equal(c.threads, c.simd ? c.wanted : 1, c.detail);
    }
  });

  test("one and two wasm threads give the same losses and gradients (bit for bit)", async () => {
    const one = child("1").fingerprint;
    const two = child("2").fingerprint;
    assert.equal(one.length, two.length);
    let maxDiff = 0;
    one.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - two[i])); });
    console.log(`# max abs difference 1 vs 2 threads over ${one.length} values: ${maxDiff}`);
    assert.deepEqual(two, one);
  });

  async function onBothBackends<T>(fn: () => T): Promise<{ cpu: T; wasm: T }> {
    await initBackend("cpu");
    const cpu = fn();
    await initBackend("wasm");
    return { cpu, wasm: fn() };
  }

  test("wasm MaxPoolGrad (JS on the heap) equals the cpu backend's: overlapping windows, padding, ties", async () => {
    type Case = [number[], number, number, "same" | "valid"];
    const cases: Case[] = [[[2, 8, 8, 3], 2, 2, "valid"], [[2, 9, 7, 4], 3, 2, "same"], [[1, 6, 6, 2], 3, 1, "same"], [[3, 5, 5, 1], 2, 1, "valid"]];
    for (const [shape, size, stride, pad] of cases) {
      const grads = await onBothBackends(() => tf.tidy(() => {
        // Rounded values make ties common: the gradient must go to the first maximum of a window.
        const x = tf.round(tf.mul(tf.randomNormal(shape, 0, 1, "float32", 7), 2));
        const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), tf.randomNormal(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape, 0, 1, "float32", 8)));
        return Array.from(tf.grad(f)(x).dataSync());
      }));
      const where = `maxPool ${shape} size ${size} stride ${stride} ${pad}`;
      // Same positions receive gradient (first maximum on ties); overlapping windows add in another order.
      assert.deepEqual(grads.wasm.map((v) => v !== 0), grads.cpu.map((v) => v !== 0), where);
      const diff = Math.max(...grads.cpu.map((v, i) => Math.abs(v - grads.wasm[i])));
      assert.ok(diff < 1e-5, `${where}: max abs diff ${diff}`);
    }
  });

  test("wasm BatchMatMul with transposed operands equals the cpu backend's", async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [5, 3], true, false], [[7, 5], [3, 5], false, true], [[5, 7], [3, 5], true, true], [[2, 4, 6], [2, 4, 3], true, false], [[2, 6, 4], [2, 3, 4], false, true],
    ];
    for (const [as, bs, ta, tb] of cases) {
      const r = await onBothBackends(() => tf.tidy(() =>
        Array.from(tf.matMul(tf.randomNormal(as, 0, 1, "float32", 1), tf.randomNormal(bs, 0, 1, "float32", 2), ta, tb).dataSync())));
      const diff = Math.max(...r.cpu.map((v, i) => Math.abs(v - r.wasm[i])));
      assert.ok(diff < 1e-5, `matMul ${as} ${bs} ${ta} ${tb}: max abs diff ${diff}`);
    }
  });

  test("wasm Slice (only the slice copied) equals the cpu backend's: ranks 1-5, whole and partial axes, float32, int32, bool", async () => {
    const cases: [number[], number[], number[]][] = [
      [[9], [2], [5]], [[6, 7], [1, 2], [3, 4]], [[6, 7], [2, 0], [3, 7]], [[4, 5, 6], [1, 0, 0], [2, 5, 6]],
      [[4, 5, 6], [0, 1, 2], [4, 3, 1]], [[3, 4, 5, 6], [1, 1, 0, 0], [2, 2, 5, 6]], [[3, 4, 5, 6], [0, 2, 1, 3], [3, 1, 4, 2]],
      [[2, 3, 4, 5, 6], [1, 0, 2, 1, 0], [1, 3, 2, 3, 6]], [[5, 4], [2, 1], [0, 2]],
    ];
    for (const [shape, begin, size] of cases) {
      for (const dtype of ["float32", "int32", "bool"] as const) {
        const r = await onBothBackends(() => tf.tidy(() => {
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, (_, i) => (dtype === "bool" ? Number(i % 3 === 0) : dtype === "int32" ? i * 7 - 40 : i * 0.5 - 3));
          const x = tf.tensor(values, shape, dtype);
          const y = tf.slice(x, begin, size);
          return [y.shape.join("x"), ...Array.from(y.dataSync())];
        }));
        assert.deepEqual(r.wasm, r.cpu, `slice ${dtype} [${shape}] from [${begin}] size [${size}]`);
      }
    }
  });

  test("MC forward with the deterministic prefix run once equals T whole passes (wasm, LeNet-5 and Keras CNN)", async () => {
    await initBackend("wasm");
    for (const build of [lenet5, kerasCnn] as ((r: Rng) => BayesianModel)[]) {
      const m = build(new Rng(2));
      const { prefix, suffix } = splitAtFirstDropout(m);
      assert.ok(prefix.length > 0 && suffix.length > 0, `${m.name}: ${prefix.length} prefix / ${suffix.length} suffix layers`);
      const x = tf.randomNormal([70, 28, 28, 1], 0, 1, "float32", 5);
      const seeds = [3, 1, 4, 1, 5];
      for (const consistent of [false, true]) {
        const split = await mcProbabilities(m, x, { T: 5, consistent, passSeeds: seeds, chunk: 32 });
        const whole = new Float32Array(split.data.length);
        m.dropout.mode = "mc";
        m.dropout.consistent = consistent;
        seeds.forEach((seed, t) => {
          m.dropout.seed = seed;
          for (let s = 0; s < 70; s += 32) {
            m.dropout.chunk = s;
            const n = Math.min(32, 70 - s);
            whole.set(tf.tidy(() => tf.softmax(m.net.apply(x.slice(s, n), { training: false }) as tf.Tensor).dataSync() as Float32Array), (t * 70 + s) * 10);
          }
        });
        m.dropout.mode = "off";
        assert.deepEqual(Array.from(split.data), Array.from(whole), `${m.name} consistent=${consistent}`);
      }
      x.dispose();
      disposeModel(m);
    }
  });

  test("MC passes of BayesianMNISTCNN with the convolution after its channel dropout factored equal the plain passes (wasm and cpu)", async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      await initBackend(backend);
      const m = bayesianMnistCnn(new Rng(6));
      const { suffix } = splitAtFirstDropout(m);
      const f = channelFactoredSuffix(suffix);
      assert.ok(f, "BayesianMNISTCNN: the factored path applies");
      assert.deepEqual([f.commuting.map((l) => l.getClassName()), f.conv.getClassName(), f.rest.length], [["MaxPooling2D", "Activation"], "Conv2D", 8]);
      // 150 inputs: chunks of 100 give blocks of 100 and 50; a chunk of 200 gives blocks of 128 and 22.
      const x = tf.randomNormal([150, 28, 28, 1], 0, 1, "float32", 7);
      const seeds = [3, 1, 4, 1, 5, 9];
      const plain = await mcProbabilities(m, x, { T: 6, consistent: true, passSeeds: seeds, chunk: 64, factorChannelDropout: false });
      for (const chunk of [100, 200]) {
        const factored = await mcProbabilities(m, x, { T: 6, consistent: true, passSeeds: seeds, chunk, factorChannelDropout: true });
        const diff = Math.max(...plain.data.map((v, i) => Math.abs(v - factored.data[i])));
        assert.ok(diff < 1e-5, `${backend}, chunk ${chunk}: max abs probability difference ${diff}`);
        // One mask product per pass, or several passes per product (4 + 2 here): the same numbers, bit for bit.
        for (const perProduct of [1, 4]) {
          const grouped = await mcProbabilities(m, x, { T: 6, consistent: true, passSeeds: seeds, chunk, factorChannelDropout: true, factoredPassesPerProduct: perProduct });
          assert.deepEqual(Array.from(grouped.data), Array.from(factored.data), `${backend}, chunk ${chunk}: ${perProduct} pass(es) per product`);
        }
      }
      await assert.rejects(mcProbabilities(m, x, { T: 6, consistent: true, passSeeds: seeds, factoredPassesPerProduct: 0 }), /factoredPassesPerProduct 0 is not a positive integer/);
      // The passes differ from each other (the masks are applied), and per-example masks take the plain path.
      assert.notDeepEqual(Array.from(plain.data.slice(0, 1500)), Array.from(plain.data.slice(1500, 3000)));
      x.dispose();
      disposeModel(m);
    }
  });

  test("the factored path is not taken where it does not hold: element-wise dropout (LeNet-5, Keras CNN)", () => {
    for (const build of [lenet5, kerasCnn] as ((r: Rng) => BayesianModel)[]) {
      const m = build(new Rng(2));
      assert.equal(channelFactoredSuffix(splitAtFirstDropout(m).suffix), null, m.name);
      disposeModel(m);
    }
  });

  test("MC passes of a model without dropout: every pass equals the deterministic output", async () => {
    await initBackend("cpu");
    const m = mlp(new Rng(4), 3, [8], 1, 0);
    const x = tf.randomNormal([5, 3], 0, 1, "float32", 2);
    const mc = await mcRegression(m, x, { T: 3, consistent: true, passSeeds: [1, 2, 3] });
    const det = Array.from(await predictOutputs(m, x));
    for (let t = 0; t < 3; t++) assert.deepEqual(Array.from(mc.data.slice(t * 5, t * 5 + 5)), det);
    x.dispose();
    disposeModel(m);
  });

  test("dropout masks: values 0 or 1/(1-p), keep rate 1-p (binomial, 5 sd), reproducible per seed", async () => {
    for (const rate of [0.1, 0.25, 0.5]) {
      const n = 200_000;
      const mask = dropoutMask(n, rate, 12345);
      const scale = 1 / (1 - rate);
      let kept = 0;
      for (const v of mask) {
        assert.ok(v === 0 || Math.abs(v - scale) < 1e-6, `value ${v}`);
        if (v !== 0) kept++;
      }
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept - n * (1 - rate)) < 5 * sd, `rate ${rate}: kept ${kept} of ${n}`);
      assert.deepEqual(dropoutMask(1000, rate, 7), dropoutMask(1000, rate, 7));
      assert.notDeepEqual(dropoutMask(1000, rate, 7), dropoutMask(1000, rate, 8));
    }
  });

  test("tensor count stays constant across repeated train / score steps on the wasm backend (LeNet-5)", async () => {
    await initBackend("wasm");
    const rng = new Rng(6);
    const x = tf.randomNormal([64, 28, 28, 1], 0, 1, "float32", 9);
    const y = tf.oneHot(tf.tensor1d([...Array(64).keys()].map((i) => i % 10), "int32"), 10).toFloat();
    const pool = tf.randomNormal([50, 28, 28, 1], 0, 1, "float32", 10);
    const val = { x: x.slice(0, 16), y: y.slice(0, 16) };
    const step = async () => {
      const m = lenet5(rng);
      await trainModel(m, { x, y }, val, { epochs: 2, batchSize: 32, optimizer: { lr: 1e-3 }, patience: 0, loss: "softmax-cross-entropy" }, rng);
      await mcProbabilities(m, pool, { T: 3, consistent: true, passSeeds: [1, 2, 3] });
      await predictEmbeddings(m, pool, "penultimate");
      disposeModel(m);
    };
    await step(); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await step();
      assert.equal(tf.memory().numTensors, before, `after step ${i + 1}`);
    }
    tf.dispose([x, y, pool, val.x, val.y]);
  });
}
