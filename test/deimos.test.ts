import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appendPoints, centrePredictions, labelledInSampleSet, deimosClassificationBatch, deimosGreedyBlocks, deimosTauSInv, deimosGreedyDense, deimosGreedyLowRank, deimosRegressionBatch,
  denseCovariance, optimalBatch, traceReduction,
} from "../src/acquisition/deimos";
import { Rng } from "../src/seeding/rng";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test("Appendix A: greedy picks point 2 then 1 or 3 (~16.9); the optimal pair {1,3} gives ~19.6", async () => {
  const V = Float64Array.from([9, 3, 2, 3, 2, 3, 2, 3, 9]);
  const g = deimosGreedyDense(V, 3, 2);
  assert.equal(g.picked[0], 1); // point 2 (0-based 1): EI = (9 + 4 + 9) / 2 = 11
  assert.ok(g.picked[1] === 0 || g.picked[1] === 2);
  close(g.gains[0], 11);
  close(g.gains[0] + g.gains[1], 11 + 26.5 / 4.5); // 16.889
  const opt = optimalBatch(V, 3, 2);
  assert.deepEqual(opt.batch, [0, 2]);
  close(opt.reduction, 9 + 126 / 77 + 9); // 19.636
  close(traceReduction(V, 3, g.picked), g.gains[0] + g.gains[1]);
});

function randomPredictions(J: number, S: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: J * S }, () => rng.normal());
}

test("expected improvement equals a brute-force trace reduction on random small matrices", async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const J = 6;
    const S = 7;
    const P = centrePredictions(randomPredictions(J, S, seed), J, S);
    const V = denseCovariance(P, J, S, 0.15);
    const g = deimosGreedyDense(V, S, 3);
    let cumulative = 0;
    g.gains.forEach((gain, i) => {
      cumulative += gain;
      close(traceReduction(V, S, g.picked.slice(0, i + 1)), cumulative, 1e-8);
    });
    // Greedy never beats the optimum.
    assert.ok(cumulative <= optimalBatch(V, S, 3).reduction + 1e-9);
  }
});

test("the low-rank (Gram) form picks the same batch with the same gains as the dense form", async () => {
  for (const [J, S, k] of [[5, 12, 4], [20, 40, 10], [3, 30, 6]]) {
    const P = centrePredictions(randomPredictions(J, S, J * S), J, S);
    const dense = deimosGreedyDense(denseCovariance(P, J, S, 0.2), S, k);
    const low = deimosGreedyLowRank(P, J, S, 0.2, k);
    assert.deepEqual(low.picked, dense.picked);
    low.gains.forEach((g, i) => close(g, dense.gains[i], 1e-8));
  }
});

test("classification blocks: greedy EI equals the brute-force trace reduction with c x c blocks", async () => {
  for (let seed = 1; seed <= 4; seed++) {
    const J = 8, S = 6, c = 3, tauS = 0.05;
    const P = centrePredictions(randomPredictions(J, S * c, seed), J, S * c);
    const V = denseCovariance(P, J, S * c, 0);
    const g = deimosGreedyDense(V, S, 3, c, tauS);
    let cumulative = 0;
    g.gains.forEach((gain, i) => {
      cumulative += gain;
      close(traceReduction(V, S, g.picked.slice(0, i + 1), c, tauS), cumulative, 1e-8);
    });
    assert.ok(cumulative <= optimalBatch(V, S, 3, c, tauS).reduction + 1e-9);
  }
});

test("classification blocks: the low-rank form equals the dense form", async () => {
  for (const [J, S, c, k] of [[10, 15, 2, 4], [20, 30, 10, 6], [4, 12, 3, 5]]) {
    const P = centrePredictions(randomPredictions(J, S * c, J + S + c), J, S * c);
    const dense = deimosGreedyDense(denseCovariance(P, J, S * c, 0), S, k, c, 0.01);
    const low = deimosGreedyBlocks(P, J, S, c, 0, 0.01, k);
    assert.deepEqual(low.picked, dense.picked);
    low.gains.forEach((g, i) => close(g, dense.gains[i], 1e-7));
  }
});

test("a single-class block is the regression case; a point with no variance is never worth labelling first", async () => {
  const J = 6, S = 9;
  const P = centrePredictions(randomPredictions(J, S, 3), J, S);
  const reg = deimosGreedyLowRank(P, J, S, 0.1, 3);
  const blocks = deimosGreedyBlocks(P, J, S, 1, 0.1, 0, 3);
  assert.deepEqual(blocks.picked, reg.picked);
  // Probabilities: point 0 is identical across passes (zero variance), the others vary.
  const rng = new Rng(5);
  const T = 10, N = 5, C = 2;
  const data = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) {
    const p = n === 0 ? 0.5 : rng.uniform();
    data.set([p, 1 - p], (t * N + n) * C);
  }
  const res = deimosClassificationBatch({ T, N, C, data }, N, deimosTauSInv({ T, N, C, data }, 0.005));
  assert.equal(res.picked[N - 1], 0);
  assert.notEqual(res.picked[0], 0);
  assert.equal(deimosRegressionBatch({ T: J, N: S, data: randomPredictions(J, S, 8) }, 4).picked.length, 4);
});

test("tau_s^-1 is the fraction times the mean over points and classes of the variance over passes (hand case)", async () => {
  // J = 2 passes, 1 point, 2 classes: p = [.2, .8] then [.6, .4]: variances (.2^2 each, population) = .04 per class.
  const p = { T: 2, N: 1, C: 2, data: Float64Array.from([0.2, 0.8, 0.6, 0.4]) };
  assert.ok(Math.abs(deimosTauSInv(p, 0.01) - 0.01 * 0.04) < 1e-15);
});

test("DEIMOS fixes tau_s from the validation set at its first round and keeps it (also across a checkpoint)", async () => {
  const { strategyByName } = await import("../src/acquisition/strategy");
  const rng = new Rng(2);
  const T = 8, N = 12, C = 3;
  const probs = (scale: number) => {
    const data = new Float64Array(T * N * C);
    for (let i = 0; i < T * N; i++) {
      const a = 1 + scale * rng.uniform(), b = 1 + scale * rng.uniform(), c = 1;
      data.set([a / (a + b + c), b / (a + b + c), c / (a + b + c)], i * C);
    }
    return { T, N, C, data };
  };
  const s = strategyByName("deimos(tau=0.01,labelled=0)");
  let calls = 0;
  const val = probs(5);
  const ctx = (round: number) => ({ probs: probs(3), n: N, rng, round, validationProbs: async () => { calls++; return round === 1 ? val : probs(50); } });
  await s.select(ctx(1), 2);
  const fixed = (s.state!() as { tauSInv: number }).tauSInv;
  assert.ok(Math.abs(fixed - deimosTauSInv(val, 0.01)) < 1e-15);
  await s.select(ctx(2), 2);
  assert.equal(calls, 1); // never asked again
  assert.equal((s.state!() as { tauSInv: number }).tauSInv, fixed);
  const resumed = strategyByName("deimos(tau=0.01,labelled=0)");
  resumed.restore!(s.state!());
  await resumed.select(ctx(3), 2);
  assert.equal((resumed.state!() as { tauSInv: number }).tauSInv, fixed);
  assert.throws(() => resumed.restore!({ tauSInv: -1 }), /tauSInv -1 is not a positive number/);
});

function classProbs(T: number, N: number, C: number, rng: Rng) {
  const data = new Float64Array(T * N * C);
  for (let i = 0; i < T * N; i++) {
    const w = Array.from({ length: C }, () => 0.2 + rng.uniform() * 3);
    const sum = w.reduce((a, b) => a + b, 0);
    w.forEach((v, c) => { data[i * C + c] = v / sum; });
  }
  return { T, N, C, data };
}

test("the sample set with labelled points (§4): they count in the trace, are never picked, and change the greedy pick (brute force)", async () => {
  let changed = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const rng = new Rng(seed);
    const J = 10, N = 6, M = 4, C = 2, tauS = 0.05, k = 3;
    const cand = classProbs(J, N, C, rng), lab = classProbs(J, M, C, rng);
    const all = appendPoints(cand, lab);
    // Pass by pass, the candidates' values and then the labelled points'.
    assert.deepEqual(Array.from(all.data).slice(N * C, (N + M) * C), Array.from(lab.data).slice(0, M * C));
    assert.deepEqual(Array.from(all.data).slice((N + M) * C, (N + M) * C + N * C), Array.from(cand.data).slice(N * C, 2 * N * C));
    const V = denseCovariance(centrePredictions(all.data, J, (N + M) * C), J, (N + M) * C, 0);
    const g = deimosClassificationBatch(cand, k, tauS, lab);
    assert.ok(g.picked.every((j) => j < N), `picked ${g.picked}`);
    // Brute-force greedy over the candidates, the trace over all N + M points.
    const picked: number[] = [];
    for (let step = 0; step < k; step++) {
      let best = -1, bestValue = -Infinity;
      for (let j = 0; j < N; j++) {
        if (picked.includes(j)) continue;
        const v = traceReduction(V, N + M, [...picked, j], C, tauS);
        if (v > bestValue) { bestValue = v; best = j; }
      }
      picked.push(best);
      close(g.gains.slice(0, step + 1).reduce((a, b) => a + b, 0), bestValue, 1e-8);
    }
    assert.deepEqual(g.picked, picked);
    if (JSON.stringify(deimosClassificationBatch(cand, k, tauS).picked) !== JSON.stringify(g.picked)) changed++;
  }
  assert.ok(changed > 0, "the labelled points never changed a pick");
});

test("the DEIMOS strategy reads the labelled points' predictions unless labelled=0", async () => {
  const { strategyByName } = await import("../src/acquisition/strategy");
  assert.equal(strategyByName("deimos").needsLabelledProbs, true);
  assert.equal(strategyByName("deimos(labelled=0)").needsLabelledProbs, false);
  assert.throws(() => strategyByName("deimos(labelled=2)"), /labelled must be 0 or 1, got 2/);
  const rng = new Rng(3);
  const val = classProbs(6, 5, 2, rng);
  await assert.rejects(async () => strategyByName("deimos").select({ probs: classProbs(6, 8, 2, rng), n: 8, rng, round: 1, validationProbs: async () => val }, 2),
    /needs the labelled points' MC probabilities/);
  const picked = await strategyByName("deimos").select({ probs: classProbs(6, 8, 2, rng), n: 8, rng, round: 1, validationProbs: async () => val, labelledProbs: classProbs(6, 3, 2, rng) }, 2);
  assert.equal(picked.length, 2);
  assert.ok(picked.every((j) => j < 8));
});

test("App. D's sample set: the labelled points drawn before the last candidate (hand cases and the expected count)", () => {
  const rng = new Rng(7);
  assert.equal(labelledInSampleSet(0, 50, 20, rng), 0);
  assert.equal(labelledInSampleSet(10, 50, 0, rng), 0);
  assert.throws(() => labelledInSampleSet(10, 50, 51, rng), /51 candidates from a pool of 50/);
  // Each labelled point precedes the n-th of P pool points in a random order with probability n / (P + 1).
  const L = 10, P = 90, n = 45, draws = 4000;
  let total = 0;
  for (let i = 0; i < draws; i++) {
    const k = labelledInSampleSet(L, P, n, rng);
    assert.ok(k >= 0 && k <= L);
    total += k;
  }
  assert.ok(Math.abs(total / draws - (L * n) / (P + 1)) < 0.15, `mean ${total / draws} vs ${(L * n) / (P + 1)}`);
  // The whole pool as candidates: nearly every labelled point is drawn (all but those after the last pool point).
  assert.ok(labelledInSampleSet(5, 1000, 1000, rng) >= 4);
});
