// MC passes of BatchBALD's BayesianMNISTCNN (RepeatedMNIST authors-code / reference profiles), measured
// in the same run: the plain passes, the convolution after the consistent channel dropout factored
// (src/inference/mc.ts, channelFactoredSuffix) with one mask product per pass (the first factored
// path) and with many passes per product (the default), all with our wasm Slice; then wasm's own
// Slice against ours on the slice that scoring takes most (a 2,048-image chunk of a RepeatedMNIST pool).
//   node build/bench/mc-factored.js [--images 1000] [--K 50] [--reps 3] [--pool 111808]
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../src/compute/backend";
import { replacedWasmKernel } from "../src/compute/wasm-gradients";
import { mcProbabilities } from "../src/inference/mc";
import { bayesianMnistCnn, disposeModel } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";
import { arg, median } from "./args";

async function seconds(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const images = Number(arg("images", "1000"));
  const K = Number(arg("K", "50"));
  const reps = Number(arg("reps", "3"));
  const poolImages = Number(arg("pool", "111808"));
  console.log(describeBackend(await initBackend()));
  const model = bayesianMnistCnn(new Rng(1));
  const x = tf.randomNormal([images, 28, 28, 1], 0, 1, "float32", 1);
  const passSeeds = Array.from({ length: K }, (_, i) => i + 1);
  const arms = {
    plain: { factorChannelDropout: false },
    "factored, one product per pass": { factorChannelDropout: true, factoredPassesPerProduct: 1 },
    "factored, many passes per product": { factorChannelDropout: true },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
  for (let r = 0; r < reps; r++) {
    for (const [name, opts] of Object.entries(arms)) times[name].push(await seconds(() => mcProbabilities(model, x, { T: K, consistent: true, passSeeds, ...opts })));
  }
  const per = (s: number) => (s * 1000 / images).toFixed(2);
  const base = median(times.plain);
  console.log(`BayesianMNISTCNN, ${images} images x K = ${K} consistent passes (median of ${reps}), seconds per 1,000 images:`);
  for (const name of Object.keys(arms)) console.log(`  ${name}: ${per(median(times[name]))} s (/ plain = ${(median(times[name]) / base).toFixed(3)})`);
  x.dispose();
  disposeModel(model);

  const original = replacedWasmKernel("Slice");
  if (!original) return console.log("Slice: wasm's own kernel was not replaced on this backend; nothing to compare");
  const pool = tf.zeros([poolImages, 28, 28, 1]);
  const attrs = { begin: [poolImages >> 1, 0, 0, 0], size: [2048, 28, 28, 1] };
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < reps; r++) {
    ours.push(await seconds(async () => tf.slice(pool, attrs.begin, attrs.size).dispose()));
    theirs.push(await seconds(async () => {
      const out = original({ inputs: { x: pool }, attrs, backend: tf.backend() }) as tf.TensorInfo;
      tf.backend().disposeData(out.dataId);
    }));
  }
  console.log(`Slice of a 2,048-image chunk off a ${poolImages}-image pool (median of ${reps}): wasm's own ${(median(theirs) * 1000).toFixed(1)} ms, ` +
    `ours ${(median(ours) * 1000).toFixed(2)} ms; ours / wasm's = ${(median(ours) / median(theirs)).toFixed(4)}`);
  pool.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
