// MC passes with batch norm on batch statistics (the hybrid study's authors-code / reference
// profiles: DBALHQ networks, chunks of 128): the layers before the first dropout computed once per
// chunk (src/inference/mc.ts, prefixOncePerChunk) against the whole network in every pass, measured
// in the same run on the same weights: seconds per 1,000 images x T passes, the ratio, and whether
// probabilities and running statistics came out identical.
//   node build/bench/mc-batch-statistics.js [--images 512] [--T 20] [--reps 1] [--models dbalhq-mnist,dbalhq-cifar10]
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../src/compute/backend";
import { mcProbabilities } from "../src/inference/mc";
import { disposeModel, ImageModelName, MODEL_FACTORIES } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";
import { arg, median } from "./args";

async function main(): Promise<void> {
  const images = Number(arg("images", "512"));
  const T = Number(arg("T", "20"));
  const reps = Number(arg("reps", "1"));
  console.log(describeBackend(await initBackend()));
  for (const name of arg("models", "dbalhq-mnist,dbalhq-cifar10").split(",") as ImageModelName[]) {
    const make = MODEL_FACTORIES[name];
    if (!make) throw new Error(`--models: unknown model '${name}' (expected ${Object.keys(MODEL_FACTORIES).join(", ")})`);
    const probe = make(new Rng(1));
    const x = tf.randomNormal([images, ...probe.inputShape], 0, 1, "float32", 1);
    disposeModel(probe);
    const passSeeds = Array.from({ length: T }, (_, i) => i + 1);
    const time = async (batchStatisticsPrefixOnce: boolean) => {
      const m = make(new Rng(1)); // fresh running statistics, same weights, every time
      const t0 = performance.now();
      const probs = await mcProbabilities(m, x, { T, consistent: false, passSeeds, batchNorm: "batch-statistics", chunk: 128, batchStatisticsPrefixOnce });
      const seconds = (performance.now() - t0) / 1000;
      const stats = m.net.nonTrainableWeights.flatMap((w) => Array.from(w.read().dataSync()));
      disposeModel(m);
      return { seconds, values: [...probs.data, ...stats] };
    };
    const whole: number[] = [];
    const once: number[] = [];
    let identical = true;
    for (let r = 0; r < reps; r++) {
      const a = await time(false);
      const b = await time(true);
      whole.push(a.seconds);
      once.push(b.seconds);
      identical &&= a.values.length === b.values.length && a.values.every((v, i) => Object.is(v, b.values[i]));
    }
    const per = (s: number) => (s * 1000 / images).toFixed(2);
    console.log(`${name}, ${images} images x T = ${T} passes, batch statistics of chunks of 128 (median of ${reps}): whole network ` +
      `${per(median(whole))} s, prefix once per chunk ${per(median(once))} s per 1,000 images; once / whole = ` +
      `${(median(once) / median(whole)).toFixed(3)}; probabilities and running statistics ${identical ? "identical" : "DIFFER"}`);
    x.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
