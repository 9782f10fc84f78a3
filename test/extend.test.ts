// Extending a finished run to more steps (src/loop/extend.ts): the longer run starts from the shorter
// run's state before its last step and comes out exactly as if it had run from the start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { AlRunConfig, runActiveLearning, runKey, RunResult } from "../src/loop/active-learning";
import { findPrefixRun, sameButSteps } from "../src/loop/extend";
import { mlp } from "../src/models/classifiers";
import { RunStore } from "../src/results/store";
import { Rng } from "../src/seeding/rng";
import { tinyDataset } from "./helpers";

const ds = tinyDataset();
const factory = (rng: Rng) => mlp(rng, 16, [24], 3, 0.3);
const config = (strategy: string, steps: number): AlRunConfig => ({
  experiment: "test", dataset: "tiny", model: "mlp", strategy, seed: 4, initialPerClass: 2, validationSize: 30,
  steps, acquireSize: 4, poolSubset: 100, testSubset: 40, T: 5, consistentMc: false,
  train: { epochs: 8, batchSize: 0, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy" },
});
const strip = (r: RunResult) => r.records.map(({ seconds, ...rest }) => { void seconds; return rest; });
const newStore = () => new RunStore(mkdtempSync(join(tmpdir(), "bal-extend-"))).ensureWritable();

test("a finished 2-step run extended to 4 steps equals the 4-step run made from the start", async () => {
  await initBackend("cpu");
  for (const s of ["bald", "random"]) {
    const whole = await runActiveLearning(ds, factory, strategyByName(s), config(s, 4));
    const store = newStore();
    const short = await runActiveLearning(ds, factory, strategyByName(s), config(s, 2), { store });
    assert.ok(short!.resume, "a finished run records its state before the last step");
    assert.deepEqual(strip(short!).slice(0, 2), strip(whole!).slice(0, 2));
    const lines: string[] = [];
    const extended = await runActiveLearning(ds, factory, strategyByName(s), config(s, 4), { store, log: (l) => lines.push(l) });
    assert.ok(lines.some((l) => l.includes(`extending the finished 2-step run ${runKey(config(s, 2))} to 4 steps`)), lines.join("\n"));
    assert.ok(!lines.some((l) => / step 0\/4| step 1\/4/.test(l)), "steps 0 and 1 are not recomputed");
    assert.deepEqual(strip(extended!), strip(whole!));
    assert.deepEqual(extended!.extendedFrom, { key: runKey(config(s, 2)), steps: 2, lastStepIdentical: true });
    // The shorter run's result is kept as it was.
    assert.equal(store.load<RunResult>(runKey(config(s, 2)))!.finishedAt, short!.finishedAt);
  }
});

test("only a finished run of the same config with fewer steps and a resume state is extended", async () => {
  await initBackend("cpu");
  const store = newStore();
  await runActiveLearning(ds, factory, strategyByName("bald"), config("bald", 2), { store });
  await runActiveLearning(ds, factory, strategyByName("bald"), { ...config("bald", 1), seed: 5 }, { store });
  assert.equal(findPrefixRun(store, config("bald", 2)), null, "same steps: nothing to extend");
  assert.equal(findPrefixRun(store, { ...config("bald", 3), seed: 6 }), null, "other seed");
  assert.equal(findPrefixRun(store, config("max-entropy", 3)), null, "other strategy");
  assert.equal(findPrefixRun(store, { ...config("bald", 3), retrain: "continue" }), null, "continued networks are not extended");
  assert.equal(findPrefixRun(store, config("bald", 3))!.config.steps, 2);
  assert.ok(sameButSteps(config("bald", 2), config("bald", 30)));
  assert.ok(!sameButSteps(config("bald", 2), { ...config("bald", 2), T: 6 }));
  // A result written before resume states existed is not a starting point: the longer run starts from step 0.
  const path = store.path(runKey(config("bald", 2)), "result");
  const old = JSON.parse(readFileSync(path, "utf8"));
  delete old.resume;
  writeFileSync(path, JSON.stringify(old));
  assert.equal(findPrefixRun(store, config("bald", 3)), null);
  const lines: string[] = [];
  const fresh = await runActiveLearning(ds, factory, strategyByName("bald"), config("bald", 3), { store, log: (l) => lines.push(l) });
  assert.ok(lines.some((l) => l.includes("step 0/3")) && !lines.some((l) => l.includes("extending")));
  assert.equal(fresh!.extendedFrom, undefined);
  // A continued network records no resume state.
  const cont = await runActiveLearning(ds, factory, strategyByName("bald"), { ...config("bald", 1), retrain: "continue" });
  assert.equal(cont!.resume, undefined);
});

test("an extension whose recomputed step differs from the shorter run's says so in the result", async () => {
  await initBackend("cpu");
  const store = newStore();
  await runActiveLearning(ds, factory, strategyByName("random"), config("random", 1), { store });
  const path = store.path(runKey(config("random", 1)), "result");
  const short = JSON.parse(readFileSync(path, "utf8")) as RunResult;
  short.records[1].testAccuracy = 0.123; // as if made by another backend
  writeFileSync(path, JSON.stringify(short));
  const lines: string[] = [];
  const extended = await runActiveLearning(ds, factory, strategyByName("random"), config("random", 3), { store, log: (l) => lines.push(l) });
  assert.equal(extended!.extendedFrom!.lastStepIdentical, false);
  assert.ok(lines.some((l) => l.includes("step 1 recomputed differs")));
  assert.notEqual(extended!.records[1].testAccuracy, 0.123);
});

test("bal plan counts the steps of a finished shorter run as done and says it extends it", async () => {
  await initBackend("cpu");
  const { planRuns, formatPlan } = await import("../src/report/plan");
  const store = newStore();
  await runActiveLearning(ds, factory, strategyByName("random"), config("random", 2), { store });
  const def = { experiment: "test", profile: "longer", runs: [config("random", 5), config("bald", 5)], dataset: async () => ds, model: () => factory };
  const plan = planRuns(def, () => [], store);
  assert.deepEqual(plan.missing.map((p) => [p.stepsDone, p.stepsLeft, p.resumesFrom]), [[2, 4, "shorter run"], [0, 6, "checkpoint"]]);
  assert.match(formatPlan(plan), /\| random b=4 seed 4 \| 4 \(extends a finished 2-step run\) \|/);
});

test("bal plan: the steps in an unfinished run's checkpoint are a basis for estimates (that run's and others of its kind)", async () => {
  await initBackend("cpu");
  const { planRuns, formatPlan } = await import("../src/report/plan");
  const store = newStore();
  const seeded = (seed: number) => ({ ...config("bald", 5), seed });
  assert.equal(await runActiveLearning(ds, factory, strategyByName("bald"), seeded(4), { store, maxStepsThisCall: 2 }), null);
  const def = { experiment: "test", profile: "in-flight", runs: [seeded(4), seeded(5)], dataset: async () => ds, model: () => factory };
  const plan = planRuns(def, () => [], store);
  assert.deepEqual(plan.missing.map((p) => [p.stepsDone, p.stepsLeft, p.estimateS !== null, p.estimateAtLeast]), [[2, 4, true, false], [0, 6, true, false]]);
  assert.ok(plan.missing[1].estimateS! > plan.missing[0].estimateS!, "six steps to go cost more than four");
  assert.match(formatPlan(plan), /\| bald b=4 seed 5 \| 6 \| [0-9.]+ h \| 1 run\(s\) \(1 of them unfinished: the steps in its checkpoint\), same strategy and batch size/);
});

test("bal plan --measure: runs nothing measured yet (or only other strategies) get an estimate from their first steps, measured in a scratch folder", async () => {
  await initBackend("cpu");
  const { planRuns, measureUnestimated, formatPlan } = await import("../src/report/plan");
  const store = newStore();
  const def = { experiment: "test-measure", profile: "p", runs: [config("bald", 3), { ...config("bald", 3), seed: 5 }, config("random", 3)], dataset: async () => ds, model: () => factory };
  const before = planRuns(def, () => [], store);
  assert.equal(before.unknown, 3);
  const lines: string[] = [];
  const measured = await measureUnestimated(def, before, 1, (l) => lines.push(l));
  assert.deepEqual(measured.map((r) => [r.config.strategy, r.records.length]), [["bald", 1], ["random", 1]], "one measurement per kind (strategy), not per seed");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /in a scratch folder \(backend 'cpu'\)$/, "the measurement names the backend it ran on");
  const after = planRuns(def, () => [], store, measured);
  assert.equal(after.unknown, 0);
  assert.ok(after.missing.every((p) => p.estimateS! > 0));
  assert.match(formatPlan(after), /the first 1 step\(s\) measured here, same strategy and batch size/);
  // A lower bound (only another strategy measured) is measured too: BALD's scoring is not Random's.
  const onlyRandom = planRuns(def, () => [], store, measured.filter((r) => r.config.strategy === "random"));
  assert.deepEqual([onlyRandom.missing.map((p) => p.estimateAtLeast), onlyRandom.atLeast], [[true, true, false], 2]);
  assert.deepEqual((await measureUnestimated(def, onlyRandom, 1, () => undefined)).map((r) => r.config.strategy), ["bald"]);
  assert.equal(store.all().length, 0, "the measurement leaves nothing in the store");
});
