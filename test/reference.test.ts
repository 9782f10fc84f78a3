import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/data/files";
import { galClaims, galProfile, galSweep } from "../src/experiments/gal-mnist";
import { README_END, README_START, reproducedMarkdown } from "../src/experiments/reproduced";
import { RunResult } from "../src/loop/active-learning";
import { configKey } from "../src/results/store";
import { referenceStatus, validateReferenceResult } from "../src/report/reference";

test("every committed reference run is well formed and belongs to the current reference profile (stale ones only under stale/)", () => {
  const status = referenceStatus(galSweep(galProfile("reference")));
  assert.deepEqual(status.invalid, [], JSON.stringify(status.invalid));
  assert.deepEqual(status.stale.filter((s) => !s.file.startsWith("stale/")), [], "stale runs at the top level: move them to stale/");
  assert.equal(status.current.length + status.missing.length, status.planned.length);
});

test("the README's 'What this workspace reproduced' table is the one the committed runs give", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(README_START) + README_START.length, readme.indexOf(README_END)).trim();
  assert.equal(section, reproducedMarkdown(), "run `npx bal reproduced README.md` after committing reference runs");
});

function fakeRun(strategy: string, seed: number, accuracies: number[]): RunResult {
  const cfg = galProfile("reference");
  const config = { ...galSweep(cfg).runs.find((r) => r.strategy === strategy && r.seed === seed)!, steps: accuracies.length - 1 };
  return {
    key: configKey(config), config, backend: "cpu", finishedAt: "", provenance: { commit: "x", dirty: false, backend: "cpu", threads: null, node: "", host: "" },
    records: accuracies.map((a, i) => ({
      step: i, labelled: 20 + 10 * i, testAccuracy: a, valAccuracy: a, testMeanMI: 0, acquired: i < accuracies.length - 1 ? Array.from({ length: 10 }, (_, j) => 100 * i + j) : [],
      trainEpochs: 400, bestEpoch: -1, valLoss: NaN, seconds: { train: 1, evaluate: 1, acquire: 1 },
    })),
  };
}

test("reference result validation names what is wrong", () => {
  const good = fakeRun("bald", 1, [0.5, 0.8, 0.9]);
  assert.deepEqual(validateReferenceResult(good), []);
  assert.deepEqual(validateReferenceResult(null), ["not a JSON object"]);
  assert.match(validateReferenceResult({ ...good, key: "0000" }).join(";"), /key 0000 is not the hash of its config/);
  const skipped = structuredClone(good);
  skipped.records[2].labelled = 60;
  assert.match(validateReferenceResult(skipped).join(";"), /records\[2\].labelled 60: expected 30 \+ 10/);
  assert.match(validateReferenceResult({ ...good, records: good.records.slice(0, 2) }).join(";"), /records: 2, expected steps \+ 1 = 3/);
  assert.match(validateReferenceResult({ ...good, provenance: undefined }).join(";"), /provenance: missing/);
});

test("claims on a cut budget: decided where the budget allows, 'not decidable' where it does not", () => {
  const cfg = { ...galProfile("reference"), strategies: ["bald", "random"], seeds: [1], run: { ...galProfile("reference").run, steps: 4 } };
  // Budget 20..60 labelled. BALD reaches 90% at 40 and 95% at 60; Random reaches neither.
  const bald = fakeRun("bald", 1, [0.5, 0.8, 0.91, 0.93, 0.96]);
  const random = fakeRun("random", 1, [0.5, 0.6, 0.7, 0.8, 0.85]);
  const claims = galClaims(cfg, [bald, random]);
  const byClaim = Object.fromEntries(claims.map((c) => [c.claim, c.verdict]));
  assert.equal(byClaim["BALD reaches 10% error with fewer labelled samples than Random"], "reproduced"); // 40 < beyond 60
  assert.equal(byClaim["Random needs at least twice BALD's labelled samples to reach 5% error"], "not decidable within this budget"); // 2 x 60 > 60
  const neither = galClaims(cfg, [random, fakeRun("bald", 1, [0.5, 0.6, 0.7, 0.8, 0.85])]);
  assert.equal(neither.find((c) => c.claim.startsWith("BALD reaches 10%"))!.verdict, "not decidable within this budget");
  assert.equal(galClaims(cfg, [bald]).find((c) => c.claim.startsWith("BALD reaches 10%"))!.verdict, "not enough runs yet");
});
