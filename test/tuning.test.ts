import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { McProbs } from "../src/acquisition/types";
import { AlRunConfig, runActiveLearning, runKey, RunResult } from "../src/loop/active-learning";
import { chooseCTrial, chooseDropoutTrial, pearsonR, pearsonR2, tuneHyperparameters, validationQuality } from "../src/loop/tuning";
import { mlp } from "../src/models/classifiers";
import { ModelOptions } from "../src/models/types";
import { RunStore } from "../src/results/store";
import { Rng } from "../src/seeding/rng";
import { tinyDataset } from "./helpers";

const close = (a: number | null, b: number, tol = 1e-12) => assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("pearsonR2 on hand cases: a line is 1, a permutation 0.25, a constant series undefined", () => {
  close(pearsonR2([1, 2, 3], [2, 4, 6]), 1);
  close(pearsonR2([1, 2, 3], [-1, -2, -3]), 1);
  // r = cov / (sd sd) = 0.5 / (1 * 1) for [1,2,3] vs [1,3,2].
  close(pearsonR2([1, 2, 3], [1, 3, 2]), 0.25);
  assert.equal(pearsonR2([1, 1, 1], [1, 2, 3]), null);
  assert.equal(pearsonR2([1], [1]), null);
  assert.throws(() => pearsonR2([1, 2], [1]), /series of 2 and 1 values/);
  close(pearsonR([1, 2, 3], [-1, -2, -3]), -1);
});

test("validationQuality: accuracy and NLL of the mean prediction, R^2 of squared error vs predicted variance", () => {
  // T = 2 passes, N = 3 points, C = 2 classes, labels [0, 1, 0].
  const p: McProbs = { T: 2, N: 3, C: 2, data: Float64Array.from([
    0.9, 0.1, 0.2, 0.8, 0.3, 0.7, // pass 0
    0.7, 0.3, 0.4, 0.6, 0.5, 0.5, // pass 1
  ]) };
  const q = validationQuality(p, [0, 1, 0]);
  // Means: [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]: points 0 and 1 right, point 2 wrong.
  close(q.accuracy, 2 / 3);
  close(q.nll, -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3, 1e-12);
  // Squared errors: 2 * 0.2^2, 2 * 0.3^2, 2 * 0.6^2; variances (over passes, per class, summed): 2 * 0.01 each point.
  // A constant predicted variance makes R^2 undefined.
  assert.equal(q.r2, null);
  const p2: McProbs = { ...p, data: Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.1, 0.9, 0.7, 0.3, 0.4, 0.6, 0.7, 0.3]) };
  // Variances: 0.02, 0.02, 0.18; squared errors: 0.08, 0.18, 0.72 -> R^2 of those two series.
  close(validationQuality(p2, [0, 1, 0]).r2, pearsonR2([0.08, 0.18, 0.72], [0.02, 0.02, 0.18])!, 1e-9);
  // Sure where wrong, unsure where right: the R^2 counts negative.
  const p3: McProbs = { ...p, data: Float64Array.from([0.6, 0.4, 0.2, 0.8, 0.4, 0.6, 1.0, 0.0, 0.2, 0.8, 0.4, 0.6]) };
  assert.ok(validationQuality(p3, [0, 1, 0]).r2! < 0);
});

test("the dropout rule takes the best R^2 within one validation image of the best accuracy; the C rule the best accuracy, then the lower NLL", () => {
  const dropoutTrials = [
    { valAccuracy: 1.0, r2: 0.2 },
    { valAccuracy: 0.9, r2: 0.5 }, // one image (of 10) below the best: eligible, best R^2 among the eligible
    { valAccuracy: 0.8, r2: 0.9 }, // two images below: not eligible, whatever its R^2
    { valAccuracy: 1.0, r2: null },
  ];
  assert.equal(chooseDropoutTrial(dropoutTrials, 10), 1);
  // With 5 validation images one image is 0.2: the 0.8 trial becomes eligible.
  assert.equal(chooseDropoutTrial(dropoutTrials, 5), 2);
  assert.equal(chooseDropoutTrial([{ valAccuracy: 0.5, r2: null }], 10), 0);
  assert.equal(chooseCTrial([{ valAccuracy: 0.9, valNll: 0.1 }, { valAccuracy: 1, valNll: 0.5 }, { valAccuracy: 1, valNll: 0.3 }, { valAccuracy: 1, valNll: 0.3 }]), 2);
  assert.equal(chooseCTrial([{ valAccuracy: 0.7, valNll: 0.9 }]), 0);
});

test("tuneHyperparameters picks the grid point a hand case dictates (p by R^2, then C by accuracy with the chosen p)", async () => {
  const y = [0, 1, 0, 1];
  // Two passes over 4 points; `wrong` points are predicted wrong, `spread` sets each point's variance.
  const probs = (wrong: number[], spread: number[]): McProbs => {
    const data = new Float64Array(2 * 4 * 2);
    for (let n = 0; n < 4; n++) {
      const right = wrong.includes(n) ? 0.3 : 0.8;
      for (let t = 0; t < 2; t++) {
        const pr = right + (t === 0 ? spread[n] : -spread[n]);
        data[(t * 4 + n) * 2 + y[n]] = pr;
        data[(t * 4 + n) * 2 + 1 - y[n]] = 1 - pr;
      }
    }
    return { T: 2, N: 4, C: 2, data };
  };
  const seen: string[] = [];
  const result = await tuneHyperparameters({ dropout: [[0.1], [0.3], [0.5]], c: [1, 10] }, 5, y, async (dropout, c, trial) => {
    seen.push(`${trial}:${dropout[0]}:${c}`);
    if (c === 5 && dropout[0] === 0.1) return probs([3], [0.1, 0.1, 0.1, 0.01]); // the wrong point is the least uncertain: R^2 signed -1
    if (c === 5 && dropout[0] === 0.3) return probs([3], [0.01, 0.02, 0.01, 0.15]); // the wrong point is the most uncertain: high R^2
    if (c === 5 && dropout[0] === 0.5) return probs([1, 2, 3], [0.01, 0.1, 0.1, 0.15]); // three wrong: two images below the best, not eligible
    // Stage 2 with p = 0.3: C = 10 gets every point right.
    return c === 10 ? probs([], [0.01, 0.02, 0.03, 0.04]) : probs([3], [0.01, 0.02, 0.03, 0.04]);
  });
  assert.deepEqual(result.dropout, [0.3]);
  assert.equal(result.c, 10);
  assert.deepEqual(seen, ["0:0.1:5", "1:0.3:5", "2:0.5:5", "3:0.3:1", "4:0.3:10"]);
  assert.deepEqual(result.trials.map((t) => t.stage), ["dropout", "dropout", "dropout", "c", "c"]);
});

const ds = tinyDataset();
const modelFor = (o: ModelOptions) => (rng: Rng) => mlp(rng, 16, [24], 3, 0.3, o);
const tuned = (strategy: string): AlRunConfig => ({
  experiment: "test", dataset: "tiny", model: "mlp", strategy, seed: 4, initialPerClass: 2, validationSize: 30,
  steps: 3, acquireSize: 4, poolSubset: 100, testSubset: 40, T: 5, consistentMc: true,
  train: { epochs: 8, batchSize: 0, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy", l2: { c: 2.5, layers: "dense" } },
  tuning: { dropout: [[0.1], [0.5]], c: [0.25, 25] },
});
const strip = (r: RunResult) => r.records.map(({ seconds, ...rest }) => { void seconds; return rest; });

test("a run with config.tuning tunes once before step 0, records what it tried and chose, and resumes with the same choice", async () => {
  await initBackend("cpu");
  const cfg = tuned("deimos");
  const lines: string[] = [];
  const whole = (await runActiveLearning(ds, modelFor({}), strategyByName(cfg.strategy), cfg, { modelFor, log: (l) => lines.push(l) }))!;
  assert.equal(whole.tuning!.trials.length, 4);
  assert.ok([0.1, 0.5].includes(whole.tuning!.dropout[0]));
  assert.ok([0.25, 25].includes(whole.tuning!.c));
  assert.equal(lines.filter((l) => /tuning chose/.test(l)).length, 1);
  // Same seed, same choice and curves; resumed from a checkpoint, no second tuning and the same records.
  const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-tune-"))).ensureWritable();
  assert.equal(await runActiveLearning(ds, modelFor({}), strategyByName(cfg.strategy), cfg, { store, modelFor, maxStepsThisCall: 2 }), null);
  assert.deepEqual(store.loadCheckpoint<{ tuning: unknown }>(runKey(cfg))!.tuning, whole.tuning);
  const resumedLines: string[] = [];
  const resumed = (await runActiveLearning(ds, modelFor({}), strategyByName(cfg.strategy), cfg, { store, modelFor, log: (l) => resumedLines.push(l) }))!;
  assert.deepEqual(strip(resumed), strip(whole));
  assert.deepEqual(resumed.tuning, whole.tuning);
  assert.equal(resumedLines.filter((l) => /tuning/.test(l)).length, 0);
});

test("config.tuning: a missing modelFor, a missing L2 penalty and bad grids are errors naming the field", async () => {
  await initBackend("cpu");
  const cfg = tuned("random");
  await assert.rejects(runActiveLearning(ds, modelFor({}), strategyByName("random"), cfg), /config\.tuning needs RunOptions\.modelFor/);
  const noL2 = { ...cfg, train: { ...cfg.train, l2: undefined } };
  await assert.rejects(runActiveLearning(ds, modelFor({}), strategyByName("random"), noL2, { modelFor }), /tuning\.c needs train\.l2/);
  await assert.rejects(runActiveLearning(ds, modelFor({}), strategyByName("random"), { ...cfg, tuning: { dropout: [[1.2]], c: [0] } }, { modelFor }),
    /tuning\.dropout\[0\]: expected a non-empty list of rates in \[0, 1\), got \[1\.2\]; tuning\.c: expected a non-empty list of positive numbers/);
});
