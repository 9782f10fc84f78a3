// MC passes of BatchBALD's BayesianMNISTCNN (RepeatedMNIST authors-code / reference profiles) with the
// convolution after its consistent channel dropout factored (src/inference/mc.ts, channelFactoredSuffix)
// against the plain passes, measured in the same run: seconds per 1,000 images x K passes and the ratio.
//   node build/bench/mc-factored.js [--images 1000] [--K 50] [--reps 3]
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../src/compute/backend";
import { mcProbabilities } from "../src/inference/mc";
import { bayesianMnistCnn, disposeModel } from "../src/models/classifiers";
import { Rng } from "../src/seeding/rng";
import { arg, median } from "./args";

async function main(): Promise<void> {
  const images = Number(arg("images", "1000"));
  const K = Number(arg("K", "50"));
  const reps = Number(arg("reps", "3"));
  console.log(describeBackend(await initBackend()));
  const model = bayesianMnistCnn(new Rng(1));
  const x = tf.randomNormal([images, 28, 28, 1], 0, 1, "float32", 1);
  const passSeeds = Array.from({ length: K }, (_, i) => i + 1);
  const time = async (factor: boolean) => {
    const t0 = performance.now();
    await mcProbabilities(model, x, { T: K, consistent: true, passSeeds, factorChannelDropout: factor });
    return (performance.now() - t0) / 1000;
  };
  const plain: number[] = [];
  const factored: number[] = [];
  for (let r = 0; r < reps; r++) {
    plain.push(await time(false));
    factored.push(await time(true));
  }
  const per = (s: number) => (s * 1000 / images).toFixed(2);
  console.log(`BayesianMNISTCNN, ${images} images x K = ${K} consistent passes (median of ${reps}): plain ${per(median(plain))} s, ` +
    `factored ${per(median(factored))} s per 1,000 images; factored / plain = ${(median(factored) / median(plain)).toFixed(3)}`);
  x.dispose();
  disposeModel(model);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
