import { formatQuantile } from "../src/experiments/softmax-repeated-mnist/index";
import { test } from "node:test";
import assert from "node:assert/strict";
import { aubc, aubcToolkit, averageStep, quantile, samplesToReach, stepAverage } from "../src/report/metrics";

const grid = [0, 10, 20, 30];
// Hand-made example: three runs on the same grid, target accuracy 0.9.
const runs = [
  { budget: grid, accuracy: [0.5, 0.85, 0.91, 0.95] }, // reaches at 20
  { budget: grid, accuracy: [0.5, 0.88, 0.89, 0.92] }, // reaches at 30
  { budget: grid, accuracy: [0.6, 0.9, 0.93, 0.96] }, // reaches at 10
];

test("samplesToReach: first budget at or above the target, Infinity when never", () => {
  assert.equal(samplesToReach(runs[0], 0.9), 20);
  assert.equal(samplesToReach(runs[0], 0.99), Infinity);
});

test("Step-Average: per-run samples, then mean and population std", () => {
  const sa = stepAverage(runs, 0.9);
  assert.deepEqual(sa.runs, [10, 20, 30]);
  assert.equal(sa.mean, 20);
  assert.ok(Math.abs(sa.std - Math.sqrt(200 / 3)) < 1e-12); // 8.165, as Pilz's "±" (ddof = 0)
});

test("Average-Step: average curve [0.533, 0.877, 0.910, 0.943] reaches 0.9 at 20", () => {
  assert.equal(averageStep(runs, 0.9), 20);
  // Pilz's Figure 4 effect: every run can reach a target before the average run does.
  // run 1 reaches at 10, run 2 at 30 (SA = 20); the average [0, .875, .875, .95] only at 30.
  const wobbly = [{ budget: grid, accuracy: [0, 0.95, 0.95, 0.95] }, { budget: grid, accuracy: [0, 0.8, 0.8, 0.95] }];
  assert.equal(stepAverage(wobbly, 0.9).mean, 20);
  assert.equal(averageStep(wobbly, 0.9), 30);
});

test("Step-Average with a run that never reaches: mean Infinity, std undefined", () => {
  const sa = stepAverage([runs[0], { budget: grid, accuracy: [0, 0, 0, 0] }], 0.9);
  assert.equal(sa.mean, Infinity);
  assert.ok(Number.isNaN(sa.std));
});

test("AUBC by the trapezoid rule, normalised by the budget", () => {
  // (0.5+0.85)/2*10 + (0.85+0.91)/2*10 + (0.91+0.95)/2*10 = 6.75 + 8.8 + 9.3 = 24.85 -> / 30
  assert.ok(Math.abs(aubc(runs[0]) - 24.85 / 30) < 1e-12);
});

test("quantiles interpolate linearly and handle Infinity", () => {
  assert.equal(quantile([110, 110, 130, 140, 150], 0.5), 130);
  assert.equal(quantile([100, 200], 0.25), 125);
  assert.equal(quantile([100, Infinity], 0.75), Infinity);
});

test("paper-002 quantile cells: integers stay whole, halves and quarters keep their decimals, never is infinity", () => {
  assert.deepEqual([10, 20, 17.5, 108.75, 112.5, 0, Infinity].map(formatQuantile), ["10", "20", "17.5", "108.75", "112.5", "0", "∞"]);
});

test("check-learning: chance from the dataset's classes; a run or a mean too close to chance fails, naming it", async () => {
  const { checkLearning, classesOf } = await import("../src/report/learning-check");
  assert.equal(classesOf("mnist(classes=7-9)"), 2);
  assert.equal(classesOf("cifar10(std=dbalhq)"), 10);
  const run = (dataset: string, strategy: string, acc: number) => ({
    key: strategy, backend: "cpu", finishedAt: "", config: { experiment: "e", dataset, strategy, seed: 1 },
    records: [{ testAccuracy: 0.1 }, { testAccuracy: acc }],
  }) as unknown as import("../src/loop/active-learning").RunResult;
  const ok = checkLearning([run("mnist", "a", 0.6), run("mnist", "b", 0.25)]);
  assert.deepEqual(ok.map((c) => c.failures), [[]]);
  assert.ok(Math.abs(ok[0].meanFinal - 0.425) < 1e-12);
  const bad = checkLearning([run("mnist", "a", 0.6), run("mnist", "b", 0.12), run("mnist(classes=7-9)", "c", 0.52)]);
  assert.equal(bad.length, 2);
  assert.deepEqual(bad[0].failures, ["e on mnist: b seed 1 ends at 12.0%, not 4.0% above chance (10.0%)"]);
  assert.equal(bad[1].failures.length, 2); // binary: 52% is neither 10 points above 50% on average nor 4 points for the run
});

test("AUBC as DeepAL+'s get_aubc computes it: the last trapezoid weighted by quota % b, divided by the quota, 3 decimals", () => {
  // quota a multiple of b: (1.2 + 1.5 + 1.7) x 100 / 2 = 220; 220 / 300 = 0.7333 -> 0.733.
  assert.equal(aubcToolkit(300, 100, [0.5, 0.7, 0.8, 0.9]), 0.733);
  // CIFAR-10 defaults: quota 1,000, b 128, int(1000 / 128) = 7 rounds (8 accuracies). Six full trapezoids
  // (0.9 + 1.1 + 1.3 + 1.45 + 1.55 + 1.65) x 64 = 508.8, the last (0.85 + 0.9) x 104 / 2 = 91: 599.8 / 1000 -> 0.6.
  const cifar = [0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];
  assert.equal(aubcToolkit(1000, 128, cifar), 0.6);
  // The plain trapezoid rule over the 896 acquired points differs in the second decimal: 620.8 / 896.
  assert.ok(Math.abs(aubc({ budget: cifar.map((_, i) => 1000 + 128 * i), accuracy: cifar }) - 620.8 / 896) < 1e-12);
  assert.throws(() => aubcToolkit(0, 100, [0.5, 0.6]), /quota and bsize must be positive integers/);
  assert.throws(() => aubcToolkit(100, 100, [0.5]), /at least 2 accuracies/);
});

test("against the authors' spread: common budgets only, our mean inside / above / below their min..max, our runs outside counted", async () => {
  const { againstPublishedSpread, describePosition } = await import("../src/report/spread");
  // Theirs at 20 / 70 / 120: ranges [0.40, 0.60], [0.70, 0.80], [0.85, 0.90]; they have no point at 170.
  const theirs = [{ budget: [20, 70, 120], accuracy: [0.4, 0.7, 0.85] }, { budget: [20, 70, 120], accuracy: [0.6, 0.8, 0.9] }, { budget: [20, 70, 120], accuracy: [0.5, 0.75, 0.88] }];
  const ours = [{ budget: [20, 70, 120, 170], accuracy: [0.5, 0.9, 0.8, 0.95] }, { budget: [20, 70, 120, 170], accuracy: [0.62, 0.84, 0.84, 0.96] }];
  const points = againstPublishedSpread(ours, theirs);
  assert.deepEqual(points.map((p) => p.budget), [20, 70, 120]);
  assert.deepEqual(points.map((p) => p.position), ["inside", "above", "below"]); // means 0.56, 0.87, 0.82
  assert.deepEqual(points.map((p) => p.oursOutside), [1, 2, 2]); // 0.62 > 0.60; both above 0.80; both below 0.85
  assert.ok(Math.abs(points[1].theirsMean - 0.75) < 1e-12);
  assert.deepEqual([points[1].theirsMin, points[1].theirsMax, points[1].theirsN], [0.7, 0.8, 3]);
  assert.deepEqual(points.map(describePosition), ["inside", "above their max by 7.0 points", "below their min by 3.0 points"]);
  // A gap under 0.1 points keeps two decimals (never "by 0.0 points"): 0.95183 vs their max 0.9517.
  assert.equal(describePosition(againstPublishedSpread([{ budget: [320], accuracy: [0.9518333] }], [{ budget: [320], accuracy: [0.9517] }])[0]), "above their max by 0.01 points");
  // A mean on the range's edge (up to float noise) is inside: (0.6 + 0.6 + 0.6) / 3 = 0.6000000000000001.
  assert.equal(againstPublishedSpread([0, 1, 2].map(() => ({ budget: [20], accuracy: [0.6] })), [theirs[1]])[0].position, "inside");
  assert.deepEqual(againstPublishedSpread([], theirs), []);
  assert.throws(() => againstPublishedSpread([{ budget: [20, 70], accuracy: [0.5] }], theirs), /2 budgets but 1 accuracies/);
});

test("against the authors' spread, one row per curve: inside count, above / below as ranges of neighbouring sizes, run-points outside, mean gap", async () => {
  const { againstPublishedSpread, spreadSummaryCells } = await import("../src/report/spread");
  const grid = [20, 30, 40, 50, 60];
  const theirs = [{ budget: grid, accuracy: [0.5, 0.5, 0.5, 0.5, 0.5] }, { budget: grid, accuracy: [0.6, 0.6, 0.6, 0.6, 0.6] }];
  // Our single run: inside at 20, above at 30 and 40 (neighbours: one range), inside at 50 (on their max), below at 60.
  const ours = [{ budget: grid, accuracy: [0.55, 0.7, 0.65, 0.6, 0.4] }];
  assert.deepEqual(spreadSummaryCells(againstPublishedSpread(ours, theirs)), {
    "sizes compared": "5 (20-60)", "our mean inside their range": "2 of 5", "our mean above their max at": "30-40", "our mean below their min at": "60",
    "our run-points outside their range": "3 of 5",
    "mean gap, ours - their mean (points)": "3.00", // (0 + 15 + 10 + 5 - 15) / 5 points
    // Run means: ours 0.58, theirs 0.50 and 0.60. Splits of 3 values 1 | 2: gaps 0.03 (observed), 0.09, 0.06: all as large.
    "gap as large when runs are split at random (two-sided p)": "1.000 (exact, 3 splits)",
  });
  const apart = [{ budget: grid, accuracy: [0.7, 0.5, 0.7, 0.5, 0.7] }];
  assert.equal(spreadSummaryCells(againstPublishedSpread(apart, theirs))["our mean above their max at"], "20, 40, 60");
  assert.equal(spreadSummaryCells([])["sizes compared"], "0");
});

test("permutation p of a difference in means: exact on hand-counted splits, sampled beyond 200,000 splits, both sides needed", async () => {
  const { permutationP } = await import("../src/report/spread");
  // [1, 2] vs [3, 4]: the 6 splits' gaps are -2, -1, 0, 0, 1, 2; |gap| >= 2 in 2 of them.
  assert.deepEqual(permutationP([1, 2], [3, 4]), { p: 2 / 6, splits: 6, exact: true });
  assert.deepEqual(permutationP([1], [1, 1]), { p: 1, splits: 3, exact: true });
  // 3 of ours beside 5 of theirs, all ours higher: only the observed split and none other as large one-sided; two-sided 1 / 56.
  assert.deepEqual(permutationP([10, 11, 12], [1, 2, 3, 4, 5]), { p: 1 / 56, splits: 56, exact: true });
  // C(46, 6) > 200,000: sampled with a fixed generator (the same p twice), far apart groups give the smallest p.
  const far = permutationP([100, 101, 102, 103, 104, 105], Array.from({ length: 40 }, (_, i) => i / 10));
  assert.deepEqual([far.exact, far.splits, far.p], [false, 20000, 1 / 20001]);
  const mixed = () => permutationP([1, 2, 3, 4, 5, 6], Array.from({ length: 40 }, (_, i) => (i % 7) + 0.5));
  assert.ok(mixed().p > 0.2 && mixed().p === mixed().p);
  assert.throws(() => permutationP([], [1]), /needs values on both sides \(got 0 and 1\)/);
});
