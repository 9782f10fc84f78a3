// Hybrid uncertainty x diversity strategies (paper 000): hand-computed cases and invariants.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  combineScores, DEFAULT_DISCRIMINATOR, discriminatorScores, discriminatorTrainingSet, minDistanceScores, posteriorVariance, roundHalfEven,
  scaledUncertainty, standardise, twoStageNegatedArgsort, twoStageQuery,
} from "../src/acquisition/hybrid";
import { topK } from "../src/acquisition/scores";
import { strategyByName } from "../src/acquisition/strategy";
import { Rng } from "../src/seeding/rng";

tf.setBackend("cpu");
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const U = [0.9, 0.2, 0.5, 0.7];
const D = [0.1, 0.8, 0.6, 0.3];

test("geometric and arithmetic means with alpha = 1 equal the uncertainty score (alpha = 0: diversity)", async () => {
  assert.deepEqual(Array.from(combineScores("geo", U, D, 1, 1)), U);
  assert.deepEqual(Array.from(combineScores("arith", U, D, 1, 1)), U);
  assert.deepEqual(Array.from(combineScores("arith", U, D, 0, 1)), D);
  close(combineScores("arith", U, D, 0.3, 1)[1], 0.3 * 0.2 + 0.7 * 0.8);
  close(combineScores("geo", U, D, 0.3, 1)[2], 0.5 ** 0.3 * 0.6 ** 0.7);
});

test("time-decayed means: weight 1 - e^(-beta t) on uncertainty, tending to it as t grows", async () => {
  const w = 1 - Math.exp(-0.5 * 2);
  close(combineScores("decay-arith", U, D, 0.5, 2)[0], w * 0.9 + (1 - w) * 0.1);
  close(combineScores("decay-geo", U, D, 0.5, 2)[3], 0.7 ** w * 0.3 ** (1 - w));
  const late = combineScores("decay-arith", U, D, 0.9, 100);
  late.forEach((v, i) => close(v, U[i], 1e-12));
  assert.throws(() => combineScores("ufirst", U, D, 2, 1), /two-stage/);
});

test("two-stage with gamma = 1 equals the first metric's top-m; a hand case with gamma = 3", async () => {
  const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);
  assert.deepEqual(sorted(twoStageQuery(U, D, 2, 1)), sorted(topK(U, 2)));
  assert.deepEqual(sorted(twoStageQuery(D, U, 3, 1)), sorted(topK(D, 3)));
  // Shortlist = top 3 by U = [0, 3, 2]; the best of those by D is point 2 (0.6).
  assert.deepEqual(twoStageQuery(U, D, 1, 3), [2]);
  // The shortlist is capped at n.
  assert.equal(twoStageQuery(U, D, 2, 6).length, 2);
});

test("GP posterior variance: ~0 at a labelled point, hand value elsewhere, never outside [0, 1]", async () => {
  const d = 2;
  const labelled = [0, 0];
  const candidates = [0, 0, 1, 1, 10, 10];
  const v = posteriorVariance(candidates, labelled, d);
  assert.ok(v[0] < 1e-5, `variance at a labelled point ${v[0]}`);
  const k = Math.exp(-2 / (2 * d)); // |(1,1)|^2 = 2
  close(v[1], 1 - k * k / (1 + 1e-6), 1e-6);
  close(v[2], 1, 1e-9);
  // Duplicated labelled points (a singular kernel matrix) still factorise with a larger jitter.
  const dup = posteriorVariance([0.5, 0.5], [0, 0, 0, 0, 1, 1], d);
  assert.ok(dup[0] >= 0 && dup[0] <= 1);
});

test("min distance: 0 for a labelled point, the farthest candidate scores 1", async () => {
  const s = minDistanceScores([0, 0, 3, 4, 6, 8], [0, 0], 2);
  assert.deepEqual(Array.from(s), [0, 0.5, 1]);
});

test("scaled uncertainties lie in [0, 1] and reach 1 for a uniform, disagreeing prediction", async () => {
  // Two passes that disagree completely over C = 2: entropy ln 2, BALD ln 2, VR 1/2.
  const p = { T: 2, N: 1, C: 2, data: Float64Array.from([1, 0, 0, 1]) };
  close(scaledUncertainty("entropy", p)[0], 1);
  close(scaledUncertainty("bald", p)[0], 1);
  close(scaledUncertainty("vr", p)[0], 1);
});

test("standardise: the union has mean 0 and std 1 per dimension", async () => {
  const s = standardise([1, 10, 3, 30], [5, 50], 2);
  const all = [...s.candidates, ...s.labelled];
  for (const dim of [0, 1]) {
    const xs = all.filter((_, i) => i % 2 === dim);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    close(m, 0, 1e-12);
    close(Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length), 1, 1e-12);
  }
});

test("discriminator scores candidates far from the labelled set higher", async () => {
  const rng = new Rng(3);
  const labelled: number[] = [];
  const candidates: number[] = [];
  for (let i = 0; i < 20; i++) labelled.push(rng.normal() * 0.3, rng.normal() * 0.3);
  for (let i = 0; i < 20; i++) candidates.push(rng.normal() * 0.3, rng.normal() * 0.3); // near
  for (let i = 0; i < 20; i++) candidates.push(3 + rng.normal() * 0.3, 3 + rng.normal() * 0.3); // far
  const s = await discriminatorScores(candidates, labelled, 2, rng, { ...DEFAULT_DISCRIMINATOR, hidden: 16, epochs: 30, batchSize: 16, lr: 0.01 });
  const near = s.slice(0, 20).reduce((a, b) => a + b, 0) / 20;
  const far = s.slice(20).reduce((a, b) => a + b, 0) / 20;
  assert.ok(far > near + 0.2, `far ${far} vs near ${near}`);
  s.forEach((v) => assert.ok(v >= 0 && v <= 1));
});

test("hybrid and diversity strategies select k distinct candidates; names are checked", async () => {
  const rng = new Rng(1);
  const N = 30, C = 3, T = 4, dim = 3;
  const data = new Float64Array(T * N * C).map(() => rng.uniform());
  for (let i = 0; i < T * N; i++) {
    const z = data[i * C] + data[i * C + 1] + data[i * C + 2];
    for (let c = 0; c < C; c++) data[i * C + c] /= z;
  }
  const embeddings = {
    candidates: Float32Array.from({ length: N * dim }, () => rng.normal()),
    labelled: Float32Array.from({ length: 5 * dim }, () => rng.normal()), dim,
  };
  for (const name of ["hybrid-bald-gp-geo(alpha=0.5)", "hybrid-vr-mindist-ufirst(gamma=3)", "hybrid-entropy-mindist-decay-arith(beta=0.3)",
    "posterior-variance", "min-distance"]) {
    const picked = await strategyByName(name).select({ probs: { T, N, C, data }, n: N, rng, round: 2, embeddings }, 4);
    assert.equal(new Set(picked).size, 4, name);
  }
  assert.throws(() => strategyByName("hybrid-bald-gp-geo"), /needs alpha/);
  assert.throws(() => strategyByName("hybrid-bald-gp-geo(gamma=2)"), /unknown parameter 'gamma'/);
});

test("discriminator: the authors' settings (10 hidden, dropout .25, Adam 1e-3, batch 128, 50 epochs) and their tiled training set", async () => {
  assert.deepEqual({ ...DEFAULT_DISCRIMINATOR, batches: "any" }, { hidden: 10, dropout: 0.25, epochs: 50, batchSize: 128, lr: 1e-3, batches: "any" });
  // numpy's round is half-to-even: 2.5 -> 2, 3.5 -> 4, 0.5 -> 0.
  assert.deepEqual([2.5, 3.5, 0.5, 2.4, 2.6, 7].map(roundHalfEven), [2, 4, 0, 2, 3, 7]);
  // 5 candidates, 2 labelled: round(2.5) = 2 copies, labelled rows first (class 1), then the candidates (class 0).
  const t = discriminatorTrainingSet([10, 11, 12, 13, 14], [1, 2], 1);
  assert.equal(t.copies, 2);
  assert.deepEqual(Array.from(t.x), [1, 2, 1, 2, 10, 11, 12, 13, 14]);
  assert.deepEqual(Array.from(t.y), [0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
  // More labelled than candidates still keeps one copy.
  assert.equal(discriminatorTrainingSet([1], [1, 2, 3, 4], 1).copies, 1);
  assert.throws(() => discriminatorTrainingSet([1, 2], [], 1), /need whole rows of width 1 and a labelled set/);
});

test("variation ratio scaled by classes (paper) and by the pool subset (authors' code) on a hand case", async () => {
  // T = 2 passes, N = 4 candidates, C = 2: candidate 0 votes [0, 1] (mode count 1), the others [0, 0] (count 2).
  const T = 2, N = 4, C = 2;
  const data = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) {
    const cls = n === 0 && t === 1 ? 1 : 0;
    data[(t * N + n) * C + cls] = 0.9;
    data[(t * N + n) * C + 1 - cls] = 0.1;
  }
  const p = { T, N, C, data };
  // paper: (1 - count / T) / (1 - 1/C) -> [1, 0, 0, 0]
  scaledUncertainty("vr", p).forEach((v, i) => close(v, i === 0 ? 1 : 0));
  // code: (1 - count / N) / (1 - 1/C) -> (1 - 1/4) / .5 = 1.5 and (1 - 2/4) / .5 = 1
  scaledUncertainty("vr", p, "pool-subset").forEach((v, i) => close(v, i === 0 ? 1.5 : 1));
});

test("two-stage query with the authors' negated argsort indices, worked through numpy's indexing by hand", async () => {
  const u = [0.5, 0.1, 0.9, 0.3, 0.7];
  const d = [0.2, 0.4, 0.6, 0.8, 1.0];
  // argsort(u) = [1, 3, 0, 4, 2]; idx1 = -[1, 3] -> rows 4 and 2; d there = [1.0, .6]; argsort = [1, 0];
  // idx2 = -[1] -> position 1 of idx1 = -3 -> row 2.
  assert.deepEqual(twoStageNegatedArgsort(u, d, 1, 2), [2]);
  // The paper's query takes the 2 most uncertain (rows 2 and 4), then the more diverse: row 4.
  assert.deepEqual(twoStageQuery(u, d, 1, 2), [4]);
  // -0 is index 0: with u ascending from row 0, idx1 starts at -0 = row 0.
  // idx1 = -[0, 1, 2, 3] -> rows [0, 3, 2, 1]; d there = [5, 8, 7, 6]; argsort[:2] = [0, 3];
  // idx2 = -[0, 3] -> positions [0, 1] of idx1 -> rows 0 and 3.
  assert.deepEqual(twoStageNegatedArgsort([0, 1, 2, 3], [5, 6, 7, 8], 2, 2), [0, 3]);
  const picked = twoStageNegatedArgsort(Array.from({ length: 50 }, (_, i) => i * 0.37 % 1), Array.from({ length: 50 }, (_, i) => i * 0.61 % 1), 10, 3);
  assert.equal(new Set(picked).size, 10);
});

test("strategy options reach the hybrid scores: the two-stage order and the variation-ratio scale change the picks", async () => {
  const rng = () => new Rng(1);
  const N = 40, C = 4, T = 6, dim = 3;
  const r0 = new Rng(7);
  const data = new Float64Array(T * N * C).map(() => r0.uniform() ** 3);
  for (let i = 0; i < T * N; i++) {
    let z = 0;
    for (let c = 0; c < C; c++) z += data[i * C + c];
    for (let c = 0; c < C; c++) data[i * C + c] /= z;
  }
  const embeddings = { candidates: Float32Array.from({ length: N * dim }, () => r0.normal()), labelled: Float32Array.from({ length: 6 * dim }, () => r0.normal()), dim };
  const pick = async (name: string, options = {}) => strategyByName(name, options).select({ probs: { T, N, C, data }, n: N, rng: rng(), round: 1, embeddings }, 5);
  assert.notDeepEqual(await pick("hybrid-bald-mindist-ufirst(gamma=3)"), await pick("hybrid-bald-mindist-ufirst(gamma=3)", { twoStage: "negated-argsort" }));
  assert.notDeepEqual(await pick("hybrid-vr-mindist-arith(alpha=0.5)"), await pick("hybrid-vr-mindist-arith(alpha=0.5)", { varRatioScale: "pool-subset" }));
  // The pure ranking by variation ratio does not depend on its scale (alpha = 1).
  assert.deepEqual(await pick("hybrid-vr-mindist-arith(alpha=1)"), await pick("hybrid-vr-mindist-arith(alpha=1)", { varRatioScale: "pool-subset" }));
});

test("the paper's appendix numbers are indexed by uncertainty, diversity and combination (Table 1's best hybrids among them)", async () => {
  const { paperAppendixAccuracy, PAPER_TABLE1_HYBRIDS } = await import("../src/experiments/hybrid/index");
  assert.equal(paperAppendixAccuracy("hybrid-vr-gp-decay-geo", "mnist"), 96.75); // Table 1's MNIST best hybrid
  assert.equal(paperAppendixAccuracy("hybrid-bald-disc-dfirst", "cifar10"), 43.98); // Table 1's CIFAR-10 best hybrid
  assert.equal(paperAppendixAccuracy("hybrid-entropy-disc-arith", "mnist"), 96.28); // appendix Table 1, first row
  assert.equal(paperAppendixAccuracy("hybrid-vr-mindist-dfirst", "cifar10"), 42.09); // appendix Table 6, last row
  for (const h of PAPER_TABLE1_HYBRIDS) {
    if (h.mnist !== null) assert.equal(paperAppendixAccuracy(h.hybrid, "mnist"), h.mnist, h.hybrid);
    if (h.cifar10 !== null) assert.equal(paperAppendixAccuracy(h.hybrid, "cifar10"), h.cifar10, h.hybrid);
  }
  // The best hybrids are the maxima of the appendix test columns (the authors selected on test accuracy).
  const bases = ["entropy", "bald", "vr"].flatMap((u) => ["disc", "gp", "mindist"].flatMap((d) => ["arith", "decay-arith", "geo", "decay-geo", "ufirst", "dfirst"].map((c) => `hybrid-${u}-${d}-${c}`)));
  assert.equal(Math.max(...bases.map((b) => paperAppendixAccuracy(b, "mnist")!)), 96.75);
  assert.equal(Math.max(...bases.map((b) => paperAppendixAccuracy(b, "cifar10")!)), 43.98);
});

test("the authors' published curves are found under our strategy names (baselines and hybrids)", async () => {
  const { loadHybridPublished, publishedName, PAPER_TABLE1 } = await import("../src/experiments/hybrid/index");
  assert.equal(publishedName("hybrid-vr-gp-decay-geo(beta=0.6)"), "decay_geometric:variation_ratio+posterior_variance");
  assert.equal(publishedName("random"), "uniform");
  const pub = loadHybridPublished();
  const mnist = pub.experiments.mnist;
  for (const s of ["max-entropy", "bald", "variation-ratio", "discriminator", "posterior-variance", "min-distance", "random"]) {
    const curve = mnist.strategies[publishedName(s)!].mean_test_acc;
    assert.equal(curve.length, 21, s);
    close(100 * curve[20], PAPER_TABLE1[s].mnist, 0.011); // the file's final value is the paper's Table 1 number
  }
  close(100 * mnist.strategies[publishedName("hybrid-vr-gp-decay-geo(beta=0.6)")!].mean_test_acc[20], 96.75, 0.011);
});

test("best hybrids are ranked by validation (paper) or by test accuracy (authors' code)", async () => {
  const { rankChoices, hybridProfile } = await import("../src/experiments/hybrid/index");
  const choice = (base: string, val: number, test: number) => ({ base, value: 1, strategy: `${base}(x=1)`, valAccuracy: val, testAccuracy: { mean: test, std: 0, n: 1 } });
  const choices = [choice("a", 0.9, 0.5), choice("b", 0.8, 0.7), choice("c", 0.7, 0.6)];
  assert.deepEqual(rankChoices(hybridProfile("paper"), choices).map((c) => c.base), ["a", "b", "c"]);
  assert.deepEqual(rankChoices(hybridProfile("authors-code"), choices).map((c) => c.base), ["b", "c", "a"]);
});

test("CIFAR-10 records decode with the given per-channel std (the hybrid code's 0.2023 / 0.1994 / 0.2010)", async () => {
  const { decodeCifarRecords, CIFAR10_MEAN, CIFAR10_STD_DBALHQ } = await import("../src/data/cifar10");
  const record = new Uint8Array(3073);
  record[0] = 3;
  record.fill(255, 1, 1 + 1024); // red plane at 255, green and blue at 0
  const x = decodeCifarRecords(record, "hand case", CIFAR10_STD_DBALHQ).x;
  close(x[0], (1 - CIFAR10_MEAN[0]) / 0.2023, 1e-5);
  close(x[1], (0 - CIFAR10_MEAN[1]) / 0.1994, 1e-5);
  close(x[2], (0 - CIFAR10_MEAN[2]) / 0.201, 1e-5);
});
