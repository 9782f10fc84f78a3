// `bal next --run` (src/cli-lane.ts): a lane first makes one step of a run of each kind nothing measures yet,
// then the planned runs in schedule order, plans again after each, skips runs another process holds
// (reporting them), and with --hours makes only the runs that fit at its start (no probes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../src/compute/backend";
import { AlRunConfig, runKey } from "../src/loop/active-learning";
import { sweepStore, SweepDefinition } from "../src/loop/sweep";
import { mlp } from "../src/models/classifiers";
import { planRuns } from "../src/report/plan";
import { RunLock } from "../src/results/store";
import { Rng } from "../src/seeding/rng";
import { runLane } from "../src/cli-lane";
import { tinyDataset } from "./helpers";

const ds = tinyDataset();
const factory = (rng: Rng) => mlp(rng, 16, [24], 3, 0.3);
const config = (strategy: string, seed: number): AlRunConfig => ({
  experiment: "lane", dataset: "tiny", model: "mlp", strategy, seed, initialPerClass: 2, validationSize: 30,
  steps: 2, acquireSize: 4, poolSubset: 100, testSubset: 40, T: 3, consistentMc: false,
  train: { epochs: 4, batchSize: 0, optimizer: { lr: 0.01 }, patience: 0, loss: "softmax-cross-entropy" },
});

function lane(profile: string): { def: SweepDefinition; sources: Parameters<typeof runLane>[0]; plans: () => number } {
  const def: SweepDefinition = { experiment: "lane", profile, runs: [config("random", 1), config("bald", 1), config("random", 2)], dataset: async () => ds, model: () => factory };
  let planned = 0;
  return { def, plans: () => planned, sources: { plans: () => { planned++; return [planRuns(def, () => [])]; }, sweep: () => def } };
}

test("bal next --run: first one step of each kind not measured, then every planned run in schedule order, planned again after each; a second lane finds nothing to do", async () => {
  await initBackend("cpu");
  process.env.BAL_RESULTS_DIR = mkdtempSync(join(tmpdir(), "bal-lane-"));
  const { def, sources, plans } = lane("all");
  const lines: string[] = [];
  const out = await runLane(sources, { log: (l) => lines.push(l) });
  // Random seed 1's first step measures Random (seed 2 then has an estimate); BALD has only a lower bound (Random's
  // training and evaluation) until its own first step.
  assert.deepEqual(out, { finished: ["lane / all: random b=4 seed 1", "lane / all: bald b=4 seed 1", "lane / all: random b=4 seed 2"], probed: ["lane / all: random b=4 seed 1", "lane / all: bald b=4 seed 1"], held: [] });
  assert.equal(plans(), 7, "one plan at the start, one before each probe and each run, one to find nothing left");
  assert.ok(def.runs.every((rc) => sweepStore(def).has(runKey(rc))));
  assert.match(lines[0], /^bal next --run: 3 run\(s\) to do, first one step of each kind not measured yet, then cheapest undecided claim first/);
  assert.ok(lines.some((l) => /^lane \/ all: bald b=4 seed 1 \([0-9a-f]+\): its first step, to measure its kind \(estimate now >= [0-9.]+ h\)$/.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => /^lane \/ all: random b=4 seed 2 \([0-9a-f]+\): estimate [0-9.]+ h$/.test(l)), lines.join("\n"));
  assert.deepEqual(await runLane(sources, { log: () => {} }), { finished: [], probed: [], held: [] });
});

test("bal next --run skips a run another process holds and reports it; --hours makes only the runs that fit at the start", async () => {
  await initBackend("cpu");
  process.env.BAL_RESULTS_DIR = mkdtempSync(join(tmpdir(), "bal-lane-"));
  const { def, sources } = lane("held");
  const lock = sweepStore(def).ensureWritable().tryLock(runKey(def.runs[1]));
  assert.ok(lock instanceof RunLock);
  const lines: string[] = [];
  try {
    const out = await runLane(sources, { log: (l) => lines.push(l) });
    assert.deepEqual(out, { finished: ["lane / held: random b=4 seed 1", "lane / held: random b=4 seed 2"], probed: ["lane / held: random b=4 seed 1"], held: ["lane / held: bald b=4 seed 1"] });
    assert.ok(lines.some((l) => /^lane \/ held: bald b=4 seed 1: skipped, in progress in process \d+ on /.test(l)), lines.join("\n"));
  } finally {
    lock.release();
  }
  // Nothing measured for this model yet, so no estimates: --hours keeps the first run only (as `bal next --hours` lists it).
  const fresh = lane("hours");
  const out = await runLane(fresh.sources, { hours: 100, log: () => {} });
  assert.deepEqual(out, { finished: ["lane / hours: random b=4 seed 1"], probed: [], held: [] });
});
