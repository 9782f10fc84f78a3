import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/compute/backend";
import {
  GAL_PROFILES, galProfile, galProtocol, loadPilzPublished, PAPER_SAMPLES, PAPER_STEP_AVERAGE, pilzCurves, galClaims,
} from "../src/experiments/gal-mnist/index";
import { averageStep, samplesToReach, stepAverage } from "../src/report/metrics";
import { leafPaths, protocolTable, ProtocolPoint, uncoveredFields, verdict } from "../src/report/protocol";
import { formatFixed } from "../src/report/tables";
import { lenet5, kerasCnn, disposeModel, mlp } from "../src/models/classifiers";
import { fanIn, pytorchBound } from "../src/models/init";
import { Rng } from "../src/seeding/rng";
import { l2PenaltyValue, penalisedKernels, trainModel } from "../src/training/train";

const pub = loadPilzPublished();

test("units: our Step-Average / Average-Step on Pilz's published accuracies give his Tables 2-3 cells exactly (training-set size, accuracy > target)", async () => {
  let cells = 0;
  for (const e of ["0.1", "0.05"]) {
    for (const s of Object.keys(PAPER_SAMPLES[e])) {
      const curves = pilzCurves(pub, s);
      const target = 1 - Number(e);
      assert.equal(averageStep(curves, target, "above"), PAPER_SAMPLES[e][s].pilz, `Average-Step ${s} at ${e}`);
      const sa = stepAverage(curves, target, "above");
      assert.equal(`${formatFixed(sa.mean)} ± ${formatFixed(sa.std)}`, PAPER_STEP_AVERAGE[e][s], `Step-Average ${s} at ${e}`);
      cells += 2;
    }
  }
  assert.equal(cells, 20);
  // In acquired samples (the old unit) every Average-Step cell is 20 lower: the two-step shift the tables had.
  const acquired = pilzCurves(pub, "bald").map((c) => ({ budget: c.budget.map((n) => n - 20), accuracy: c.accuracy }));
  assert.equal(averageStep(acquired, 0.95, "above"), 250);
  // ">=" instead of Pilz's ">" changes his ME Step-Average at 10% (a run sits exactly at 90.0%).
  assert.notEqual(stepAverage(pilzCurves(pub, "max-entropy"), 0.9, "at-least").mean, stepAverage(pilzCurves(pub, "max-entropy"), 0.9, "above").mean);
});

test("averageStep: float means of equal accuracies reach their target (tolerance, not 0.9499999999999998)", async () => {
  const grid = [20, 30, 40];
  const same = [0, 1, 2].map(() => ({ budget: grid, accuracy: [0.5, 0.95, 0.96] }));
  assert.equal((0.95 + 0.95 + 0.95) / 3 < 0.95, true); // the float trap itself
  assert.equal(averageStep(same, 0.95), 30);
  // 3,000-point accuracies whose exact mean is 0.9: 2,699 / 2,700 / 2,701 correct.
  const counts = [2699, 2700, 2701].map((k) => ({ budget: grid, accuracy: [0.1, k / 3000, 0.95] }));
  assert.equal(averageStep(counts, 0.9), 30);
  assert.equal(averageStep(counts, 0.9, "above"), 40); // strictly above: exactly 0.9 does not count
  // One test point below the target still does not reach it.
  assert.equal(samplesToReach({ budget: grid, accuracy: [0.1, 2699 / 3000, 0.91] }, 0.9), 40);
});

test("PyTorch initialiser: bound 1/sqrt(fan_in) on conv and dense weights and biases", async () => {
  await initBackend("cpu");
  assert.equal(fanIn([5, 5, 1, 6]), 25);
  assert.equal(fanIn([5, 5, 6, 16]), 150);
  assert.equal(fanIn([400, 120]), 400);
  assert.ok(Math.abs(pytorchBound([5, 5, 1, 6]) - 0.2) < 1e-12);
  assert.ok(Math.abs(pytorchBound([400, 120]) - 0.05) < 1e-12);
  const m = lenet5(new Rng(3), 10, { init: "pytorch" });
  let layers = 0;
  for (const layer of m.net.layers) {
    if (!["Conv2D", "Dense"].includes(layer.getClassName())) continue;
    const [kernel, bias] = layer.getWeights();
    const bound = pytorchBound(kernel.shape);
    for (const w of [kernel, bias]) {
      const v = w.dataSync();
      const maxAbs = Array.from(v).reduce((a: number, x: number) => Math.max(a, Math.abs(x)), 0);
      assert.ok(maxAbs <= bound + 1e-7, `${layer.name}: |w| ${maxAbs} > ${bound}`);
      if (v.length >= 50) assert.ok(maxAbs > 0.8 * bound, `${layer.name}: values do not fill the range (max ${maxAbs}, bound ${bound})`);
      assert.ok(v.some((x) => x !== 0), `${layer.name}: all zero`);
    }
    layers++;
  }
  assert.equal(layers, 5);
  // Same seed, same weights; Glorot stays available by name (biases zero).
  const again = lenet5(new Rng(3), 10, { init: "pytorch" });
  assert.deepEqual(Array.from(again.net.layers[0].getWeights()[0].dataSync()), Array.from(m.net.layers[0].getWeights()[0].dataSync()));
  const glorot = kerasCnn(new Rng(3), 10, [28, 28, 1], { init: "glorot" });
  assert.ok(glorot.net.layers[0].getWeights()[1].dataSync().every((b) => b === 0));
  [m, again, glorot].forEach(disposeModel);
});

test("LeNet-5 dropout rates follow modelOptions (Pilz's code: .25 then .5); a wrong count is an error", async () => {
  await initBackend("cpu");
  const rates = (o?: number[]) => {
    const m = lenet5(new Rng(1), 10, o ? { dropout: o } : {});
    const r = m.net.layers.filter((l) => l.getClassName() === "McDropout").map((l) => (l as unknown as { rate: number }).rate);
    disposeModel(m);
    return r;
  };
  assert.deepEqual(rates(), [0.5, 0.25]);
  assert.deepEqual(rates([0.25, 0.5]), [0.25, 0.5]);
  assert.throws(() => lenet5(new Rng(1), 10, { dropout: [0.5] }), /modelOptions.dropout has 1 rates, but the network has 2 dropout layers/);
});

test("authors-code keeps the epoch-400 weights, paper the lowest-validation-loss ones", async () => {
  await initBackend("cpu");
  assert.equal(galProfile("authors-code").run.train.keepBestValidation, false);
  assert.equal(galProfile("paper").run.train.keepBestValidation, true);
  // A validation set labelled against the training labels: its loss is lowest early, so the
  // best-validation weights are an early epoch's, not the final ones.
  const rng = new Rng(7);
  const x = tf.tensor2d(Array.from({ length: 40 * 4 }, () => rng.normal()), [40, 4]);
  const labels = Array.from({ length: 40 }, (_, i) => (x.arraySync()[i][0] > 0 ? 1 : 0));
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), 2).toFloat();
  const yFlipped = tf.oneHot(tf.tensor1d(labels.map((l) => 1 - l), "int32"), 2).toFloat();
  const cfg = { epochs: 30, batchSize: 0, optimizer: { lr: 0.05 }, patience: 0, loss: "softmax-cross-entropy" as const };
  const weights = (m: ReturnType<typeof mlp>) => m.net.getWeights().map((w) => Array.from(w.dataSync()));
  const best = mlp(new Rng(1), 4, [8], 2, 0);
  const last = mlp(new Rng(1), 4, [8], 2, 0);
  const fitBest = await trainModel(best, { x, y }, { x, y: yFlipped }, { ...cfg, keepBestValidation: true }, new Rng(2));
  const fitLast = await trainModel(last, { x, y }, null, { ...cfg, keepBestValidation: false }, new Rng(2));
  assert.ok(fitBest.bestEpoch < 29, `best epoch ${fitBest.bestEpoch}`);
  assert.equal(fitLast.bestEpoch, -1);
  assert.notDeepEqual(weights(best), weights(last));
  // With an honest validation set the best epoch is the last, and the weights coincide.
  const honest = mlp(new Rng(1), 4, [8], 2, 0);
  const fitHonest = await trainModel(honest, { x, y }, { x, y }, { ...cfg, keepBestValidation: true }, new Rng(2));
  assert.equal(fitHonest.bestEpoch, 29);
  assert.deepEqual(weights(honest), weights(last));
  [best, last, honest].forEach(disposeModel);
  tf.dispose([x, y, yFlipped]);
});

test("L2 penalty c/N on hidden dense kernels: value and gradient 2(c/N)W by hand, output layer and biases untouched", async () => {
  await initBackend("cpu");
  const m = mlp(new Rng(4), 3, [5, 4], 2, 0);
  const kernels = penalisedKernels(m, { c: 2.5, layers: "hidden-dense" });
  assert.deepEqual(kernels.map((k) => k.shape), [[3, 5], [5, 4]]);
  const n = 50;
  const sumSq = kernels.reduce((a, k) => a + Array.from(k.dataSync()).reduce((s, v) => s + v * v, 0), 0);
  const value = l2PenaltyValue(kernels, 2.5, n);
  assert.ok(Math.abs(value.dataSync()[0] - (2.5 / n) * sumSq) < 1e-6);
  value.dispose();
  const { grads } = tf.variableGrads(() => l2PenaltyValue(kernels, 2.5, n), kernels);
  kernels.forEach((k) => {
    const g = grads[k.name].dataSync();
    Array.from(k.dataSync()).forEach((w, i) => assert.ok(Math.abs(g[i] - 2 * (2.5 / n) * w) < 1e-6));
  });
  tf.dispose(Object.values(grads));
  assert.equal(penalisedKernels(m, { c: 1, layers: "dense" }).length, 3);
  disposeModel(m);
});

test("protocol verdicts: match, deviation (with the authors' code named), paper silent", async () => {
  type C = { reduced: boolean; a: number; b: string; follows?: "paper" | "authors-code" };
  const rows: ProtocolPoint<C>[] = [
    { point: "A", fields: ["a"], paper: "1", code: "2", paperValue: 1, codeValue: 2 },
    { point: "B", fields: ["b"], paper: "", code: "x", codeValue: "x" },
  ];
  const cfg: C = { reduced: false, a: 1, b: "x" };
  assert.equal(verdict(rows[0], cfg, "paper", false), "match");
  assert.equal(verdict(rows[0], cfg, "authors-code", false), "deviation: differs from its target");
  assert.equal(verdict(rows[0], { ...cfg, a: 2 }, "paper", false), "deviation: as the authors' code");
  assert.equal(verdict(rows[0], { ...cfg, a: 3 }, "paper", true), "deviation: reduced profile");
  assert.equal(verdict(rows[1], cfg, "paper", false), "paper silent: as the authors' code");
  assert.equal(verdict(rows[1], { ...cfg, b: "y" }, "paper", false), "paper silent: our choice (y)");
  assert.deepEqual(protocolTable(rows, cfg)[0], { point: "A", "paper says": "1", "authors' code does": "2", "this profile does": "1", verdict: "match" });
  assert.deepEqual(leafPaths({ profile: "p", x: { y: 1, z: [1, 2] } }, ["profile"]), ["x.y", "x.z"]);
  assert.deepEqual(uncoveredFields({ reduced: false, a: 1, b: "x", c: 3 } as C, rows), ["c"]);
});

test("every field of the Gal/Pilz profiles has a protocol row, and each profile matches its target where it claims to", async () => {
  for (const name of Object.keys(GAL_PROFILES)) {
    const cfg = galProfile(name);
    assert.deepEqual(uncoveredFields(cfg, galProtocol(cfg)), [], `gal-mnist profile '${name}'`);
  }
  // paper follows Pilz's text: its only deviations are none; authors-code deviates from the text exactly where the code does.
  const verdicts = (name: string) => Object.fromEntries(protocolTable(galProtocol(galProfile(name)), galProfile(name)).map((r) => [r.point, String(r.verdict)]));
  const paper = verdicts("paper");
  const code = verdicts("authors-code");
  for (const [name, v] of [["paper", paper], ["authors-code", code]] as const) {
    assert.deepEqual(Object.entries(v).filter(([, x]) => String(x).startsWith("deviation")), [], `${name} deviates`);
  }
  assert.equal(code["Dropout rates"], "match");
  assert.equal(code["Weights kept"], "match");
  assert.equal(paper["Dropout rates"], "match");
  assert.equal(paper["Weights kept"], "match");
  assert.equal(paper["Test prediction"], "paper silent: as the authors' code");
});

test("claims: decided from runs, 'not comparable' for reduced profiles", async () => {
  const smoke = galProfile("smoke");
  assert.ok(galClaims(smoke, []).every((c) => ["not comparable (reduced profile)", "not implemented", "not decidable within this budget"].includes(c.verdict)));
  // Without runs every comparison is "not run"; claims about a budget or method we lack say so.
  assert.ok(galClaims(galProfile("paper"), []).every((c) => ["not run", "not implemented", "not decidable within this budget"].includes(c.verdict)));
});

test("every field of the other notebooks' paper profiles has a protocol row", async () => {
  const { softmaxProfile, SOFTMAX_PROFILES } = await import("../src/experiments/softmax-repeated-mnist/index");
  const { deimosProfile, DEIMOS_PROFILES } = await import("../src/experiments/deimos/index");
  const { hybridProfile, HYBRID_PROFILES } = await import("../src/experiments/hybrid/index");
  const { SOFTMAX_PROTOCOL } = await import("../src/experiments/softmax-repeated-mnist/protocol");
  const { DEIMOS_PROTOCOL } = await import("../src/experiments/deimos/protocol");
  const { HYBRID_PROTOCOL } = await import("../src/experiments/hybrid/protocol");
  for (const p of Object.keys(SOFTMAX_PROFILES)) assert.deepEqual(uncoveredFields(softmaxProfile(p), SOFTMAX_PROTOCOL), [], `softmax ${p}`);
  for (const p of Object.keys(DEIMOS_PROFILES)) assert.deepEqual(uncoveredFields(deimosProfile(p), DEIMOS_PROTOCOL), [], `deimos ${p}`);
  for (const p of Object.keys(HYBRID_PROFILES)) assert.deepEqual(uncoveredFields(hybridProfile(p), HYBRID_PROTOCOL), [], `hybrid ${p}`);
  // Whole-pool scoring and the training-set unit now match; what stays different shows as a deviation.
  const softmax = Object.fromEntries(protocolTable(SOFTMAX_PROTOCOL, softmaxProfile("paper")).map((r) => [r.point, String(r.verdict)]));
  assert.equal(softmax["Candidates scored per step"], "match");
  assert.equal(softmax["Table 1 thresholds and unit"], "match");
  assert.match(softmax["Temperature ablation"], /^deviation/);
  const code = Object.fromEntries(protocolTable(SOFTMAX_PROTOCOL, softmaxProfile("authors-code")).map((r) => [r.point, String(r.verdict)]));
  for (const point of ["Network", "Initial labelled set", "Validation set", "MC dropout samples", "Training", "Optimiser", "Budget and stop", "Test set and prediction",
    "Early-stopping criterion", "Validation split", "RepeatedMNIST noise draw", "BatchBALD sampled configurations"]) assert.equal(code[point], "match", point);
  // One split for every run, one noise draw, deterministic early stopping: each a named option, shown as a deviation.
  const one = softmaxProfile("authors-code");
  one.run.splitSeed = 0;
  one.data.noisePer = "experiment";
  delete one.run.train.validationMcSamples;
  const oneRows = Object.fromEntries(protocolTable(SOFTMAX_PROTOCOL, one).map((r) => [r.point, String(r.verdict)]));
  for (const point of ["Validation split", "RepeatedMNIST noise draw", "Early-stopping criterion"]) assert.match(oneRows[point], /^deviation/, point);
});

test("paper 002: our quantile code, fed the authors' runs, gives 19 of the 20 cells of Table 1 (training-set size, 90% / 95%)", async () => {
  const { loadSoftmaxPublished, publishedCurves, quantileCellOfCurves, PAPER_TABLE1 } = await import("../src/experiments/softmax-repeated-mnist/index");
  const runs = loadSoftmaxPublished();
  const mismatches: string[] = [];
  let cells = 0;
  for (const [row, bySize] of Object.entries(PAPER_TABLE1)) {
    for (const [b, cell] of Object.entries(bySize)) {
      if (!cell) continue;
      const curves = publishedCurves(runs, row, Number(b));
      assert.ok(curves.length >= 4, `${row} b=${b}: ${curves.length} runs`);
      cells++;
      const ours = [0.9, 0.95].map((t) => quantileCellOfCurves(curves, t));
      const paper = cell.map((c) => (c === "∞" ? "∞/∞/∞" : c));
      if (ours[0] !== paper[0] || ours[1] !== paper[1]) mismatches.push(`${row} b=${b}: ${ours.join(" ")} vs ${paper.join(" ")}`);
    }
  }
  assert.equal(cells, 20);
  // The one cell the draft prints differently: BALD b=20 at 90% shows the EPIG-BALD row's value.
  assert.deepEqual(mismatches, ["bald b=20: 260/270/∞ ∞/∞/∞ vs 280/280/∞ ∞/∞/∞"]);
});

test("paper 002 stops when the training set reaches 300: 56 / 28 / 14 / 6 steps for b = 5 / 10 / 20 / 50", async () => {
  const { stepsToReach, softmaxProfile, softmaxRunConfigs } = await import("../src/experiments/softmax-repeated-mnist/index");
  assert.deepEqual([5, 10, 20, 50].map((b) => stepsToReach(300, 20, b)), [56, 28, 14, 6]);
  assert.deepEqual([5, 10, 20, 50].map((b) => 20 + stepsToReach(300, 20, b) * b), [300, 300, 300, 320]);
  assert.throws(() => stepsToReach(20, 20, 5), /maxTrainingSet: 20 is not above the initial set of 20/);
  const runs = softmaxRunConfigs(softmaxProfile("authors-code"));
  const of = (s: string, b: number) => runs.find((r) => r.strategy === s && r.acquireSize === b)!;
  assert.equal(of("bald", 50).steps, 6);
  assert.equal(of("bald", 50).T, 50); // per-arm K
  assert.equal(of("batchbald(M=100000)", 10).T, 100);
  assert.equal(of("bald", 10).T, 20);
  assert.equal(of("power-bald(beta=8)", 20).steps, 14);
  assert.equal(of("power-bald(beta=8)", 50).T, 20, "every tempered config of the code has K = 20, b = 50 included");
  assert.ok(runs.every((r) => r.poolSubset === 0), "the whole pool is scored");
});

test("RepeatedMNIST authors-code: the draft's per-run split and noise (fixed initial positions pick other, unbalanced images per seed); one split on request", async () => {
  const { ActivePool } = await import("../src/data/pool");
  const { softmaxProfile, softmaxRunConfigs, runData } = await import("../src/experiments/softmax-repeated-mnist/index");
  // Toy pool: 400 points, 10 classes in turn; validation 100; the first 20 pool positions as the initial set.
  const labels = Uint8Array.from({ length: 400 }, (_, i) => i % 10);
  const positions = Array.from({ length: 20 }, (_, i) => i);
  const initialLabels = (splitSeed: number) => {
    const pool = ActivePool.galSplit(labels, 10, { validationSize: 100, initialPerClass: 2, initialPoolPositions: positions }, new Rng(`${splitSeed}:split`));
    return pool.labelled.map((i) => labels[i]).sort((a, b) => a - b);
  };
  const perRun = [1, 2, 3, 4, 5].map(initialLabels);
  assert.ok(new Set(perRun.map((l) => l.join(","))).size > 1, "per-run splits give different initial sets");
  const counts = (l: number[]) => Array.from({ length: 10 }, (_, c) => l.filter((x) => x === c).length);
  assert.ok(perRun.some((l) => counts(l).some((n) => n !== 2)), "some per-run initial set is unbalanced");
  assert.deepEqual(initialLabels(0), initialLabels(0), "one split seed: the same initial set for every run");
  // The profiles: no split seed (per run) and the noise drawn from each run's seed.
  const ref = softmaxProfile("reference");
  assert.equal(ref.run.splitSeed, undefined);
  assert.deepEqual([1, 2].map((s) => runData(ref, s).noiseSeed), [1, 2]);
  const names = new Set(softmaxRunConfigs(ref).map((r) => `${r.seed}:${r.dataset}`));
  assert.ok(names.has("1:repeated-mnist(copies=2,noise=0.1,seed=1)") && names.has("3:repeated-mnist(copies=2,noise=0.1,seed=3)"));
  const one = { ...ref, data: { ...ref.data, noisePer: "experiment" as const }, run: { ...ref.run, splitSeed: 0 } };
  assert.equal(new Set(softmaxRunConfigs(one).map((r) => r.dataset)).size, 1);
});

test("protocol tables read as text: no raw JSON, no float noise, in any cell of any profile of any experiment", async () => {
  const { protocolTable, describeValue, formatPlainNumber } = await import("../src/report/protocol");
  assert.equal(formatPlainNumber(55.00000000000001), "55");
  assert.equal(formatPlainNumber(1e-8), "1e-8");
  assert.equal(formatPlainNumber(0.001), "0.001");
  assert.equal(describeValue({ lr: 0.001, beta1: 0.9 }), "lr 0.001, beta1 0.9");
  assert.equal(describeValue(["inference", null]), "inference, none");
  assert.equal(describeValue([[256, 256], 0.2]), "[256, 256], 0.2");
  const papers = [
    ["gal-mnist", "GAL_PROTOCOL", "galProfile"], ["softmax-repeated-mnist", "SOFTMAX_PROTOCOL", "softmaxProfile"], ["deimos", "DEIMOS_PROTOCOL", "deimosProfile"],
    ["hybrid", "HYBRID_PROTOCOL", "hybridProfile"], ["survey", "SURVEY_PROTOCOL", "surveyProfile"],
  ] as const;
  const { EXPERIMENTS } = await import("../src/experiments/registry");
  let cells = 0;
  for (const [experiment, rowsName, profileName] of papers) {
    const rows = (await import(`../src/experiments/${experiment}/protocol`))[rowsName];
    const byName = (await import(`../src/experiments/${experiment}/index`))[profileName];
    for (const profile of EXPERIMENTS[experiment].profiles) {
      for (const row of protocolTable(rows, byName(profile))) {
        for (const [column, cell] of Object.entries(row)) {
          cells++;
          assert.doesNotMatch(String(cell), /[[{]"|"[\]}]|":|\d\.\d{7,}|\d{3}0{5,}\d/, `${experiment} / ${profile} / ${row.point} / ${column}: ${cell}`);
        }
      }
    }
  }
  assert.ok(cells > 500, `${cells} cells checked`);
});
