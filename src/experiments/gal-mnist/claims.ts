// Gal / Pilz claims, each declared once here and decided from our runs by the engine in
// src/report/claims.ts (both Pilz statistics, bootstrapped over runs; training-set size).
import { RunResult } from "../../loop/active-learning";
import {
  Arm, bootstrapGap, budgetCell, Claim, claimWithout, comparisonVerdict, fewerGap, forProfile, GapInterval, intervalCell, meanClaim, thresholdClaim, thresholdStatistics,
} from "../../report/claims";
import { BudgetUnit, Curve, reaches, samplesToReach } from "../../report/metrics";
import { curveOf } from "../../report/runs";
import { seedsOf } from "../seeds";
import { GAL_LABELS, GalExperimentConfig } from "./profiles";
import { GAL_FINAL_ERROR, PAPER_SAMPLES, PAPER_STEP_AVERAGE } from "./published";
import { atProfileBudget, byStrategy, longRunsOf, longRunsView, TS } from "./report";

const UNCERTAINTY = ["max-entropy", "bald", "variation-ratio", "mean-std"];

/**
 * The papers' claims: every uncertainty function reaches 10% and 5% error with fewer samples than
 * Random (Gal's Table 1, Pilz's Tables 2-3); Random needs at least twice BALD's samples at 5%;
 * Step-Average lies below Average-Step for Random (Pilz); MSTD performs like BALD, not like Random
 * (Pilz, against Gal). Gal's own protocol (`paperOf: "gal"`) adds his errors after 1,000 acquisitions
 * and deterministic vs Bayesian instead of Pilz's Step-Average and MSTD claims.
 */
export function galClaims(cfg: GalExperimentConfig, results: readonly RunResult[]): Claim[] {
  // Two views of the runs: every run up to the profile's budget, and the long runs to theirs (longRuns).
  const armsOf = (view: GalExperimentConfig, runs: readonly RunResult[], unit: BudgetUnit = TS) => {
    const groups = byStrategy(runs);
    return (s: string): Arm => ({ label: GAL_LABELS[s] ?? s, runs: (groups.get(s) ?? []).map((r) => curveOf(r, unit)), planned: view.strategies.includes(s) ? seedsOf(view, s).length : 0 });
  };
  const budgetOf = (view: GalExperimentConfig) => 10 * view.run.initialPerClass + view.run.steps * view.run.acquireSize;
  const arm = armsOf(cfg, atProfileBudget(cfg, results));
  const budget = budgetOf(cfg);
  const longView = longRunsView(cfg);
  const longArm = longView ? armsOf(longView, longRunsOf(cfg, results)) : arm;
  const longBudget = longView ? budgetOf(longView) : budget;
  // A claim between long-run strategies is read on the long runs once each arm has its planned runs there.
  const longReady = (...s: string[]) => !!longView && s.every((x) => longView.strategies.includes(x) && longArm(x).runs.length >= longArm(x).planned);
  const rule = cfg.reachRule;
  const base = { reduced: cfg.reduced, rule, budget };
  // Gal's own protocol (gal-original) is judged against Gal's numbers and claims, Table 1 in his unit
  // (acquired images); Pilz's profiles against his (training-set size).
  const gal = cfg.paperOf === "gal";
  const tableArm = gal ? armsOf(cfg, atProfileBudget(cfg, results), "acquired") : arm;
  const tableBase = gal ? { ...base, budget: budget - 10 * cfg.run.initialPerClass } : base;
  const claims: Claim[] = [];
  for (const e of [0.1, 0.05]) {
    const paper = PAPER_SAMPLES[String(e)];
    for (const s of UNCERTAINTY.filter((x) => cfg.strategies.includes(x))) {
      const long = e === 0.05 && longReady(s, "random");
      // A shorter arm whose runs all reach the target at one same step has its crossings settled (a longer run would
      // repeat the same first steps): read it against Random's long runs, whose 5% crossing lies beyond the common budget.
      const settled = e === 0.05 && !long && !gal && longReady("random") && settledWithin(tableArm(s), 1 - e, rule);
      const galCell = `Gal ${paper[s].gal} vs ${paper.random.gal} acquired`;
      claims.push(thresholdClaim({
        ...tableBase, claim: `${GAL_LABELS[s]} reaches ${e * 100}% error with fewer ${gal ? "acquired images" : "labelled samples"} than Random`, key: `gal:${s}:${e}`, target: 1 - e,
        paper: gal ? `${galCell} (Table 1)` : `Pilz AS ${paper[s].pilz} vs ${paper.random.pilz}, SA ${PAPER_STEP_AVERAGE[String(e)][s]} vs ${PAPER_STEP_AVERAGE[String(e)].random}; ${galCell}`,
        fewer: (long ? longArm : tableArm)(s), more: (long || settled ? longArm : tableArm)("random"), ...(long || settled ? { budget: longBudget } : {}),
      }));
    }
  }
  if (cfg.strategies.includes("bald")) {
    // Read on the long runs whenever the profile plans them (Random's 5% crossing lies beyond the common budget).
    claims.push(thresholdClaim({
      ...base, budget: longBudget, claim: "Random needs at least twice BALD's labelled samples to reach 5% error", key: "gal:random-2x-bald", target: 0.95,
      paper: `${gal ? "" : "Pilz 610 / 270 = 2.26; "}Gal (835 + 20) / (335 + 20) = 2.41 in training-set size`, fewer: longArm("bald"), more: longArm("random"),
      // Positive when Random's budget is at least twice BALD's; beyond our budget it holds only if twice BALD's is within it.
      gap: (b, r) => (!Number.isFinite(b) ? (Number.isFinite(r) ? -Infinity : NaN) : Number.isFinite(r) ? r - 2 * b : 2 * b <= longBudget ? Infinity : NaN),
    }));
  }
  if (!gal) {
    claims.push(...[0.1, 0.05].map((e) => {
      const long = e === 0.05 && longReady("random");
      return stepBelowAverage(cfg.reduced, (long ? longArm : arm)("random"), 1 - e, long ? longBudget : budget, rule);
    }));
    if (cfg.strategies.includes("mean-std") && cfg.strategies.includes("bald")) {
      // Against Random's long runs too once both MSTD's and BALD's 5% crossings are settled (as in the rows above).
      const settled = longReady("random") && settledWithin(arm("mean-std"), 0.95, rule) && settledWithin(arm("bald"), 0.95, rule);
      claims.push(mstdLikeBald(cfg.reduced, arm("mean-std"), arm("bald"), (settled ? longArm : arm)("random"), settled ? longBudget : budget, rule));
    }
    return forProfile(cfg.reduced, claims);
  }
  claims.push(...finalErrorClaims(cfg, arm, budget));
  claims.push(claimWithout("Bayesian CNNs (MC dropout) need fewer samples than their deterministic counterparts (Gal Fig. 2)", "Gal: BALD / VR / ME above their deterministic versions",
    "not implemented", "no deterministic-acquisition variant of the uncertainty functions in src/acquisition"));
  return forProfile(cfg.reduced, claims);
}

/**
 * Gal's errors after 1,000 acquired images (VR 1.64% < ME 1.74% < BALD 1.80% < Random 4.66%), as the three
 * neighbouring pairs, each on the mean final test error over runs; decidable only when the runs end at 1,000 labelled.
 */
function finalErrorClaims(cfg: GalExperimentConfig, arm: (s: string) => Arm, budget: number): Claim[] {
  const order = ["variation-ratio", "max-entropy", "bald", "random"];
  return order.slice(0, -1).map((a, i) => {
    const b = order[i + 1];
    const claim = `Test error with 1,000 labelled images: ${GAL_LABELS[a]} below ${GAL_LABELS[b]}`;
    const paper = `Gal ${GAL_LABELS[a]} ${GAL_FINAL_ERROR[a].toFixed(2)}% vs ${GAL_LABELS[b]} ${GAL_FINAL_ERROR[b].toFixed(2)}% (after 1,000 acquired)`;
    if (!cfg.strategies.includes(a) || !cfg.strategies.includes(b)) return claimWithout(claim, paper, "not run", "not in this profile's functions");
    if (budget < 1000) return claimWithout(claim, paper, "not decidable within this budget", `these runs end at ${budget} labelled`);
    return meanClaim({
      claim, paper, key: `gal:final-error:${a}:${b}`, reduced: cfg.reduced, a: arm(a), b: arm(b), sign: -1, statistic: "final test error",
      valueOf: (c: Curve) => 1 - c.accuracy[c.accuracy.length - 1], format: (x) => `${(100 * x).toFixed(2)}%`,
    });
  });
}

/**
 * Every planned run is in and all of them reach `target` at one same step: then each run's crossing, and that of the
 * average curve of any resample of them (at or before that step), is final whatever later steps would bring.
 */
function settledWithin(arm: Arm, target: number, rule: GalExperimentConfig["reachRule"]): boolean {
  if (arm.runs.length === 0 || arm.runs.length < arm.planned) return false;
  const steps = Math.min(...arm.runs.map((c) => c.accuracy.length));
  return Array.from({ length: steps }, (_, i) => i).some((i) => arm.runs.every((c) => reaches(c.accuracy[i], target, rule)));
}

/** Pilz: the Step-Average of a high-variance function (Random) lies below its Average-Step. */
function stepBelowAverage(reduced: boolean, random: Arm, target: number, budget: number, rule: GalExperimentConfig["reachRule"]): Claim {
  const e = Math.round((1 - target) * 100);
  const claim = `Random's Step-Average lies below its Average-Step at ${e}% error`;
  const paper = e === 10 ? "Pilz 193.3 vs 200" : "Pilz 480 vs 610";
  const runs = `Random ${random.runs.length}/${random.planned}`;
  if (random.runs.length === 0) return claimWithout(claim, paper, "not run", "no Random runs", runs);
  const st = thresholdStatistics(target, rule);
  const interval = bootstrapGap([random.runs], ([c]) => fewerGap(st.SA(c), st.AS(c)), `gal:sa-below-as:${e}`);
  const cell = (x: number) => budgetCell(x, budget, 1);
  return {
    claim, paper, ours: `SA ${cell(st.SA(random.runs))} vs AS ${cell(st.AS(random.runs))}`, runs,
    perRun: random.runs.map((c) => samplesToReach(c, target, rule)).sort((a, b) => a - b).map((x) => budgetCell(x, budget)).join(", "),
    evidence: intervalCell("AS - SA", interval, 1), verdict: comparisonVerdict(reduced, [random.runs.length], { "AS - SA": interval }),
  };
}

/**
 * Pilz against Gal: MSTD reaches 5% error before Random and not decidedly after BALD, by both
 * statistics (Gal: MSTD 695 acquired, near Random's 835; Pilz: 250, near BALD's 270).
 */
function mstdLikeBald(reduced: boolean, mstd: Arm, bald: Arm, random: Arm, budget: number, rule: GalExperimentConfig["reachRule"]): Claim {
  const claim = "MSTD performs like BALD, not like Random, at 5% error (Pilz, against Gal)";
  const paper = "Pilz MSTD 250, BALD 270, Random 610; Gal 695, 335, 835 acquired";
  const runs = [mstd, bald, random].map((a) => `${a.label} ${a.runs.length}/${a.planned}`).join(", ");
  if ([mstd, bald, random].some((a) => a.runs.length === 0)) return claimWithout(claim, paper, "not run", "an arm has no runs", runs);
  const intervals: Record<string, GapInterval> = {};
  const evidence: string[] = [];
  const ours: string[] = [];
  for (const [name, stat] of Object.entries(thresholdStatistics(0.95, rule))) {
    const vsRandom = bootstrapGap([mstd.runs, random.runs], ([m, r]) => fewerGap(stat(m), stat(r)), `gal:mstd-random:${name}`);
    const vsBald = bootstrapGap([bald.runs, mstd.runs], ([b, m]) => fewerGap(stat(b), stat(m)), `gal:mstd-bald:${name}`);
    // Holds when MSTD is decidedly before Random and not decidedly after BALD.
    const outcome = vsRandom.outcome === "holds" && vsBald.outcome !== "holds" ? "holds" : vsRandom.outcome === "fails" || vsBald.outcome === "holds" ? "fails" : vsRandom.outcome;
    intervals[name] = { ...vsRandom, outcome };
    evidence.push(`${intervalCell(`${name} Random - MSTD`, vsRandom)}; ${intervalCell(`${name} MSTD - BALD`, vsBald)}`);
    const cell = (c: Curve[]) => budgetCell(stat(c), budget, 1);
    ours.push(`${name} MSTD ${cell(mstd.runs)}, BALD ${cell(bald.runs)}, Random ${cell(random.runs)}`);
  }
  return {
    claim, paper, ours: ours.join("; "), runs, evidence: evidence.join("; "),
    perRun: [mstd, bald, random].map((a) => a.runs.map((c) => samplesToReach(c, 0.95, rule)).sort((x, y) => x - y).map((x) => budgetCell(x, budget)).join(", ")).join(" | "),
    verdict: comparisonVerdict(reduced, [mstd, bald, random].map((a) => a.runs.length), intervals),
  };
}
