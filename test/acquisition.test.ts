import { test } from "node:test";
import assert from "node:assert/strict";
import { bald, leastConfidence, margin, maxEntropy, meanStd, randomScores, topK, variationRatio } from "../src/acquisition/scores";
import { McProbs } from "../src/acquisition/types";
import { Rng } from "../src/seeding/rng";

const probs = (T: number, N: number, C: number, rows: number[][]): McProbs => ({ T, N, C, data: Float64Array.from(rows.flat()) });
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

/** Random probabilities from a Dirichlet-ish draw. */
function randomProbs(T: number, N: number, C: number, seed: number): McProbs {
  const rng = new Rng(seed);
  const data = new Float64Array(T * N * C);
  for (let i = 0; i < T * N; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += data[i * C + c] = rng.uniform() ** 3;
    for (let c = 0; c < C; c++) data[i * C + c] /= s;
  }
  return { T, N, C, data };
}

test("hand-computed: two passes that disagree completely", () => {
  // pass 1 says class 0, pass 2 says class 1: pbar = [.5, .5]
  const p = probs(2, 1, 2, [[1, 0], [0, 1]]);
  close(maxEntropy(p)[0], Math.log(2));
  close(bald(p)[0], Math.log(2)); // every pass certain: E H = 0
  close(variationRatio(p)[0], 0.5); // modal class seen 1 of 2 times
  close(meanStd(p)[0], 0.5); // each class: values {1, 0} -> std 0.5
  close(leastConfidence(p)[0], 0.5);
  close(margin(p)[0], 0);
});

test("hand-computed: agreeing uncertain passes have entropy but no BALD", () => {
  const p = probs(3, 1, 2, [[0.7, 0.3], [0.7, 0.3], [0.7, 0.3]]);
  const h = -(0.7 * Math.log(0.7) + 0.3 * Math.log(0.3));
  close(maxEntropy(p)[0], h);
  close(bald(p)[0], 0, 1e-12);
  close(variationRatio(p)[0], 0);
  close(meanStd(p)[0], 0, 1e-9);
  close(margin(p)[0], -0.4);
});

test("hand-computed: variation ratio counts the modal argmax over T", () => {
  // argmaxes over 4 passes: 0, 0, 2, 1 -> mode count 2 -> VR = 1 - 2/4
  const p = probs(4, 1, 3, [[0.5, 0.2, 0.3], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]]);
  close(variationRatio(p)[0], 0.5);
});

test("invariants on random probabilities: 0 <= BALD <= H <= ln C, VR in [0, 1 - 1/C]", () => {
  for (const [T, N, C] of [[5, 50, 10], [20, 30, 3], [1, 10, 2]]) {
    const p = randomProbs(T, N, C, T * 100 + C);
    const h = maxEntropy(p);
    const b = bald(p);
    const vr = variationRatio(p);
    const ms = meanStd(p);
    for (let n = 0; n < N; n++) {
      assert.ok(b[n] >= 0);
      assert.ok(b[n] <= h[n] + 1e-12);
      assert.ok(h[n] <= Math.log(C) + 1e-12);
      assert.ok(vr[n] >= 0 && vr[n] <= 1 - 1 / C + 1e-12);
      assert.ok(ms[n] >= 0 && ms[n] <= 0.5 + 1e-12);
    }
    if (T === 1) b.forEach((v) => close(v, 0, 1e-12));
  }
});

test("shape errors name the function", () => {
  assert.throws(() => bald({ T: 2, N: 2, C: 2, data: new Float32Array(3) }), /bald: probs has 3 values/);
});

test("topK: highest first, ties to the lower index, NaN rejected", () => {
  assert.deepEqual(topK([0.1, 0.5, 0.5, 0.9], 3), [3, 1, 2]);
  assert.throws(() => topK([0.1, NaN], 1), /NaN/);
  assert.throws(() => topK([0.1], 2), /exceeds/);
});

test("random scores are reproducible from the seed", () => {
  assert.deepEqual(Array.from(randomScores(5, new Rng(7))), Array.from(randomScores(5, new Rng(7))));
  assert.notDeepEqual(Array.from(randomScores(5, new Rng(7))), Array.from(randomScores(5, new Rng(8))));
});
