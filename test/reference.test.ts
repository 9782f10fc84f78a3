import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/data/files";
import { galClaims, galProfile, galSweep } from "../src/experiments/gal-mnist/index";
import { README_END, README_START, reproducedMarkdown } from "../src/experiments/reproduced";
import { RunResult } from "../src/loop/active-learning";
import { isReferenceProfile, referenceDir, resultsDir } from "../src/loop/sweep";
import { configKey } from "../src/results/store";
import { referenceStatus, validateReferenceResult } from "../src/report/reference";

test("every committed reference run of every experiment is well formed and belongs to its current reference profile (stale ones only under stale/)", async () => {
  const { EXPERIMENTS } = await import("../src/experiments/registry");
  // The four paper reproductions have reference runs; the survey catalogue (no published per-step numbers here) has none.
  for (const name of ["gal-mnist", "deimos", "softmax-repeated-mnist", "hybrid"]) assert.ok(EXPERIMENTS[name].profiles.includes("reference"), `${name} has a reference profile`);
  for (const [name, entry] of Object.entries(EXPERIMENTS)) {
    for (const profile of entry.profiles.filter(isReferenceProfile)) {
      const status = referenceStatus(entry.load(profile).sweep);
      assert.deepEqual(status.invalid, [], `${name}/${profile}: ${JSON.stringify(status.invalid)}`);
      assert.deepEqual(status.stale.filter((s) => !s.file.startsWith("stale/")), [], `${name}/${profile}: stale runs at the top level of ${status.dir}: move them to its stale/`);
      assert.equal(status.current.length - status.shorter.length + status.missing.length, status.planned.length);
    }
  }
  assert.deepEqual(EXPERIMENTS["gal-mnist"].profiles.filter(isReferenceProfile), ["reference", "reference-gal-original"]);
});

test("a second reference profile (reference-<name>) keeps its runs in its own subfolder: neither profile sees the other's runs as stale", async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  assert.deepEqual(["reference", "reference-gal-original", "reference-", "references", "smoke"].map(isReferenceProfile), [true, true, false, false, false]);
  const root = mkdtempSync(join(tmpdir(), "bal-ref-sub-"));
  const before = process.env.BAL_REFERENCE_DIR;
  process.env.BAL_REFERENCE_DIR = root;
  try {
    assert.equal(referenceDir("gal-mnist"), join(root, "gal-mnist"));
    assert.equal(referenceDir("gal-mnist", "reference-gal-original"), join(root, "gal-mnist", "gal-original"));
    assert.equal(resultsDir("gal-mnist", "reference-gal-original"), join(root, "gal-mnist", "gal-original"));
    assert.throws(() => referenceDir("gal-mnist", "paper"), /'paper' is not a reference profile/);
    const pilz = galSweep(galProfile("reference"));
    const gal = galSweep(galProfile("reference-gal-original"));
    assert.deepEqual([...new Set(gal.runs.map((r) => r.strategy))], ["bald", "random", "max-entropy", "variation-ratio"], "BALD and Random first, no MSTD");
    assert.deepEqual([gal.runs.length, gal.runs[0].steps, gal.runs[0].model], [12, 98, "keras-cnn"]);
    const put = (dir: string, rc: import("../src/loop/active-learning").AlRunConfig) => {
      const r = { ...fakeFrom(rc, Array.from({ length: rc.steps + 1 }, () => 0.9), 20), provenance: { commit: "x", dirty: false, backend: "cpu", threads: null, node: "", host: "" } };
      r.records = r.records.map((x, i) => ({ ...x, acquired: i < rc.steps ? Array.from({ length: rc.acquireSize }, (_, j) => 10 * i + j) : [] }));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${r.key}.json`), JSON.stringify(r));
      return r.key;
    };
    const galKey = put(referenceDir("gal-mnist", "reference-gal-original"), gal.runs[0]);
    const pilzKey = put(referenceDir("gal-mnist"), pilz.runs.find((r) => r.strategy === "max-entropy")!);
    const [ps, gs] = [referenceStatus(pilz), referenceStatus(gal)];
    assert.deepEqual([ps.current.map((r) => r.key), ps.stale, ps.invalid], [[pilzKey], [], []]);
    assert.deepEqual([gs.current.map((r) => r.key), gs.stale, gs.invalid, gs.missing.length], [[galKey], [], [], 11]);
  } finally {
    if (before === undefined) delete process.env.BAL_REFERENCE_DIR;
    else process.env.BAL_REFERENCE_DIR = before;
  }
});

test("Gal's own protocol: Table 1 in acquired images, his errors after 1,000 acquisitions as three neighbouring pairs; no Pilz-only claims", () => {
  const g = galProfile("reference-gal-original");
  const plan = galSweep(g).runs;
  // Crossing 90% at acquired 10 x `at10`, 95% at 10 x `at5`; final accuracy `final` at step 98 (1,000 labelled).
  const run = (s: string, seed: number, at10: number, at5: number, final: number) => {
    const acc = Array.from({ length: 99 }, (_, i) => (i === 98 ? final : i >= at5 ? 0.96 : i >= at10 ? 0.92 : 0.5));
    return fakeFrom(plan.find((r) => r.strategy === s && r.seed === seed)!, acc, 20);
  };
  const runs = [1, 2, 3].flatMap((seed) => [
    run("variation-ratio", seed, 12, 29, 0.9836 + seed * 1e-4), run("max-entropy", seed, 16, 35, 0.9826 + seed * 1e-4),
    run("bald", seed, 14, 33, 0.9820 - seed * 1e-4), run("random", seed, 25, 83, 0.9534 + seed * 1e-4),
  ]);
  const claims = galClaims(g, runs);
  const by = (start: string) => claims.find((c) => c.claim.startsWith(start))!;
  assert.deepEqual(claims.map((c) => c.claim).filter((c) => /Step-Average|MSTD/.test(c)), []);
  assert.deepEqual([by("BALD reaches 10% error with fewer acquired images").ours, by("BALD reaches 10%").verdict], ["AS 140 vs 250; SA 140 vs 250", "reproduced"]);
  assert.equal(by("BALD reaches 5%").paper, "Gal 335 vs 835 acquired (Table 1)");
  // Twice: Random 850 vs BALD 350 in training-set size.
  assert.deepEqual([by("Random needs at least twice").ours, by("Random needs at least twice").verdict], ["AS 350 vs 850; SA 350 vs 850", "reproduced"]);
  const vrMe = by("Test error with 1,000 labelled images: VR below ME");
  assert.deepEqual([vrMe.ours, vrMe.verdict], ["1.62% vs 1.72%", "reproduced"]);
  assert.match(vrMe.evidence ?? "", /^final test error gap 0\.10 \[/);
  assert.equal(by("Test error with 1,000 labelled images: ME below BALD").verdict, "reproduced");
  assert.equal(by("Test error with 1,000 labelled images: BALD below Random").paper, "Gal BALD 1.80% vs Random 4.66% (after 1,000 acquired)");
  // Runs that end before 1,000 labelled cannot decide it.
  const short = { ...g, run: { ...g.run, steps: 50 } };
  assert.equal(galClaims(short, []).find((c) => c.claim.startsWith("Test error with 1,000"))!.verdict, "not decidable within this budget");
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
  const cfg = { ...galProfile("reference"), strategies: ["bald", "random"], seeds: [1, 2, 3], seedsByStrategy: undefined, longRuns: undefined, run: { ...galProfile("reference").run, steps: 4 } };
  // Budget 20..60 labelled. BALD reaches 90% at 40 and 95% at 60; Random reaches neither.
  const bald = [1, 2, 3].map((s) => fakeRun("bald", s, [0.5, 0.8, 0.91, 0.93, 0.96]));
  const random = [1, 2, 3].map((s) => fakeRun("random", s, [0.5, 0.6, 0.7, 0.8, 0.85]));
  const claims = galClaims(cfg, [...bald, ...random]);
  const byClaim = Object.fromEntries(claims.map((c) => [c.claim, c.verdict]));
  // 40 against "beyond 60": the order holds, Pilz's 200 is beyond what these runs can show.
  assert.equal(byClaim["BALD reaches 10% error with fewer labelled samples than Random"], "ordering reproduced; magnitude beyond budget");
  assert.equal(claims.find((c) => c.claim.startsWith("BALD reaches 10%"))!.ours, "AS 40 vs > 60; SA 40 vs > 60");
  assert.equal(byClaim["Random needs at least twice BALD's labelled samples to reach 5% error"], "not decidable within this budget"); // 2 x 60 > 60
  const neither = galClaims(cfg, [...random, ...[1, 2, 3].map((s) => fakeRun("bald", s, [0.5, 0.6, 0.7, 0.8, 0.85]))]);
  assert.equal(neither.find((c) => c.claim.startsWith("BALD reaches 10%"))!.verdict, "not decidable within this budget");
  assert.equal(galClaims(cfg, bald).find((c) => c.claim.startsWith("BALD reaches 10%"))!.verdict, "not run");
  assert.equal(galClaims(cfg, [bald[0], ...random]).find((c) => c.claim.startsWith("BALD reaches 10%"))!.verdict, "indicative (n = 1)");
});

/** A run of any reference plan (its config unchanged) with the given accuracy per step (claims read only the curve). */
function fakeFrom(config: import("../src/loop/active-learning").AlRunConfig, accuracies: number[], initial: number): RunResult {
  const c = { ...config };
  return {
    key: configKey(c), config: c, backend: "cpu", finishedAt: "",
    records: accuracies.map((a, i) => ({
      step: i, labelled: initial + c.acquireSize * i, testAccuracy: a, valAccuracy: a, testMeanMI: NaN, acquired: [], trainEpochs: 1, bestEpoch: -1, valLoss: NaN,
      seconds: { train: 1, evaluate: 1, acquire: 1 },
    })),
  };
}

test("paper 002: reference runs against the authors' runs of the same row and size, per training-set size", async () => {
  const { softmaxProfile, softmaxRunConfigs, spreadTable } = await import("../src/experiments/softmax-repeated-mnist/index");
  const cfg = softmaxProfile("reference");
  const softmax50 = softmaxRunConfigs(cfg).filter((rc) => rc.strategy === "power-bald(beta=8)" && rc.acquireSize === 50);
  const ours = softmax50.slice(0, 2).map((rc, i) => fakeFrom(rc, [0.6, 0.8 + i * 0.02], 20));
  const published = [0.55, 0.7, 0.75].map((a, seed) => ({ row: "softmax-bald", code: "x", acquisition_size: 50, temperature_exponent: 8, seed, train_size: [20, 70, 120], test_acc: [a, 0.7 + seed * 0.02, 0.9] }));
  // Another size and another row of theirs are not compared with these runs.
  published.push({ row: "softmax-bald", code: "x", acquisition_size: 10, temperature_exponent: 8, seed: 9, train_size: [20, 70], test_acc: [0.1, 0.1] });
  published.push({ row: "bald", code: "x", acquisition_size: 50, temperature_exponent: null, seed: 9, train_size: [20, 70], test_acc: [0.1, 0.1] } as never);
  assert.deepEqual(spreadTable(cfg, ours, published), [
    { b: "50", "acquisition function": "SoftmaxBALD", "training-set size": "20", "ours: mean (runs)": "60.0% (60.0, 60.0)", "authors: min / mean / max": "55.0 / 66.7 / 75.0% (n = 3)", "our mean": "inside", "our runs outside their range": "0 of 2" },
    { b: "50", "acquisition function": "SoftmaxBALD", "training-set size": "70", "ours: mean (runs)": "81.0% (80.0, 82.0)", "authors: min / mean / max": "70.0 / 72.0 / 74.0% (n = 3)", "our mean": "above their max by 7.0 points", "our runs outside their range": "2 of 2" },
  ]);
  assert.deepEqual(spreadTable(cfg, [], published), [], "no runs of ours: no rows");
});

test("Gal / Pilz: reference runs against Pilz's 3 published runs, one row per function he ran", async () => {
  const { galProfile, galRunConfigs, pilzSpreadTable } = await import("../src/experiments/gal-mnist/index");
  const cfg = galProfile("reference");
  const bald = galRunConfigs(cfg).filter((rc) => rc.strategy === "bald").slice(0, 2);
  const ours = bald.map((rc) => fakeFrom(rc, [0.5, 0.9, 0.7], 20));
  const pub = { seeds: [1, 2, 3], train_size: [20, 30, 40, 50], test_acc: { mutual_information: [[0.4, 0.6, 0.8, 0.9], [0.6, 0.8, 0.9, 0.95], [0.5, 0.7, 0.85, 0.9]] }, test_mutual_information: {} };
  assert.deepEqual(pilzSpreadTable(cfg, ours, pub), [{
    function: "BALD", "runs: ours / Pilz's": "2 / 3", "sizes compared": "3 (20-40)", "our mean inside their range": "1 of 3",
    "our mean above their max at": "30", "our mean below their min at": "40", "our run-points outside their range": "4 of 6",
    "mean gap, ours - their mean (points)": "1.67", // (0 + 20 - 15) / 3
    // Run means 0.7, 0.7 | 0.6, 0.767, 0.683: 7 of the 10 splits into 2 | 3 give a gap of at least 0.0167.
    "gap as large when runs are split at random (two-sided p)": "0.700 (exact, 10 splits)",
  }]);
});

test("DEIMOS, stochastic-acquisition and hybrid claims are decided from the runs (fewer acquisitions, both statistics, final accuracy)", async () => {
  const { deimosClaims, deimosProfile, deimosRunConfigs } = await import("../src/experiments/deimos/index");
  const d = deimosProfile("reference");
  const plan = deimosRunConfigs(d);
  const runs = (s: string, acc: number[]) => [1, 2, 3].map((seed) => fakeFrom(plan.find((r) => r.strategy === s && r.seed === seed)!, acc, 10));
  // DEIMOS reaches 95% after 2 acquisitions, Random after 4; neither reaches 97.5%.
  const claims = deimosClaims(d, [...runs("deimos", [0.9, 0.94, 0.95, 0.96, 0.96]), ...runs("random", [0.9, 0.91, 0.92, 0.94, 0.95])]);
  const v = (list: { claim: string; verdict: string }[], start: string) => list.find((c) => c.claim.startsWith(start))!.verdict;
  assert.equal(v(claims, "Table 2 cell ordering: DEIMOS reaches 95% test accuracy (7 vs 9, one point per query) with fewer acquisitions than Random"), "reproduced");
  assert.equal(v(claims, "Table 2 cell ordering: DEIMOS reaches 97.5% test accuracy (7 vs 9, one point per query) with fewer acquisitions than Random"), "not decidable within this budget");
  assert.equal(v(claims, "Table 2 cell ordering: DEIMOS reaches 95% test accuracy (7 vs 9, one point per query) with fewer acquisitions than BALD"), "not run");
  assert.equal(v(claims, "DEIMOS outperforms Random over the whole"), "reproduced");
  assert.match(claims.find((c) => c.claim.startsWith("DEIMOS outperforms Random"))!.evidence!, /App\. C's test .*p = /);
  assert.equal(v(claims, "Appendix A"), "not run");

  const { softmaxClaims, softmaxProfile, softmaxRunConfigs } = await import("../src/experiments/softmax-repeated-mnist/index");
  const sm = softmaxProfile("reference");
  const splan = softmaxRunConfigs(sm);
  const sruns = (s: string, acc: number[]) => [1, 2, 3].map((seed) => fakeFrom(splan.find((r) => r.strategy === s && r.seed === seed)!, acc, 20));
  // Training sets 20, 70, 120, ...: SoftmaxBALD reaches 90% at 120; BALD never.
  const sc = softmaxClaims(sm, [...sruns("power-bald(beta=8)", [0.5, 0.8, 0.9, 0.93, 0.95, 0.96, 0.96]), ...sruns("bald", [0.5, 0.7, 0.8, 0.85, 0.88, 0.89, 0.89])]);
  assert.equal(v(sc, "SoftmaxBALD (b = 50) reaches 90%"), "ordering reproduced; magnitude beyond budget");
  assert.equal(v(sc, "Top-k BALD (b = 50) does not reach 90%"), "reproduced");
  assert.equal(v(sc, "SoftmaxBALD (b = 10) reaches 90%"), "not run");
  assert.equal(sc.find((c) => c.claim.startsWith("SoftmaxBALD (b = 50) reaches 90%"))!.ours, "AS 120 vs > 320; SA 120 vs > 320");

  const { hybridClaims, hybridProfile, hybridPlan } = await import("../src/experiments/hybrid/index");
  const { RunStore } = await import("../src/results/store");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const h = hybridProfile("reference");
  const hplan = hybridPlan(h, new RunStore(mkdtempSync(join(tmpdir(), "bal-hclaims-")))).runs;
  const hruns = (s: string, final: number) => [1, 2, 3].map((seed) => fakeFrom({ ...hplan.find((r) => r.strategy.startsWith(s))!, seed }, [0.6, final + seed * 1e-4], 20));
  const hc = hybridClaims(h, [...hruns("variation-ratio", 0.97), ...hruns("bald", 0.96), ...hruns("random", 0.965), ...hruns("hybrid-vr-gp-decay-geo", 0.95)]);
  assert.equal(v(hc, "MNIST: variation ratio ends above BALD"), "reproduced");
  assert.equal(v(hc, "MNIST: BALD ends above Uniform"), "not reproduced");
  assert.equal(v(hc, "MNIST: the best hybrid (decayed"), "not reproduced");
  assert.equal(v(hc, "MNIST: the best hybrid is comparable"), "reproduced");
  assert.equal(v(hc, "MNIST: variation ratio ends above entropy"), "not run");
  assert.equal(v(hc, "MNIST: Uniform reaches 94%"), "reproduced");
});

test("seeds per strategy: a reference plan runs some strategies with more seeds than others; claims need 3 runs per arm", async () => {
  const { seedsOf, checkSeedPlan, describeSeedPlan, strategiesWithSeed, runCoverage } = await import("../src/experiments/seeds");
  const plan = { seeds: [1, 2, 3], seedsByStrategy: { a: [1], b: [1], c: [2, 3] } };
  assert.deepEqual([seedsOf(plan, "a"), seedsOf(plan, "d")], [[1], [1, 2, 3]]);
  assert.equal(describeSeedPlan(plan, (s) => s.toUpperCase()), "3 seeds (1, 2, 3); A, B: seed 1 only; C: seeds 2, 3 only");
  assert.throws(() => checkSeedPlan({ seeds: [1], seedsByStrategy: { x: [1] } }, ["a"], "cfg"), /cfg\.seedsByStrategy: 'x' is not a strategy/);
  assert.throws(() => checkSeedPlan({ seeds: [1, 2], seedsByStrategy: { a: [3] } }, ["a"], "cfg"), /cfg\.seedsByStrategy\.a: expected a non-empty subset of seeds \[1, 2\], got \[3\]/);
  assert.throws(() => checkSeedPlan({ seeds: [1, 2], seedsByStrategy: { a: [] } }, ["a"], "cfg"), /non-empty subset/);
  assert.deepEqual([1, 2, 3].map((seed) => strategiesWithSeed(plan, ["d", "c", "a"], seed)), [["d", "a"], ["d", "c"], ["d", "c"]]);
  const coverage = runCoverage(plan, new Map([["a", [{}]], ["c", [{}]], ["d", [{}, {}, {}]]]), (s) => s.toUpperCase());
  assert.deepEqual(["a", "b", "c", "d"].map(coverage.complete), [true, false, false, true]);
  assert.equal(coverage.runs(["a", "b", "c", "d"]), "A 1/1, B 0/1, C 1/2, D 3/3");

  const g = galProfile("reference");
  const runs = galSweep(g).runs;
  const count = (s: string) => runs.filter((r) => r.strategy === s).map((r) => r.seed);
  assert.deepEqual([count("bald"), count("random"), count("max-entropy"), count("variation-ratio"), count("mean-std")],
    [[1, 2, 3], [1, 2, 3, 4, 5, 6], [1, 2, 3], [1, 2, 3], [1, 2, 3]]);
  const byKey = (s: string, seed: number, acc: number[]) => fakeFrom(runs.find((r) => r.strategy === s && r.seed === seed)!, acc, 20);
  const acc = (reach: number) => Array.from({ length: 31 }, (_, i) => (i >= reach ? 0.96 : 0.5));
  const me3 = [1, 2, 3].map((s) => byKey("max-entropy", s, acc(3)));
  const random = (seeds: number[]) => seeds.map((s) => byKey("random", s, acc(10)));
  const meClaim = (runs: RunResult[]) => galClaims(g, runs).find((c) => c.claim === "ME reaches 10% error with fewer labelled samples than Random")!;
  const me = meClaim([...me3, ...random([1, 2, 3, 4, 5, 6])]);
  assert.deepEqual([me.verdict, me.ours, me.runs], ["reproduced", "AS 50 vs 120; SA 50 vs 120", "ME 3/3, Random 6/6"]);
  // Three runs of every arm decide, whatever the plan; the runs column says what is still planned.
  const partial = meClaim([...me3, ...random([1, 2, 3])]);
  assert.deepEqual([partial.verdict, partial.runs], ["reproduced", "ME 3/3, Random 3/6"]);
  assert.equal(meClaim([...me3.slice(0, 2), ...random([1, 2, 3])]).verdict, "indicative (n = 2)");

  const { deimosProfile, deimosRunConfigs } = await import("../src/experiments/deimos/index");
  const d = deimosRunConfigs({ ...deimosProfile("reference"), arms: deimosProfile("reference").arms.slice(0, 1), seedsByStrategy: { "max-entropy": [1], kcenter: [2] } });
  assert.deepEqual(["deimos", "bald", "random", "max-entropy", "kcenter"].map((s) => d.filter((r) => r.strategy === s).length), [3, 3, 3, 1, 1]);
  assert.deepEqual(d.filter((r) => r.strategy === "kcenter").map((r) => r.seed), [2]);
});

test("bal plan: step costs from the recorded seconds of runs like the missing one; the claims each missing run is needed for", async () => {
  const { estimateSteps, claimsWaitingFor } = await import("../src/report/plan");
  const g = galProfile("reference");
  const plan = galSweep(g).runs;
  const withSeconds = (r: RunResult, per: number[]) => ({ ...r, records: r.records.map((s, i) => ({ ...s, seconds: { train: per[i], evaluate: 0, acquire: 0 } })) });
  const bald = withSeconds(fakeRun("bald", 1, [0.5, 0.6, 0.7]), [1, 2, 3]);
  const random = withSeconds(fakeRun("random", 1, [0.5, 0.6, 0.7]), [10, 10, 10]);
  const like = (strategy: string, steps: number) => ({ ...plan.find((r) => r.strategy === strategy)!, steps });
  assert.deepEqual(estimateSteps(like("bald", 2), 0, [bald, random]).seconds, 6);
  assert.deepEqual(estimateSteps(like("bald", 2), 1, [bald, random]).seconds, 5, "steps a checkpoint holds are not counted");
  // Later steps cost the last measured one, its training time scaled by the training-set size (40 -> 50, 60).
  assert.deepEqual(estimateSteps(like("bald", 4), 0, [bald, random]).seconds, 1 + 2 + 3 + 3 * 50 / 40 + 3 * 60 / 40);
  // An epoch of a fixed number of samples (epochSamples above the training set) costs the same at every size.
  const fixedEpoch = (r: RunResult, epochSamples: number) => ({ ...r, config: { ...r.config, train: { ...r.config.train, epochSamples } } });
  assert.deepEqual(estimateSteps(like("bald", 4), 0, [fixedEpoch(bald, 5000)]).seconds, 1 + 2 + 3 + 3 + 3);
  assert.deepEqual(estimateSteps(like("bald", 4), 0, [fixedEpoch(bald, 50)]).seconds, 1 + 2 + 3 + 3 + 3 * 60 / 50, "the training set once it outgrows epochSamples");
  assert.equal(estimateSteps(like("bald", 2), 0, [bald, random]).atLeast, false);
  // From other strategies only training and evaluation count (their acquisition is not this one's): a lower bound.
  const split = (r: RunResult) => ({ ...r, records: r.records.map((s) => ({ ...s, seconds: { train: s.seconds.train, evaluate: 1, acquire: 100 } })) });
  const other = estimateSteps(like("max-entropy", 2), 0, [split(bald), split(random)]);
  assert.deepEqual([other.seconds, other.atLeast, /other strategies/.test(other.basis)], [(1 + 10) / 2 + (2 + 10) / 2 + (3 + 10) / 2 + 3, true, true]);
  assert.equal(estimateSteps({ ...like("bald", 2), model: "keras-cnn" }, 0, [bald]).seconds, null);
  const { formatPlan } = await import("../src/report/plan");
  const row = (label: string, estimateS: number | null, estimateAtLeast: boolean) => ({ config: like("bald", 2), label, stepsDone: 0, resumesFrom: "checkpoint" as const, stepsLeft: 3, estimateS, estimateAtLeast, basis: "b", unlocks: [] });
  const text = formatPlan({ experiment: "e", profile: "p", finished: 0, missing: [row("x", 7200, false), row("y", 1800, true), row("z", null, false)], totalS: 9000, unknown: 1, atLeast: 1 });
  assert.match(text, /estimated at least 2\.5 core-hours \(1 run\(s\) estimated without their acquisition: only other strategies measured\) plus 1 run\(s\) with nothing measured/);
  assert.deepEqual(text.split("\n").slice(3).map((l) => l.split(" | ")[2]), ["2.0 h", ">= 0.50 h", "?"]);

  // Finished: ME seed 1 and every BALD / Random run; missing: ME seeds 2 and 3. Each is needed by the two ME claims.
  const acc = (steps: number) => Array.from({ length: steps + 1 }, (_, i) => (i > 10 ? 0.96 : 0.5));
  const fin = (s: string, seed: number) => { const rc = plan.find((r) => r.strategy === s && r.seed === seed)!; return fakeFrom(rc, acc(rc.steps), 20); };
  const finished = [fin("max-entropy", 1), ...[1, 2, 3].map((s) => fin("bald", s)), ...[1, 2, 3, 4, 5, 6].map((s) => fin("random", s))];
  const missing = [2, 3].map((seed) => plan.find((r) => r.strategy === "max-entropy" && r.seed === seed)!);
  const waiting = claimsWaitingFor(missing, finished, (rs) => galClaims(g, rs));
  assert.deepEqual(waiting, [0, 1].map(() => ["ME reaches 10% error with fewer labelled samples than Random", "ME reaches 5% error with fewer labelled samples than Random"]));
});

test("bal next: cheapest undecided claim first, a shared run paid once, unestimated claims and claim-less runs last", async () => {
  const { scheduleRuns, formatSchedule } = await import("../src/report/schedule");
  const rc = galSweep(galProfile("reference")).runs[0];
  const run = (label: string, estimateS: number | null, unlocks: string[]) => ({ config: rc, label, stepsDone: 0, resumesFrom: "checkpoint" as const, stepsLeft: 1, estimateS, estimateAtLeast: false, basis: "", unlocks });
  const plan = (profile: string, missing: ReturnType<typeof run>[]) => ({ experiment: "a", profile, finished: 0, missing, totalS: 0, unknown: 0, atLeast: 0 });
  const p1 = plan("reference", [run("r1", 3600, ["A"]), run("r2", 3600, ["A", "C"]), run("r3", 1800, ["B"]), run("r4", 3600, ["C"]), run("r5", 600, []), run("r6", null, ["D"])]);
  // The same claim text in another profile is another claim (its runs are other runs).
  const p2 = plan("reference-x", [run("q1", 60, ["B"])]);
  const s = scheduleRuns([p1, p2]);
  // A (r1, r2 at no cost) and E (r1) tie; A, listed first, brings r1 and r2 in: E is decidable at r1 already, A at r2.
  const p3 = plan("reference-y", [run("r1", 100, ["A", "E"]), run("r2", 0, ["A"])]);
  assert.deepEqual(scheduleRuns([p3]).map((x) => x.decides), [["a / reference-y: E"], ["a / reference-y: A"]]);
  // B of reference-x costs 60 s, B 1,800 s; A and C then both cost 2 h (A first, as listed); C then needs only r4.
  assert.deepEqual(s.map((x) => x.run.label), ["q1", "r3", "r1", "r2", "r4", "r6", "r5"]);
  assert.deepEqual(s.map((x) => x.cumulativeS), [60, 1860, 5460, 9060, 12660, null, null]);
  assert.deepEqual(s.map((x) => x.decides), [["a / reference-x: B"], ["a / reference: B"], [], ["a / reference: A"], ["a / reference: C"], ["a / reference: D"], []]);
  const text = formatSchedule(s, 1.6);
  assert.match(text, /^7 missing reference run\(s\); 5 claim\(s\) wait for them\. .*fit in 1\.6 core-hour\(s\) \(3 of 7\)/);
  assert.deepEqual(text.split("\n").slice(3).map((l) => l.split(" | ").slice(2, 6)), [["q1", "0.02 h", "0.02 h", "B |"], ["r3", "0.50 h", "0.52 h", "B |"], ["r1", "1.0 h", "1.5 h", " |"]]);
});

test("bal plan runs for every experiment's reference profile on the committed folders (nothing there but runs)", async () => {
  const { planRuns } = await import("../src/report/plan");
  const { EXPERIMENTS } = await import("../src/experiments/registry");
  for (const [name, entry] of Object.entries(EXPERIMENTS)) {
    for (const profile of entry.profiles.filter(isReferenceProfile)) {
      const { sweep, claims } = entry.load(profile);
      const plan = planRuns(sweep, claims);
      assert.equal(plan.finished + plan.missing.length, sweep.runs.length, `${name}/${profile}`);
    }
  }
});

test("Gal reference long runs: shorter committed runs stand in for their first steps; the 5% claims between BALD and Random read the long runs once all are in, as do those of a shorter arm whose runs all reach 95% at one same step", async () => {
  const { mkdtempSync, writeFileSync, mkdirSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const g = galProfile("reference");
  const sweep = galSweep(g);
  const planned = (s: string, seed: number) => sweep.runs.find((r) => r.strategy === s && r.seed === seed)!;
  assert.equal(planned("bald", 1).steps, 100);
  assert.equal(planned("random", 4).steps, 30);
  assert.equal(planned("max-entropy", 1).steps, 30);
  // Crossing 95% at labelled 20 + 10 x `at`.
  const curve = (steps: number, at: number) => Array.from({ length: steps + 1 }, (_, i) => (i >= at ? 0.96 : 0.5 + i / 1000));
  const run = (s: string, seed: number, steps: number, at: number) => { const r = fakeFrom({ ...planned(s, seed), steps }, curve(steps, at), 20); return {
    ...r, provenance: { commit: "x", dirty: false, backend: "cpu", threads: null, node: "", host: "" },
    records: r.records.map((x, i) => ({ ...x, acquired: i < steps ? Array.from({ length: 10 }, (_, j) => 10 * i + j) : [] })),
  }; };

  const dir = mkdtempSync(join(tmpdir(), "bal-ref-long-"));
  const write = (r: RunResult) => { mkdirSync(dir, { recursive: true }); writeFileSync(join(dir, `${r.key}.json`), JSON.stringify(r)); };
  const short = run("bald", 1, 30, 23);
  write(short);
  let status = referenceStatus(sweep, dir);
  assert.deepEqual([status.current.map((r) => r.key), status.shorter.map((r) => r.key), status.missing.length], [[short.key], [short.key], 18]);
  assert.deepEqual(status.stale, []);
  const long = run("bald", 1, 100, 23);
  write(long);
  status = referenceStatus(sweep, dir);
  assert.deepEqual([status.current.map((r) => r.key), status.shorter.length, status.stale.map((x) => x.file)], [[long.key], 0, [`${short.key}.json`]], "the finished long run makes its prefix stale");

  // Claims: BALD crosses 95% at 250, Random at 610 (Pilz's numbers). With only 30-step runs the 2x claim is not run;
  // with the three long runs per arm both 5% claims read them.
  const shortRuns = [1, 2, 3].flatMap((seed) => [run("bald", seed, 30, 23), run("random", seed, 30, 59)]);
  const longRuns = [1, 2, 3].flatMap((seed) => [run("bald", seed, 100, 23), run("random", seed, 100, 59)]);
  const extra = [4, 5, 6].map((seed) => run("random", seed, 30, 59));
  const verdict = (rs: RunResult[], claim: string) => galClaims(g, rs).find((c) => c.claim.startsWith(claim))!;
  assert.equal(verdict([...shortRuns, ...extra], "Random needs at least twice").verdict, "not run");
  assert.equal(verdict([...shortRuns, ...extra], "BALD reaches 5%").verdict, "ordering reproduced; magnitude beyond budget");
  const twice = verdict([...longRuns, ...extra], "Random needs at least twice");
  assert.equal(twice.verdict, "reproduced");
  assert.equal(twice.ours, "AS 250 vs 610; SA 250 vs 610");
  assert.equal(verdict([...longRuns, ...extra], "BALD reaches 5%").ours, "AS 250 vs 610; SA 250 vs 610");
  assert.equal(verdict([...longRuns.slice(0, 4), ...extra], "Random needs at least twice").verdict, "indicative (n = 2)");
  // The 10% rows read every run up to the common budget (Random's six runs).
  assert.match(verdict([...longRuns, ...extra], "BALD reaches 10%").runs ?? "", /Random 6\/6/);
  // ME has 30-step runs only: once all three are above 95% at one same step, its 5% row reads Random's long runs (crossings
  // settled, even if a run dips below later); while no step has all of them above (here: one crosses only at its last step and
  // another dips there), it stays on the common budget (Random's six runs, beyond it).
  const me = [1, 2, 3].map((seed) => run("max-entropy", seed, 30, 23));
  const settled = verdict([...longRuns, ...extra, ...me], "ME reaches 5%");
  assert.deepEqual([settled.verdict, settled.ours, settled.runs], ["reproduced", "AS 250 vs 610; SA 250 vs 610", "ME 3/3, Random 3/3"]);
  const dipped = { ...me[2], records: me[2].records.map((x, i, all) => (i === all.length - 1 ? { ...x, testAccuracy: 0.9 } : x)) };
  assert.equal(verdict([...longRuns, ...extra, ...me.slice(0, 2), dipped], "ME reaches 5%").runs, "ME 3/3, Random 3/3");
  const unsettled = verdict([...longRuns, ...extra, me[0], run("max-entropy", 2, 30, 30), dipped], "ME reaches 5%");
  // (Their average curve never reaches 95% within the 30 steps: read on Random's long runs it would wrongly say "> 1,020".)
  assert.deepEqual([unsettled.verdict, unsettled.runs], ["not decidable within this budget", "ME 3/3, Random 6/6"]);
  // "MSTD performs like BALD, not like Random" reads Random's long runs the same way once MSTD's and BALD's crossings are settled.
  const mstd = [1, 2, 3].map((seed) => run("mean-std", seed, 30, 23));
  const likeBald = verdict([...longRuns, ...extra, ...mstd], "MSTD performs like BALD");
  assert.deepEqual([likeBald.verdict, likeBald.runs, likeBald.ours], ["reproduced", "MSTD 3/3, BALD 3/3, Random 3/3", "AS MSTD 250, BALD 250, Random 610; SA MSTD 250, BALD 250, Random 610"]);
  assert.equal(verdict([...shortRuns, ...extra, ...mstd], "MSTD performs like BALD").runs, "MSTD 3/3, BALD 3/3, Random 6/6");
  assert.equal(verdict([...longRuns, ...extra, ...me.slice(0, 2)], "ME reaches 5%").runs, "ME 2/3, Random 6/6");
});

test("DEIMOS Figure 3 claims: batch-25 curves (DEIMOS vs Random, k-center / max entropy) and batch diversity (vs BatchBALD, max entropy) from the batch arms' runs", async () => {
  const { deimosProfile, deimosRunConfigs, deimosClaims } = await import("../src/experiments/deimos/index");
  const d = deimosProfile("reference");
  const runs = deimosRunConfigs(d);
  const arm09 = runs.filter((r) => r.acquireSize === 25 && r.dataset === "mnist");
  assert.deepEqual([...new Set(arm09.map((r) => r.strategy))], ["deimos", "batchbald", "random", "max-entropy", "kcenter"]);
  assert.deepEqual([arm09[0].steps, runs.filter((r) => r.acquireSize === 25 && r.dataset !== "mnist")[0].steps], [20, 40]);
  assert.ok(runs.findIndex((r) => r.acquireSize === 25) > runs.map((r) => r.acquireSize).lastIndexOf(1), "the single-point arm runs first");
  // 0-9: DEIMOS 2 points above the others at every step, its batches more diverse (0.5 vs 0.3 per step).
  const fake = (strategy: string, seed: number, acc: number, diversity: number) => {
    const rc = arm09.find((r) => r.strategy === strategy && r.seed === seed)!;
    const r = fakeFrom(rc, Array.from({ length: rc.steps + 1 }, (_, i) => acc + i / 1000 + seed / 10000), 30);
    return { ...r, records: r.records.map((x, i) => (i < rc.steps ? { ...x, batchDiversity: diversity + seed / 1000 } : x)) };
  };
  const results = [1, 2, 3].flatMap((seed) => [fake("deimos", seed, 0.9, 0.5), fake("batchbald", seed, 0.9, 0.3), fake("random", seed, 0.88, 0.7), fake("max-entropy", seed, 0.88, 0.3)]);
  const claims = deimosClaims(d, results);
  const verdict = (prefix: string) => claims.filter((c) => c.claim.startsWith(prefix)).map((c) => [c.claim.replace(prefix, ""), c.verdict]);
  assert.deepEqual(verdict("Batch 25, 0-9: "), [
    ["DEIMOS outperforms Random over the whole curve (Fig. 3b)", "reproduced"],
    ["DEIMOS outperforms max entropy over the whole curve (Fig. 3b)", "reproduced"],
    ["DEIMOS' batches are more diverse than BatchBALD's (Fig. 3e)", "reproduced"],
    ["DEIMOS' batches are more diverse than max entropy's (Fig. 3e)", "reproduced"],
  ]);
  assert.match(claims.find((c) => c.claim.includes("0-9: DEIMOS outperforms Random"))!.evidence ?? "", /App\. C's test .* effect 2\.00 points/);
  assert.ok(verdict("Batch 25, 7 vs 9: ").every(([, v]) => v === "not run"));
  // Without the arms in the profile the claims say so.
  const single = deimosClaims({ ...d, arms: d.arms.slice(0, 1) }, []);
  assert.match(single.find((c) => c.claim.includes("(Fig. 3a)"))!.ours, /the '7v9-batch25' arm is not in this profile/);
});
