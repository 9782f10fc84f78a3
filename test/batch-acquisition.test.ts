// Batch acquisition (paper 002): stochastic Gumbel-top-k variants, BatchBALD, EPIG.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { batchBald, jointEntropy } from "../src/acquisition/batchbald";
import { epig, subsetProbs } from "../src/acquisition/epig";
import { bald, expectedEntropy, maxEntropy } from "../src/acquisition/scores";
import { gumbelTopK, stochasticBatch, stochasticLogits } from "../src/acquisition/stochastic";
import { parseStrategyName, strategyByName } from "../src/acquisition/strategy";
import { McProbs } from "../src/acquisition/types";
import { Rng } from "../src/seeding/rng";

tf.setBackend("cpu");
const close = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} != ${b} (tol ${tol})`);

function randomProbs(T: number, N: number, C: number, seed: number, sharpness = 3): McProbs {
  const rng = new Rng(seed);
  const data = new Float64Array(T * N * C);
  for (let i = 0; i < T * N; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += data[i * C + c] = rng.uniform() ** sharpness + 1e-6;
    for (let c = 0; c < C; c++) data[i * C + c] /= s;
  }
  return { T, N, C, data };
}

/** probs[t][n][c] from per-point functions of the sample index. */
function fromRows(T: number, C: number, points: ((t: number) => number[])[]): McProbs {
  const N = points.length;
  const data = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) points.forEach((f, n) => data.set(f(t), (t * N + n) * C));
  return { T, N, C, data };
}

/** Pearson chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((acc, o, i) => acc + (o - total * probs[i]) ** 2 / (total * probs[i]), 0);
}

test("softmax with beta = 0 is uniform: all logits 0, first picks pass a chi-square test", async () => {
  const scores = [0.1, 5, 0.3, 2, 0.01];
  assert.deepEqual(Array.from(stochasticLogits("softmax", scores, 0)), [0, 0, 0, 0, 0]);
  const rng = new Rng("uniform");
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < 10_000; i++) counts[stochasticBatch("softmax", scores, 0, 1, rng)[0]]++;
  // df = 4: P(chi2 > 18.47) = 0.001.
  assert.ok(chiSquare(counts, [0.2, 0.2, 0.2, 0.2, 0.2]) < 18.47, `counts ${counts}`);
});

test("softmax sampling frequencies follow softmax(beta * score) (chi-square, fixed seed)", async () => {
  const scores = [0, 0.5, 1, 2];
  const beta = 1.5;
  const w = scores.map((s) => Math.exp(beta * s));
  const z = w.reduce((a, b) => a + b, 0);
  const expected = w.map((x) => x / z);
  const rng = new Rng("softmax-frequencies");
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 20_000; i++) counts[stochasticBatch("softmax", scores, beta, 1, rng)[0]]++;
  // df = 3: P(chi2 > 16.27) = 0.001.
  const chi2 = chiSquare(counts, expected);
  assert.ok(chi2 < 16.27, `chi2 ${chi2.toFixed(2)}: counts ${counts}, expected ${expected.map((p) => (p * 20000).toFixed(0))}`);
  // And the statistic is sensitive: the same counts against uniform probabilities fail.
  assert.ok(chiSquare(counts, [0.25, 0.25, 0.25, 0.25]) > 100);
});

test("Gumbel-top-k never repeats an index (k = n gives a permutation)", async () => {
  const rng = new Rng("perm");
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(30);
    const logits = Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 0 : rng.normal() * 5));
    const k = 1 + rng.int(n);
    const picked = gumbelTopK(logits, k, rng);
    assert.equal(picked.length, k);
    assert.equal(new Set(picked).size, k);
    for (const i of picked) assert.ok(i >= 0 && i < n);
  }
  assert.throws(() => gumbelTopK([1, 2], 3, rng), /exceeds/);
});

test("power and softrank logits; large beta approaches top-k", async () => {
  const scores = [0.5, 0, 2, 1];
  const power = stochasticLogits("power", scores, 2);
  close(power[0], 2 * Math.log(0.5), 1e-12);
  assert.ok(Number.isFinite(power[1]) && power[1] < -50); // zero score clamped, not -Infinity
  assert.deepEqual(Array.from(stochasticLogits("softrank", scores, 1)).map((v) => +v.toFixed(6)),
    [-Math.log(3), -Math.log(4), 0, -Math.log(2)].map((v) => +v.toFixed(6)));
  const rng = new Rng("cold");
  for (const kind of ["softmax", "power", "softrank"] as const) {
    assert.deepEqual(stochasticBatch(kind, scores, 1e4, 2, rng), [2, 3], kind);
  }
  assert.throws(() => stochasticLogits("softmax", scores, -1), /beta must be/);
});

test("hand-computed joint entropy of two points (exact)", async () => {
  // K = 2 samples, C = 2. Point a: sample 1 -> [1, 0], sample 2 -> [0, 1]; point b the same.
  // p(y_a, y_b) = 1/2 [1(0,0)] + 1/2 [1(1,1)] -> H = ln 2 (b is fully determined by a).
  const p = fromRows(2, 2, [(t) => (t === 0 ? [1, 0] : [0, 1]), (t) => (t === 0 ? [1, 0] : [0, 1])]);
  close(await jointEntropy(p, [0, 1], { maxConfigs: 100, rng: new Rng(1) }), Math.log(2), 1e-6);
  // Point c independent of a under each sample: c = [.5, .5] always -> H(a, c) = ln 2 + ln 2.
  const q = fromRows(2, 2, [(t) => (t === 0 ? [1, 0] : [0, 1]), () => [0.5, 0.5]]);
  close(await jointEntropy(q, [0, 1], { maxConfigs: 100, rng: new Rng(1) }), 2 * Math.log(2), 1e-6);
});

test("BatchBALD of one point equals BALD", async () => {
  const p = randomProbs(20, 40, 4, 7);
  const b = bald(p);
  const res = await batchBald(p, 1, { maxConfigs: 1000, rng: new Rng(1) });
  let arg = 0;
  for (let n = 1; n < p.N; n++) if (b[n] > b[arg]) arg = n;
  assert.equal(res.indices[0], arg);
  close(res.scores[0], b[arg], 1e-5, "score");
});

test("BatchBALD batch value equals exact joint entropy minus conditional entropies", async () => {
  const p = randomProbs(12, 15, 3, 11);
  const res = await batchBald(p, 4, { maxConfigs: 1000, rng: new Rng(2) }); // 3^3 = 27 configs: exact
  const cond = expectedEntropy(p);
  const value = await jointEntropy(p, res.indices, { maxConfigs: 1000, rng: new Rng(3) }) - res.indices.reduce((a, n) => a + cond[n], 0);
  close(res.scores[3], value, 1e-5);
  // Greedy values increase (information never decreases) and never exceed the sum of BALD scores.
  for (let i = 1; i < 4; i++) assert.ok(res.scores[i] >= res.scores[i - 1] - 1e-6);
  const b = bald(p);
  assert.ok(res.scores[3] <= res.indices.reduce((a, n) => a + b[n], 0) + 1e-5);
});

test("sampled joint entropy agrees with the exact one within sampling error", async () => {
  const p = randomProbs(10, 6, 3, 5, 2);
  const points = [0, 1, 2, 3, 4, 5];
  const exact = await jointEntropy(p, points, { maxConfigs: 1000, rng: new Rng(0) }); // 3^5 = 243 configs
  const estimates = await Promise.all(Array.from({ length: 40 }, (_, s) => jointEntropy(p, points, { maxConfigs: 100, rng: new Rng(`s${s}`) })));
  const m = estimates.reduce((a, b) => a + b, 0) / estimates.length;
  const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - m) ** 2, 0) / (estimates.length - 1));
  assert.ok(sd > 0, "sampled estimates should vary with the seed");
  assert.ok(Math.abs(m - exact) < 4 * sd / Math.sqrt(estimates.length) + 1e-4, `mean ${m} vs exact ${exact} (sd ${sd})`);
  for (const e of estimates) assert.ok(Math.abs(e - exact) < 0.15 * exact, `estimate ${e} vs exact ${exact}`);
});

test("BatchBALD avoids a duplicate that top-k BALD takes", async () => {
  const K = 8;
  const a = (t: number) => (t % 2 === 0 ? [1, 0] : [0, 1]);
  const b = (t: number) => (t < K / 2 ? [0.95, 0.05] : [0.05, 0.95]); // independent of a, slightly lower BALD
  const p = fromRows(K, 2, [a, a, b, () => [0.5, 0.5]]);
  const topBald = bald(p);
  assert.ok(topBald[0] > topBald[2]);
  const res = await batchBald(p, 2, { maxConfigs: 1000, rng: new Rng(1) });
  assert.deepEqual(res.indices, [0, 2]);
  close(res.scores[0], Math.log(2), 1e-5);
});

test("BatchBALD in sampled mode (C^n > M) runs, picks distinct points and stays finite", async () => {
  const p = randomProbs(20, 60, 10, 3);
  const res = await batchBald(p, 6, { maxConfigs: 200, rng: new Rng(4) });
  assert.equal(new Set(res.indices).size, 6);
  for (const s of res.scores) assert.ok(Number.isFinite(s));
  await assert.rejects(batchBald(p, 2, { maxConfigs: 10, rng: new Rng(1) }), /maxConfigs/);
});

test("EPIG: hand cases and invariants", async () => {
  const K = 4;
  const a = (t: number) => (t % 2 === 0 ? [1, 0] : [0, 1]);
  const b = (t: number) => (t < K / 2 ? [1, 0] : [0, 1]);
  const p = fromRows(K, 2, [a, b]);
  // Target = a: candidate a determines it (ln 2), candidate b is independent of it (0).
  const e = await epig(p, subsetProbs(p, [0]));
  close(e[0], Math.log(2), 1e-6);
  close(e[1], 0, 1e-6);
  const r = randomProbs(16, 30, 5, 9);
  const target = subsetProbs(r, [1, 4, 9, 20]);
  const h = maxEntropy(r);
  const scores = await epig(r, target, 7);
  scores.forEach((v, i) => assert.ok(v >= 0 && v <= h[i] + 1e-5, `EPIG ${v} outside [0, H=${h[i]}]`));
  await assert.rejects(epig(r, randomProbs(8, 3, 5, 1)), /K=16/);
});

test("strategy names parse parameters and reject bad ones", async () => {
  assert.deepEqual(parseStrategyName("softmax-bald(beta=4)"), { base: "softmax-bald", params: { beta: 4 } });
  assert.equal(strategyByName("power-max-entropy(beta=2)").name, "power-max-entropy(beta=2)");
  assert.equal(strategyByName("batchbald(M=500)").needsConsistentMc, true);
  assert.equal(strategyByName("softmax-epig").needsConsistentMc, true);
  assert.throws(() => strategyByName("softmax-bald(temp=4)"), /unknown parameter 'temp'/);
  assert.throws(() => strategyByName("softmax-bald(beta=x)"), /not key=number/);
  assert.throws(() => strategyByName("coreset"), /unknown strategy 'coreset'/);
  const p = randomProbs(6, 50, 3, 2);
  const rng = new Rng(1);
  for (const name of ["bald", "softmax-bald", "softrank-max-entropy(beta=2)", "batchbald(M=100)", "epig(targets=10)", "softmax-epig", "random"]) {
    const picked = await strategyByName(name).select({ probs: p, n: p.N, rng, round: 1 }, 5);
    assert.equal(new Set(picked).size, 5, name);
  }
});
