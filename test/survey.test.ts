// The survey's catalogue (paper 001): each strategy on hand-made cases, the reporting, the loaders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { badgeSelect, gradientEmbedding, gradientFactor, gradientSquaredDistance } from "../src/acquisition/badge";
import { bimAttack, deepFoolAttack } from "../src/acquisition/adversarial";
import { cealPseudoLabels, cealThreshold } from "../src/acquisition/ceal";
import { greedyKCenter } from "../src/acquisition/diversity";
import { denseSquaredDistance, greedyKmeansPlusPlus, kmeansPlusPlus, kmeansSelect, sklearnLocalTrials } from "../src/acquisition/kmeans";
import { pcaProject, symmetricEigen } from "../src/acquisition/pca";
import { leastConfidence, topK } from "../src/acquisition/scores";
import { strategyByName } from "../src/acquisition/strategy";
import { InputGradientModel, McProbs } from "../src/acquisition/types";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import { decodeCifar100Records, loadCifar100 } from "../src/data/cifar100";
import { FASHION_MNIST_FILES, loadFashionMnist } from "../src/data/fashion-mnist";
import { md5Of, PROJECT_ROOT } from "../src/data/files";
import { encodeIdx } from "../src/data/idx";
import { surveyProfile, surveyRunConfigs, SURVEY_PROFILES, SURVEY_PROTOCOL, winTieLossTable } from "../src/experiments/survey/index";
import { runActiveLearning, RunResult } from "../src/loop/active-learning";
import { mlp } from "../src/models/classifiers";
import { protocolTable, uncoveredFields } from "../src/report/protocol";
import { winTieLoss, winTieLossTotals } from "../src/report/win-tie-loss";
import { augmentBatch } from "../src/training/train";
import { Rng } from "../src/seeding/rng";
import { tinyDataset } from "./helpers";

/** Three tight clusters far apart, 5 points each, in 2-D. */
function clusters(): Float64Array {
  const centres = [[0, 0], [100, 0], [0, 100]];
  const out: number[] = [];
  const r = new Rng(3);
  for (const [x, y] of centres) for (let i = 0; i < 5; i++) out.push(x + r.normal() * 0.01, y + r.normal() * 0.01);
  return Float64Array.from(out);
}
const clusterOf = (i: number) => Math.floor(i / 5);

test("k-means++ on well-separated clusters picks one point per cluster", async () => {
  const X = clusters();
  for (let seed = 1; seed <= 5; seed++) {
    const picked = kmeansPlusPlus(15, 3, denseSquaredDistance(X, 2), 7, new Rng(seed));
    assert.equal(picked[0], 7);
    assert.deepEqual(new Set(picked.map(clusterOf)), new Set([0, 1, 2]));
  }
  // Duplicates only: the rest is drawn among the unchosen points, all distinct.
  const same = new Float64Array(8).fill(1);
  const p = kmeansPlusPlus(4, 4, denseSquaredDistance(same, 2), 0, new Rng(1));
  assert.equal(new Set(p).size, 4);
  assert.throws(() => kmeansPlusPlus(4, 5, denseSquaredDistance(same, 2), 0, new Rng(1)), /k=5/);
});

test("greedy k-means++ (scikit-learn's) keeps the candidate that leaves the least potential; with one trial it is k-means++", async () => {
  await initBackend("cpu");
  const onDevice = (X: Float64Array, d: number) => {
    const Xt = tf.tensor2d(Float32Array.from(X), [X.length / d, d]);
    return { Xt, xNorm: tf.sum(tf.square(Xt), 1) as tf.Tensor1D };
  };
  const draws = (us: number[]) => ({ uniform: () => us.shift()! }) as unknown as Rng;
  // 1-D points 0, 1, 2, 10, first centre 0: squared distances 0, 1, 4, 100 (potential 105, cumulative 0, 1, 5, 105).
  const line = Float64Array.from([0, 1, 2, 10]);
  const { Xt, xNorm } = onDevice(line, 1);
  // Draws 0.02 x 105 = 2.1 -> point 2 and 0.5 x 105 = 52.5 -> point 3; potentials 0 + 1 + 0 + 64 = 65 and 0 + 1 + 4 + 0 = 5.
  assert.deepEqual(await greedyKmeansPlusPlus(Xt, xNorm, 2, 0, 2, draws([0.02, 0.5])), [0, 3]);
  // Plain k-means++ takes its one draw, point 2; so does the greedy one with one trial.
  assert.deepEqual(kmeansPlusPlus(4, 2, denseSquaredDistance(line, 1), 0, draws([0.02])), [0, 2]);
  assert.deepEqual(await greedyKmeansPlusPlus(Xt, xNorm, 2, 0, 1, draws([0.02])), [0, 2]);
  await assert.rejects(greedyKmeansPlusPlus(Xt, xNorm, 5, 0, 2, new Rng(1)), /k=5/);
  await assert.rejects(greedyKmeansPlusPlus(Xt, xNorm, 2, 0, 0, new Rng(1)), /trials=0/);
  tf.dispose([Xt, xNorm]);
  // One trial, same seed: the same centres as k-means++ on integer points (their distances are exact in float32 too).
  const r = new Rng(9);
  const grid = Float64Array.from({ length: 80 }, () => r.int(20));
  const g = onDevice(grid, 2);
  for (let seed = 1; seed <= 5; seed++) {
    assert.deepEqual(await greedyKmeansPlusPlus(g.Xt, g.xNorm, 12, 3, 1, new Rng(seed)), kmeansPlusPlus(40, 12, denseSquaredDistance(grid, 2), 3, new Rng(seed)));
  }
  tf.dispose([g.Xt, g.xNorm]);
  // scikit-learn's n_local_trials = 2 + int(np.log(n_clusters)).
  assert.deepEqual([1, 2, 10, 100, 128].map(sklearnLocalTrials), [2, 2, 4, 6, 6]);
});

test("KMeans sampling takes the point nearest each cluster's centre", async () => {
  // Cluster members at offsets -1, 0, +1 (x) around each centre: the middle one is nearest the mean.
  const X = Float64Array.from([-1, 0, 0, 0, 1, 0, 99, 0, 100, 0, 101, 0, -1, 50, 0, 50, 1, 50]);
  await initBackend("cpu");
  const picked = (await kmeansSelect(X, 2, 3, new Rng(2), { restarts: 3 })).sort((a, b) => a - b);
  assert.deepEqual(picked, [1, 4, 7]);
  const greedy = (await kmeansSelect(X, 2, 3, new Rng(2), { restarts: 3, localTrials: sklearnLocalTrials(3) })).sort((a, b) => a - b);
  assert.deepEqual(greedy, [1, 4, 7]);
});

test("BADGE's gradient embedding is (p - onehot(yhat)) outer h, and the implicit distances equal the explicit ones", async () => {
  const p = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6];
  const h = [1, 2, -1, 0.5];
  // Row 0: yhat = 0, a = (-0.3, 0.2, 0.1); row 1: yhat = 2, a = (0.1, 0.3, -0.4).
  assert.deepEqual(Array.from(gradientFactor(p, 3), (v) => +v.toFixed(12)), [-0.3, 0.2, 0.1, 0.1, 0.3, -0.4]);
  const g = gradientEmbedding(p, 3, h, 2);
  const byHand = [-0.3 * 1, -0.3 * 2, 0.2 * 1, 0.2 * 2, 0.1 * 1, 0.1 * 2, 0.1 * -1, 0.1 * 0.5, 0.3 * -1, 0.3 * 0.5, -0.4 * -1, -0.4 * 0.5];
  byHand.forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-12, `g[${i}] = ${g[i]}, by hand ${v}`));
  const { sqDist, sqNorm } = gradientSquaredDistance(gradientFactor(p, 3), 3, h, 2);
  const explicit = (i: number, j: number) => { let s = 0; for (let t = 0; t < 6; t++) s += (g[i * 6 + t] - g[j * 6 + t]) ** 2; return s; };
  assert.ok(Math.abs(sqDist(0, 1) - explicit(0, 1)) < 1e-12);
  assert.ok(Math.abs(sqNorm[0] - (0.09 + 0.04 + 0.01) * 5) < 1e-12);
});

test("BADGE starts at the largest gradient and spreads over clusters", async () => {
  // Four points; point 2 has the largest gradient (uncertain and large h); points 0/1 and 2/3 are near twins.
  const p = [0.9, 0.1, 0.89, 0.11, 0.5, 0.5, 0.51, 0.49];
  const h = [1, 0, 1.01, 0, 0, 3, 0, 2.99];
  const picked = badgeSelect(p, 2, h, 2, 2, new Rng(1));
  assert.equal(picked[0], 2);
  assert.ok([0, 1].includes(picked[1]), `second pick ${picked[1]} should leave the twin of the first`);
});

/** logits = W x + b for inputs of size D (a linear classifier), with exact gradients. */
function linearModel(W: number[][], b: number[]): InputGradientModel {
  const C = W.length, D = W[0].length;
  const logits = (x: Float32Array) => {
    const n = x.length / D;
    const out = new Float32Array(n * C);
    for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) { let s = b[c]; for (let t = 0; t < D; t++) s += W[c][t] * x[i * D + t]; out[i * C + c] = s; }
    return out;
  };
  return {
    numClasses: C, inputSize: D, logits: async (x) => logits(x),
    logitGradients: async (x, classes) => Float32Array.from({ length: x.length }, (_, j) => W[classes[Math.floor(j / D)]][j % D]),
    lossGradients: async (x, labels) => {
      const z = logits(x);
      const n = x.length / D;
      const out = new Float32Array(x.length);
      for (let i = 0; i < n; i++) {
        const m = Math.max(...z.subarray(i * C, (i + 1) * C));
        const e = Array.from(z.subarray(i * C, (i + 1) * C), (v) => Math.exp(v - m));
        const s = e.reduce((a, v) => a + v, 0);
        for (let t = 0; t < D; t++) out[i * D + t] = e.reduce((a, v, c) => a + (v / s - (c === labels[i] ? 1 : 0)) * W[c][t], 0);
      }
      return out;
    },
  };
}

test("DeepFool on a linear classifier: the perturbation is the closed-form distance to the boundary", async () => {
  // z0 = 3 x1 - x2, z1 = x1 + 2 x2 + 0.5. At x = (2, 0): z0 = 6, z1 = 2.5, so f = z1 - z0 = -3.5 with
  // w = (1, 2) - (3, -1) = (-2, 3): the distance to the boundary is |f| / |w| and |eta|^2 = 3.5^2 / 13.
  const model = linearModel([[3, -1], [1, 2]], [0, 0.5]);
  const { sqNorm } = await deepFoolAttack(model, Float32Array.from([2, 0]), 50);
  const expected = 3.5 ** 2 / 13;
  assert.ok(Math.abs(sqNorm[0] - expected) < 1e-4, `|eta|^2 = ${sqNorm[0]}, closed form ${expected}`);
});

test("DeepFool 'minimum' steps to the nearest boundary, DeepAL+'s 'last-class' toward the last class", async () => {
  // At x = 0 class 0 leads by 1. Class 1's boundary is 1 / 0.1 = 10 away, class 2's 1 / 1 = 1 away.
  const x = Float32Array.from([0, 0]);
  const nearestLast = linearModel([[0, 0], [0.1, 0], [0, 1]], [1, 0, 0]);
  assert.ok(Math.abs((await deepFoolAttack(nearestLast, x, 50, "minimum")).sqNorm[0] - 1) < 1e-4);
  assert.ok(Math.abs((await deepFoolAttack(nearestLast, x, 50, "last-class")).sqNorm[0] - 1) < 1e-4);
  // Swap the two: the nearest boundary is class 1's, the last class is the far one.
  const nearestFirst = linearModel([[0, 0], [0, 1], [0.1, 0]], [1, 0, 0]);
  assert.ok(Math.abs((await deepFoolAttack(nearestFirst, x, 50, "minimum")).sqNorm[0] - 1) < 1e-4);
  assert.ok(Math.abs((await deepFoolAttack(nearestFirst, x, 50, "last-class")).sqNorm[0] - 100) < 1e-2, "DeepAL+'s loop steps toward class 2, 10 away");
});

test("BIM flips a linear classifier after the hand-counted number of sign steps", async () => {
  // z0 = 1, z1 = x1 + x2. Row 0 at (0, 0) is class 0; each step of eps = 0.03 along sign(grad) = (+1, +1)
  // raises z1 - z0 by 0.06: -1 + 0.06 k > 0 first at k = 17.
  // Row 1 at (5, 5.01) is class 1; steps go along (-1, -1): 9.01 - 0.06 k < 0 first at k = 151.
  const model = linearModel([[0, 0], [1, 1]], [1, 0]);
  const { sqNorm, iterations } = await bimAttack(model, Float32Array.from([0, 0, 5, 5.01]), 0.03, 200);
  assert.equal(iterations[0], 17);
  assert.ok(Math.abs(sqNorm[0] - 2 * (17 * 0.03) ** 2) < 1e-5);
  assert.equal(iterations[1], 151);
  assert.equal((await bimAttack(model, Float32Array.from([0, 0]), 0.03, 5)).sqNorm[0], Infinity, "unflipped within the cap: ranked last");
});

test("CEAL pseudo-labels only confident candidates, never the picked ones; the threshold schedule", async () => {
  // Entropies: row 0 ~1.9e-7, row 1 0.67, row 2 ~2.2e-8, row 3 0 but picked.
  const probs: McProbs = { T: 1, N: 4, C: 2, data: Float32Array.from([1 - 1e-8, 1e-8, 0.6, 0.4, 1e-9, 1 - 1e-9, 1, 0]) };
  const { positions, labels } = cealPseudoLabels({ ...probs, data: Float64Array.from([1 - 1e-8, 1e-8, 0.6, 0.4, 1e-9, 1 - 1e-9, 1, 0]) }, [3], 1e-5);
  assert.deepEqual(positions, [0, 2]);
  assert.deepEqual(labels, [0, 1]);
  assert.deepEqual(cealPseudoLabels(probs, [], 1e-9).positions, [3], "only the exactly certain row is below 1e-9");
  // DeepAL+'s entropy without epsilon: row 3 (probabilities 1 and exactly 0) gets NaN and is never taken;
  // row 2 (no exact zero in float64) still is.
  const f64 = { ...probs, data: Float64Array.from([1 - 1e-8, 1e-8, 0.6, 0.4, 1e-9, 1 - 1e-9, 1, 0]) };
  assert.deepEqual(cealPseudoLabels(f64, [], 1e-5, true).positions, [0, 2]);
  assert.deepEqual(cealPseudoLabels(f64, [], 1e-5, false).positions, [0, 2, 3]);
  assert.throws(() => strategyByName("ceal-max-entropy(nan=2)"), /nan must be 0 or 1/);
  assert.equal(cealThreshold(1e-5, 0, 7), 1e-5);
  // DeepAL+: delta -= 0.033e-5 * t at rounds t = 1, 2, 3.
  assert.ok(Math.abs(cealThreshold(5e-5, 3.3e-7, 3) - (5e-5 - 3.3e-7 * 6)) < 1e-15);
});

test("PCA recovers principal axes; KCenter after PCA on a hand case", async () => {
  const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(values[0] - 3) < 1e-12 && Math.abs(values[1] - 1) < 1e-12);
  assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-12);
  // Points on the line t (1, 1, 0) / sqrt(2) with tiny noise on z: one component keeps the distances along the line.
  const ts = [0, 1, 2, 10, 11];
  const r = new Rng(1);
  const X = Float64Array.from(ts.flatMap((t) => [t / Math.SQRT2, t / Math.SQRT2, r.normal() * 1e-6]));
  const { data, dim } = pcaProject(X, 3, 1, new Rng(2));
  assert.equal(dim, 1);
  for (let i = 1; i < ts.length; i++) assert.ok(Math.abs(Math.abs(data[i] - data[0]) - ts[i]) < 1e-5);
  // Greedy k-center from the labelled point t = 0: the farthest is t = 11; then the nearest-centre
  // distances of t = 1, 2, 10 are 1, 2, 1, so t = 2.
  const cand = data.subarray(1);
  const picked = greedyKCenter(cand, data.subarray(0, 1), 1, 2).map((i) => ts[i + 1]);
  assert.deepEqual(picked, [11, 2]);
  // The same after the iterative (wide) path: 80-d data with a dominant direction.
  const wide = new Float64Array(50 * 80);
  for (let i = 0; i < 50; i++) for (let t = 0; t < 80; t++) wide[i * 80 + t] = (t === 3 ? i : 0) + r.normal() * 1e-3;
  const w = pcaProject(wide, 80, 2, new Rng(3));
  assert.ok(Math.abs(Math.abs(w.data[49 * 2] - w.data[0]) - 49) < 1e-2);
});

test("win-tie-loss counts with the 0.5% margin and ranks by wins minus losses", async () => {
  const scores = new Map([
    ["A", new Map([["mnist:1", 0.90], ["mnist:2", 0.80], ["cifar:1", 0.500]])],
    ["B", new Map([["mnist:1", 0.89], ["mnist:2", 0.803], ["cifar:1", 0.505]])],
    ["C", new Map([["mnist:1", 0.80]])],
  ]);
  const t = winTieLoss(scores, 0.005);
  // A vs B: +0.01 win, -0.003 tie, -0.005 exactly the margin: tie.
  assert.deepEqual(t.get("A")!.get("B"), { win: 1, tie: 2, loss: 0 });
  assert.deepEqual(t.get("B")!.get("A"), { win: 0, tie: 2, loss: 1 });
  assert.deepEqual(t.get("C")!.get("A"), { win: 0, tie: 0, loss: 1 }, "only the units both have");
  const totals = winTieLossTotals(t);
  assert.deepEqual(totals.map((r) => r.method), ["A", "B", "C"]);
  assert.deepEqual(totals[0].total, { win: 2, tie: 2, loss: 0 });
});

test("catalogue strategies: names, what they ask the loop for, the survey's VarRatio = LeastConf", async () => {
  assert.equal(strategyByName("plain-margin").predictions, "deterministic");
  assert.equal(strategyByName("margin").predictions, undefined);
  assert.equal(strategyByName("badge").needsEmbeddings, "penultimate");
  assert.equal(strategyByName("adversarial-bim").needsInputGradients, true);
  assert.ok(strategyByName("ceal-max-entropy(delta=5e-5,decay=3.3e-7)").pseudoLabels);
  assert.throws(() => strategyByName("plain-nonsense"), /'nonsense' is not a score/);
  assert.throws(() => strategyByName("kmeans(k=3)"), /unknown parameter 'k'/);
  assert.equal(strategyByName("kmeans(restarts=10,greedy=1)").needsEmbeddings, "penultimate");
  assert.throws(() => strategyByName("kmeans(greedy=2)"), /greedy must be 0 or 1/);
  // 1 - max p (DeepAL+'s VarRatio) ranks exactly as LeastConf; Gal's variation ratio differs.
  const p: McProbs = { T: 1, N: 3, C: 3, data: Float64Array.from([0.5, 0.3, 0.2, 0.9, 0.05, 0.05, 0.4, 0.35, 0.25]) };
  const oneMinusMax = [0.5, 0.1, 0.6];
  assert.deepEqual(topK(leastConfidence(p), 3), topK(oneMinusMax, 3));
});

test("augmentation: crop offsets pad with the given value, flips mirror columns", async () => {
  // One 2x2 single-channel image [[1, 2], [3, 4]]; with padding 1 every offset in {-1, 0, 1}^2 is possible.
  const x = Float32Array.from([1, 2, 3, 4]);
  const seen = new Set<string>();
  const r = new Rng(4);
  for (let i = 0; i < 200; i++) seen.add(Array.from(augmentBatch(x, [1, 2, 2, 1], { cropPadding: 1, horizontalFlip: true, padValue: [-9] }, r)).join(","));
  assert.ok(seen.has("1,2,3,4") && seen.has("2,1,4,3"), "identity and flip");
  assert.ok(seen.has("-9,-9,-9,1"), "offset (-1, -1): the image moves down-right, padding fills the rest");
  for (const s of seen) assert.ok(s.split(",").every((v) => ["1", "2", "3", "4", "-9"].includes(v)));
  const none = augmentBatch(x, [1, 2, 2, 1], { cropPadding: 0, horizontalFlip: false, padValue: [0] }, r);
  assert.deepEqual(Array.from(none), [1, 2, 3, 4]);
});

test("a CEAL run trains on labelled + pseudo-labelled points; the labelled count excludes them", async () => {
  await initBackend("cpu");
  const ds = tinyDataset();
  const cfg = {
    experiment: "test", dataset: "tiny", model: "mlp", strategy: "ceal-max-entropy(delta=2)", seed: 3, initialPerClass: 2, initialSelection: "random" as const,
    validationSize: 0, steps: 2, acquireSize: 4, poolSubset: 50, testSubset: 30, T: 1, consistentMc: false, testMcPasses: 0,
    train: { epochs: 5, batchSize: 0, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy" as const, keepBestValidation: false },
  };
  const r = (await runActiveLearning(ds, (rng) => mlp(rng, 16, [8], 3, 0.2), strategyByName(cfg.strategy), cfg))!;
  assert.deepEqual(r.records.map((s) => s.labelled), [6, 10, 14]);
  const first = r.records[0].pseudoLabelled!;
  // delta = 2 > ln 3: every other candidate is pseudo-labelled.
  assert.equal(first.indices.length, 50 - 4);
  assert.ok(first.indices.every((i) => !r.records[0].acquired.includes(i)));
  assert.ok(first.accuracy >= 0 && first.accuracy <= 1);
  assert.ok(r.records[0].seconds.score! >= 0 && r.records[0].seconds.select! >= 0);
});

test("survey profiles: every config field is a protocol row; sweeps dedupe shared strategies", async () => {
  for (const name of Object.keys(SURVEY_PROFILES)) {
    const cfg = surveyProfile(name);
    assert.deepEqual(uncoveredFields(cfg, SURVEY_PROTOCOL), [], name);
    const runs = surveyRunConfigs(cfg);
    const distinct = new Set(cfg.arms.map((a) => a.strategy)).size;
    assert.equal(runs.length, cfg.parts.length * cfg.seeds.length * distinct, name);
    const rows = protocolTable(SURVEY_PROTOCOL, cfg);
    if (name === "authors-code") {
      for (const point of ["CEAL threshold", "KCenter embedding", "DeepFool step", "Dropout for the D versions", "Batch norm in the MC passes"]) {
        assert.equal(rows.find((r) => r.point === point)!.verdict, "match", point);
      }
    }
    if (name === "paper") assert.equal(rows.find((r) => r.point === "CEAL threshold")!.verdict, "match");
  }
  const bad = surveyProfile("smoke");
  bad.arms.push({ ...bad.arms[0] });
  assert.throws(() => surveyRunConfigs(bad), /label 'Random' appears twice/);
});

test("win-tie-loss table from runs: identical curves tie", async () => {
  const cfg = surveyProfile("smoke");
  const run = (strategy: string, seed: number, accs: number[]): RunResult => ({
    key: `${strategy}${seed}`, backend: "cpu", finishedAt: "", config: { ...surveyRunConfigs(cfg)[0], strategy, seed },
    records: accs.map((a, i) => ({ step: i, labelled: 20 + 10 * i, testAccuracy: a, valAccuracy: NaN, testMeanMI: NaN, acquired: [], trainEpochs: 1, bestEpoch: -1, valLoss: NaN, seconds: { train: 1, evaluate: 0, acquire: 0 } })),
  });
  const results = [1, 2].flatMap((s) => [run("random", s, [0.5, 0.6, 0.7, 0.8]), run("plain-least-confidence", s, [0.5, 0.7, 0.8, 0.9])]);
  const rows = winTieLossTable(cfg, results);
  const lc = rows.find((r) => r.strategy === "LeastConf")!;
  assert.equal(lc.Random, "2/0/0");
  assert.equal(lc.VarRatio, "0/2/0", "VarRatio shares LeastConf's runs");
});

test("Fashion-MNIST and CIFAR-100 loaders read small files the test writes (md5-checked)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bal-survey-data-"));
  mkdirSync(join(dir, "fashion-mnist"));
  const images = (n: number) => gzipSync(encodeIdx([n, 28, 28], Uint8Array.from({ length: n * 784 }, (_, i) => i % 256)));
  const labels = (n: number) => gzipSync(encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 10)));
  const parts = { trainImages: images(3), trainLabels: labels(3), testImages: images(2), testLabels: labels(2) };
  const files = Object.fromEntries(Object.entries(FASHION_MNIST_FILES).map(([k, f]) => {
    const bytes = parts[k as keyof typeof parts];
    writeFileSync(join(dir, "fashion-mnist", f.name), bytes);
    return [k, { ...f, md5: md5Of(bytes) }];
  })) as unknown as typeof FASHION_MNIST_FILES;
  const fm = await loadFashionMnist(dir, files);
  assert.equal(fm.train.n, 3);
  assert.equal(fm.test.n, 2);
  assert.ok(Math.abs(fm.train.x[1] - (1 / 255 - 0.286) / 0.3529) < 1e-6);
  await assert.rejects(loadFashionMnist(dir), /Checksum mismatch .*train-images-idx3-ubyte\.gz|Checksum mismatch/);
  // CIFAR-100: two records (coarse, fine, 3,072 pixels) in a ustar archive.
  const record = (coarse: number, fine: number) => Uint8Array.from([coarse, fine, ...Array.from({ length: 3072 }, (_, i) => (i * 7) % 256)]);
  const train = Buffer.concat([record(1, 42), record(19, 99)]);
  const testBin = Buffer.from(record(0, 3));
  const tarEntry = (name: string, data: Buffer) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, "latin1");
    h.write("0000644\0", 100); h.write("0000000\0", 108); h.write("0000000\0", 116);
    h.write(data.length.toString(8).padStart(11, "0") + "\0", 124);
    h.write("00000000000\0", 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0", 257); h.write("00", 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  };
  const tgz = gzipSync(Buffer.concat([tarEntry("cifar-100-binary/train.bin", train), tarEntry("cifar-100-binary/test.bin", testBin), Buffer.alloc(1024)]));
  mkdirSync(join(dir, "cifar100"));
  writeFileSync(join(dir, "cifar100", "small.tar.gz"), tgz);
  const c100 = await loadCifar100(dir, { dataset: "cifar100", name: "small.tar.gz", md5: md5Of(tgz), mirrors: [] });
  assert.equal(c100.numClasses, 100);
  assert.deepEqual(Array.from(c100.train.y), [42, 99]);
  assert.deepEqual(Array.from(c100.test.y), [3]);
  // Pixel (0, 0) channel G is byte 2 + 1024 of the record: (1024 * 7) % 256 = 0.
  assert.ok(Math.abs(c100.train.x[1] - (0 - 0.4865) / 0.2564) < 1e-6);
  assert.throws(() => decodeCifar100Records(Uint8Array.from([0, 100, ...new Uint8Array(3072)]), "bad.bin"), /bad\.bin: record 0 has label 100 \(expected 0-99\)/);
});

test("the stored step-0 check against PyTorch (tools/survey-step0/) compares 13 seeds a side and reports a permutation p in [0, 1]", () => {
  const out = execFileSync(process.execPath, [join(PROJECT_ROOT, "tools/survey-step0/compare.js")], { encoding: "utf8" });
  for (const side of ["ours", "pytorch"]) assert.match(out, new RegExp(`^${side} +13 seeds: eval-mode test accuracy mean [0-9.]+%`, "m"), out);
  const p = Number(/permutation p = ([0-9.]+)/.exec(out)?.[1]);
  assert.ok(p >= 0 && p <= 1, out);
  for (const side of ["ours", "pytorch"]) {
    const stored = JSON.parse(readFileSync(join(PROJECT_ROOT, "reference-results/checks", `survey-step0-${side}.json`), "utf8"));
    assert.equal(stored.testImages, 10000, side);
    // Every seed's class counts sum to the test set, and its accuracy lies in [0, 1].
    for (const s of stored.seeds) {
      assert.equal(s.predictedClassCounts.reduce((a: number, b: number) => a + b, 0), 10000, `${side} seed ${s.seed}`);
      assert.ok(s.testAccuracy >= 0 && s.testAccuracy <= 1, `${side} seed ${s.seed}`);
    }
  }
});
