import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bootstrapGap, budgetCell, comparisonVerdict, GapInterval, thresholdClaim, VERDICTS, verdictCounts, waitsForRuns,
} from "../src/report/claims";
import { Curve } from "../src/report/metrics";
import { algorithmEffectTest, chiSquare1Tail, erfc } from "../src/report/mixed-model";
import { Rng } from "../src/seeding/rng";

const BUDGETS = Array.from({ length: 31 }, (_, i) => 20 + 10 * i); // 20 .. 320
/** A run at accuracy 0.5 that jumps to 0.96 at `cross` (Infinity: never). */
const run = (cross: number): Curve => ({ budget: BUDGETS, accuracy: BUDGETS.map((b) => (b >= cross ? 0.96 : 0.5)) });
const arm = (label: string, crosses: number[], planned = crosses.length) => ({ label, runs: crosses.map(run), planned });
const claimOf = (a: number[], b: number[], target = 0.7) => thresholdClaim({
  claim: "A needs fewer samples than B", paper: "-", key: `test:${a}:${b}:${target}`, reduced: false, fewer: arm("A", a), more: arm("B", b), target, budget: 320,
});

test("a tie (170 vs 170 in every run) is not decided, never 'not reproduced'", () => {
  const c = claimOf([170, 170, 170], [170, 170, 170]);
  assert.equal(c.verdict, "not decided (within noise)");
  assert.equal(c.ours, "AS 170 vs 170; SA 170 vs 170");
});

test("a one-step gap with overlapping runs is within noise; a clear gap is reproduced, and the reverse not reproduced", () => {
  // At 0.7 the mean of three step curves crosses once two runs have: AS is each arm's second crossing.
  const overlap = claimOf([100, 110, 130], [110, 120, 130]);
  assert.equal(overlap.ours, "AS 110 vs 120; SA 113.3 vs 120");
  assert.equal(overlap.verdict, "not decided (within noise)");
  assert.equal(claimOf([100, 110, 120], [200, 210, 220]).verdict, "reproduced");
  assert.equal(claimOf([200, 210, 220], [100, 110, 120]).verdict, "not reproduced");
  assert.match(claimOf([100, 110, 120], [200, 210, 220]).evidence!, /^AS 100 \[\d+, \d+\]; SA 100 \[\d+, \d+\]$/);
});

test("fewer than 3 runs of an arm is indicative, whatever the gap and the plan; no runs is 'not run'", () => {
  assert.equal(thresholdClaim({ claim: "c", paper: "-", key: "n1", reduced: false, fewer: arm("A", [100], 1), more: arm("B", [200, 210, 220]), target: 0.7, budget: 320 }).verdict, "indicative (n = 1)");
  assert.equal(claimOf([100, 110], [200, 210, 220]).verdict, "indicative (n = 2)");
  assert.equal(claimOf([], [200]).verdict, "not run");
  assert.equal(thresholdClaim({ claim: "c", paper: "-", key: "r", reduced: true, fewer: arm("A", [100, 110, 120]), more: arm("B", [200, 210, 220]), target: 0.7, budget: 320 }).verdict,
    "not comparable (reduced profile)");
});

test("beyond the budget: the ordering holds but the magnitude is untested; both arms beyond it decide nothing; cells print '> 320'", () => {
  const c = claimOf([230, 240, 260], [Infinity, Infinity, Infinity], 0.9);
  assert.equal(c.verdict, "ordering reproduced; magnitude beyond budget");
  assert.equal(c.ours, "AS 260 vs > 320; SA 243.3 vs > 320");
  assert.equal(c.perRun, "230, 240, 260 | > 320, > 320, > 320");
  assert.doesNotMatch(`${c.ours} ${c.perRun} ${c.evidence}`, /∞|Infinity/);
  assert.equal(claimOf([Infinity, Infinity, Infinity], [Infinity, Infinity, Infinity], 0.9).verdict, "not decidable within this budget");
  assert.equal(budgetCell(Infinity, 320), "> 320");
  assert.equal(budgetCell(133.333, 320, 1), "133.3");
});

test("the verdict of several statistics: all hold, all fail, SA and AS disagree, noise", () => {
  const i = (outcome: GapInterval["outcome"]): GapInterval => ({ outcome, point: 1, lo: 0, hi: 2 });
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("holds"), SA: i("holds") }), "reproduced");
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("holds"), SA: i("holds") }, true), "ordering reproduced; magnitude beyond budget");
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("fails"), SA: i("fails") }), "not reproduced");
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("holds"), SA: i("fails") }), "not decided (SA and AS disagree)");
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("holds"), median: i("fails") }), "not decided (statistics disagree)");
  assert.equal(comparisonVerdict(false, [3, 3], { AS: i("holds"), SA: i("within noise") }), "not decided (within noise)");
  assert.equal(comparisonVerdict(false, [3, 1], { AS: i("holds") }), "indicative (n = 1)");
  assert.ok(waitsForRuns("indicative (n = 2)") && waitsForRuns("not run") && !waitsForRuns("not decided (within noise)"));
});

test("the bootstrap is reproducible and its interval brackets the runs' gap", () => {
  const a = [1, 2, 3], b = [4, 5, 6];
  const gap = ([x, y]: number[][]) => y.reduce((s, v) => s + v, 0) / y.length - x.reduce((s, v) => s + v, 0) / x.length;
  const one = bootstrapGap([a, b], gap, "k");
  assert.deepEqual(one, bootstrapGap([a, b], gap, "k"));
  assert.equal(one.point, 3);
  assert.ok(one.lo <= 3 && 3 <= one.hi && one.lo > 0, `${one.lo} ${one.hi}`);
  assert.equal(one.outcome, "holds");
  // A single run per arm has no spread: the interval is the point.
  const single = bootstrapGap([[1], [4]], gap, "k1");
  assert.deepEqual([single.lo, single.hi], [3, 3]);
});

test("App. C's test: a known effect on synthetic curve sets is found, no effect is not; the chi-square tail on hand values", () => {
  close(chiSquare1Tail(3.841458820694124), 0.05, 1e-6);
  close(chiSquare1Tail(6.634896601021214), 0.01, 1e-6);
  close(erfc(0), 1, 1e-7);
  assert.equal(chiSquare1Tail(0), 1);
  const rng = new Rng(5);
  const base = Array.from({ length: 40 }, (_, t) => 0.8 + 0.15 * (1 - Math.exp(-t / 10)));
  const curves = (shift: number) => Array.from({ length: 3 }, () => base.map((v) => v + shift + 0.01 * rng.normal()));
  const effect = algorithmEffectTest(curves(0.02), curves(0));
  assert.ok(Math.abs(effect.effect - 0.02) < 0.005, `effect ${effect.effect}`);
  assert.ok(effect.p < 1e-10, `p ${effect.p}`);
  assert.equal(effect.observations, 240);
  const none = algorithmEffectTest(curves(0), curves(0));
  assert.ok(none.p > 0.01, `p ${none.p}`);
  // Hand case: two iterations, one run each; a = b + 1 exactly: no residual left, p = 0.
  const exact = algorithmEffectTest([[2, 3]], [[1, 2]]);
  assert.deepEqual([exact.effect, exact.p], [1, 0]);
});

function close(a: number, b: number, tol: number) {
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
}

test("every claim row of every paper resolves to a verdict of the vocabulary, and the counts add up", async () => {
  const { reproducedClaims, reproducedMarkdown } = await import("../src/experiments/reproduced");
  const papers = reproducedClaims();
  // Paper 003 has two sections: Pilz's reproduction (reference) and Gal's own protocol (reference-gal-original).
  assert.deepEqual(papers.map((p) => p.paper.slice(0, 3)).sort(), ["000", "001", "002", "003", "003", "004"]);
  for (const p of papers) {
    assert.ok(p.claims.length > 0, p.paper);
    for (const c of p.claims) {
      assert.ok(VERDICTS.includes(c.verdict), `${p.paper}: '${c.claim}' has verdict '${c.verdict}'`);
      assert.ok(c.claim && c.paper && c.ours && c.runs, `${p.paper}: '${c.claim}' has an empty cell`);
      assert.doesNotMatch(`${c.ours} ${c.perRun ?? ""} ${c.evidence ?? ""}`, /∞|Infinity|NaN/, `${p.paper}: '${c.claim}'`);
    }
  }
  assert.match(verdictCounts([{ verdict: "reproduced" }, { verdict: "not run" }, { verdict: "reproduced" }]), /^3 claims: 2 reproduced, 1 not run$/);
  assert.match(reproducedMarkdown(papers), /^All papers: \d+ claims: /);
});
