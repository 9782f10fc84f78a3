#!/usr/bin/env node
// Step 0 of the survey's MNIST reference runs with our network and training (the `reference` profile's
// learner: resnet18-mnist, its modelOptions and train config), beside tools/survey-step0/pytorch_peer.py
// (DeepAL+'s code in PyTorch): 100 random labels, 20 epochs of one batch, then the eval-mode (running
// statistics) accuracy on all 10,000 test images and the predicted class counts, per seed. Writes
// reference-results/checks/survey-step0-ours.json. About 75 s a seed on one wasm thread.
// Usage (after make build): node tools/survey-step0/ours.js [first_seed last_seed]   (default 1 13)
const { mkdirSync, writeFileSync, renameSync } = require("node:fs");
const { dirname, join } = require("node:path");
const root = join(__dirname, "..", "..");
const b = (m) => require(join(root, "build/src", m));
const tf = require("@tensorflow/tfjs");
const { initBackend, describeBackend } = b("compute/backend");
const { loadMnist } = b("data/mnist");
const { imageModel, disposeModel } = b("models/classifiers");
const { trainModel } = b("training/train");
const { Rng } = b("seeding/rng");
const { surveyProfile } = b("experiments/survey/index");
const { provenance } = b("results/provenance");

(async () => {
  const [first, last] = process.argv.length > 3 ? [Number(process.argv[2]), Number(process.argv[3])] : [1, 13];
  const backend = await initBackend();
  console.log(describeBackend(backend));
  const part = surveyProfile("reference").parts.find((p) => p.dataset === "mnist");
  const ds = await loadMnist(process.env.BAL_DATA_DIR ? join(process.env.BAL_DATA_DIR, "mnist") : undefined);
  const row = 784;
  const test = tf.tensor(ds.test.x, [ds.test.n, 28, 28, 1]);
  const seeds = [];
  for (let seed = first; seed <= last; seed++) {
    const started = Date.now();
    const rng = new Rng(`survey-step0-${seed}`);
    const labelled = rng.sample(Array.from({ length: ds.train.n }, (_, i) => i), 100);
    const x = new Float32Array(100 * row);
    labelled.forEach((r, i) => x.set(ds.train.x.subarray(r * row, (r + 1) * row), i * row));
    const y = labelled.map((r) => ds.train.y[r]);
    const train = { x: tf.tensor(x, [100, 28, 28, 1]), y: tf.oneHot(tf.tensor1d(y, "int32"), 10).toFloat() };
    const model = imageModel(part.model, part.run.modelOptions)(rng);
    const fit = await trainModel(model, train, null, part.run.train, rng);
    const predicted = [];
    for (let s = 0; s < ds.test.n; s += 1000) {
      const p = tf.tidy(() => model.net.apply(test.slice(s, Math.min(1000, ds.test.n - s)), { training: false }).argMax(1));
      predicted.push(...(await p.data()));
      p.dispose();
    }
    const counts = new Array(10).fill(0);
    predicted.forEach((c) => counts[c]++);
    const accuracy = predicted.filter((c, i) => c === ds.test.y[i]).length / ds.test.n;
    seeds.push({ seed, testAccuracy: accuracy, predictedClassCounts: counts, finalTrainLoss: fit.finalTrainLoss, seconds: (Date.now() - started) / 1000 });
    console.log(`seed ${seed}: eval-mode test accuracy ${accuracy.toFixed(4)}, predicted classes ${JSON.stringify(counts)}`);
    tf.dispose([train.x, train.y]);
    disposeModel(model);
  }
  const file = join(root, "reference-results", "checks", "survey-step0-ours.json");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ check: "survey MNIST step 0, our network (reference profile's learner)", testImages: ds.test.n,
    model: part.model, modelOptions: part.run.modelOptions, train: part.run.train, finishedAt: new Date().toISOString(), provenance: provenance(describeBackend(backend)), seeds }, null, 1));
  renameSync(`${file}.tmp`, file);
  console.log(`wrote ${file}`);
})().catch((e) => { console.error(e); process.exit(1); });
