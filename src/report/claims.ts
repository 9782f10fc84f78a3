// A paper's claim decided from our runs: the verdict vocabulary every notebook and the README use,
// and the one engine that decides them. The rule (also in the README):
//   - a comparison is a gap between arms, positive when the claim holds (e.g. Random's samples to
//     reach an accuracy minus BALD's, or one arm's final accuracy minus another's), read by one or
//     more statistics (Pilz's Average-Step and Step-Average wherever a threshold is read);
//   - each statistic's gap is bootstrapped over runs (every arm resampled with replacement, 2,000
//     resamples from a fixed generator, so the table is reproducible) and its 90% interval decides:
//     above 0 -> holds, below 0 -> fails, else within noise;
//   - the claim is "reproduced" when every statistic holds, "not reproduced" when every one fails,
//     "not decided (SA and AS disagree)" when one holds and another fails, else "not decided
//     (within noise)"; a gap of two never-reached thresholds is "not decidable within this budget";
//     when the claim holds but an arm never reached the threshold within our budget the verdict is
//     "ordering reproduced; magnitude beyond budget" (the paper's number lies beyond what we ran);
//   - an arm with fewer than 3 runs makes the claim "indicative (n = 1)" / "(n = 2)", whatever the
//     plan; an arm with none "not run"; a reduced profile is never compared; a claim whose method is
//     not in this workspace is "not implemented" with the reason.
import { Rng } from "../seeding/rng";
import { averageStep, Curve, mean, quantile, ReachRule, samplesToReach } from "./metrics";

export type ClaimVerdict =
  | "reproduced" | "not reproduced" | "ordering reproduced; magnitude beyond budget"
  | "not decided (within noise)" | "not decided (SA and AS disagree)" | "not decided (statistics disagree)"
  | "not decidable within this budget" | "indicative (n = 1)" | "indicative (n = 2)"
  | "not run" | "not implemented" | "not comparable (reduced profile)";

/** Every verdict, in the order the README counts them. */
export const VERDICTS: readonly ClaimVerdict[] = [
  "reproduced", "ordering reproduced; magnitude beyond budget", "not reproduced", "not decided (within noise)", "not decided (SA and AS disagree)",
  "not decided (statistics disagree)", "not decidable within this budget", "indicative (n = 1)", "indicative (n = 2)", "not run", "not implemented",
  "not comparable (reduced profile)",
];

export interface Claim {
  claim: string;
  /** The paper's number, with its unit. */
  paper: string;
  /** Our statistics (both Pilz statistics where a threshold is read), or why there are none. */
  ours: string;
  /** Each run's value per arm ("110, 120, 130 | 170, > 320"), where a per-run value exists. */
  perRun?: string;
  /** The bootstrap intervals (or test) behind the verdict. */
  evidence?: string;
  /** Runs behind "ours": finished / planned per arm. */
  runs: string;
  verdict: ClaimVerdict;
}

/** A verdict that more runs of an arm would change (none, or fewer than MIN_RUNS). */
export function waitsForRuns(v: ClaimVerdict): boolean {
  return v === "not run" || v === "indicative (n = 1)" || v === "indicative (n = 2)";
}

/** The fewest runs per arm for a decided comparison. */
export const MIN_RUNS = 3;
export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_LEVEL = 0.9;

export type Outcome = "holds" | "fails" | "within noise" | "beyond budget";

export interface GapInterval {
  outcome: Outcome;
  /** The gap of the runs themselves (NaN: neither arm reached within the budget). */
  point: number;
  lo: number;
  hi: number;
}

/**
 * The gap's bootstrap interval: `gap(groups)` on the runs, then on `reps` resamples (each group
 * resampled with replacement, same size) from a generator seeded by `key`. A NaN gap (both
 * statistics beyond the budget) counts as 0 inside the interval.
 */
export function bootstrapGap<T>(groups: readonly (readonly T[])[], gap: (groups: T[][]) => number, key: string, reps = BOOTSTRAP_RESAMPLES, level = BOOTSTRAP_LEVEL): GapInterval {
  if (groups.some((g) => g.length === 0)) throw new Error(`bootstrapGap(${key}): an arm has no runs`);
  const point = gap(groups.map((g) => g.slice()));
  const rng = new Rng(`bootstrap:${key}`);
  const values: number[] = [];
  for (let i = 0; i < reps; i++) {
    const v = gap(groups.map((g) => Array.from({ length: g.length }, () => g[Math.floor(rng.uniform() * g.length)])));
    values.push(Number.isNaN(v) ? 0 : v);
  }
  const lo = quantile(values, (1 - level) / 2);
  const hi = quantile(values, 1 - (1 - level) / 2);
  const outcome: Outcome = Number.isNaN(point) ? "beyond budget" : lo > 0 ? "holds" : hi < 0 ? "fails" : "within noise";
  return { outcome, point, lo, hi };
}

/** Gap of "a needs fewer than b" for budgets where Infinity means "beyond the budget" (NaN: both beyond). */
export function fewerGap(a: number, b: number): number {
  if (!Number.isFinite(a) && !Number.isFinite(b)) return NaN;
  return b - a;
}

/**
 * The verdict of one comparison read by one or more statistics (name -> interval). `runsPerArm`:
 * finished runs of each arm; `beyondBudget`: an arm's statistic was never reached within our budget
 * (the paper's magnitude is then untested).
 */
export function comparisonVerdict(reduced: boolean, runsPerArm: readonly number[], intervals: Readonly<Record<string, GapInterval>>, beyondBudget = false): ClaimVerdict {
  if (reduced) return "not comparable (reduced profile)";
  const fewest = Math.min(...runsPerArm);
  if (fewest === 0) return "not run";
  if (fewest === 1) return "indicative (n = 1)";
  if (fewest === 2) return "indicative (n = 2)";
  const outcomes = Object.values(intervals).map((i) => i.outcome);
  if (outcomes.includes("beyond budget")) return "not decidable within this budget";
  if (outcomes.every((o) => o === "holds")) return beyondBudget ? "ordering reproduced; magnitude beyond budget" : "reproduced";
  if (outcomes.every((o) => o === "fails")) return "not reproduced";
  if (outcomes.includes("holds") && outcomes.includes("fails")) {
    const names = Object.keys(intervals).sort().join();
    return names === "AS,SA" ? "not decided (SA and AS disagree)" : "not decided (statistics disagree)";
  }
  return "not decided (within noise)";
}

/** A count or budget for people: Infinity (never reached) as "> budget". */
export function budgetCell(x: number, budget: number, digits = 0): string {
  if (Number.isNaN(x)) return "n/a";
  return Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(digits)) : `> ${budget}`;
}

/** "AS: 60 [30, 90]" for an interval of a gap (endpoints beyond the budget in words). */
export function intervalCell(name: string, i: GapInterval, digits = 0): string {
  const f = (x: number) => (Number.isFinite(x) ? (digits ? x.toFixed(digits) : String(Math.round(x))) : x > 0 ? "beyond budget" : "-beyond budget");
  if (Number.isNaN(i.point)) return `${name}: both beyond budget`;
  if (i.lo === Infinity) return `${name}: beyond budget in every resample`;
  return `${name} ${f(i.point)} [${f(i.lo)}, ${f(i.hi)}]`;
}

/** Rows of a claim that cannot be decided here, with the reason. */
export function claimWithout(claim: string, paper: string, verdict: "not run" | "not implemented" | "not decidable within this budget", why: string, runs = "none"): Claim {
  return { claim, paper, ours: why, runs, verdict };
}

/** A reduced profile's claims: rows that wait for runs are "not comparable" (runs of a reduced profile never decide). */
export function forProfile(reduced: boolean, claims: Claim[]): Claim[] {
  return reduced ? claims.map((c) => (c.verdict === "not run" ? { ...c, verdict: "not comparable (reduced profile)" } : c)) : claims;
}

/** "12 claims: 5 reproduced, 1 not reproduced, 6 not run" for a paper's heading. */
export function verdictCounts(claims: readonly Pick<Claim, "verdict">[]): string {
  const parts = VERDICTS.map((v) => [v, claims.filter((c) => c.verdict === v).length] as const).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  return `${claims.length} claim${claims.length === 1 ? "" : "s"}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/** The runs of one arm of a comparison: per-run curves (threshold claims) or values (others). */
export interface Arm<T = Curve> {
  label: string;
  runs: T[];
  /** Runs the profile plans for this arm. */
  planned: number;
}

const runsCell = (arms: readonly Arm<unknown>[]) => arms.map((a) => `${a.label} ${a.runs.length}/${a.planned}`).join(", ");

/** Pilz's two statistics of the budget to reach `target`: Average-Step (mean curve) and Step-Average (mean of the runs' budgets; beyond the budget if any run is). */
export function thresholdStatistics(target: number, rule: ReachRule = "at-least"): Record<"AS" | "SA", (curves: readonly Curve[]) => number> {
  return {
    AS: (curves) => averageStep(curves, target, rule),
    SA: (curves) => mean(curves.map((c) => samplesToReach(c, target, rule))),
  };
}

export interface ThresholdClaim {
  claim: string;
  paper: string;
  /** Names the bootstrap generator (any stable text unique to the claim). */
  key: string;
  reduced: boolean;
  /** The arm the claim says needs fewer samples, and the other. */
  fewer: Arm;
  more: Arm;
  target: number;
  rule?: ReachRule;
  /** The last budget of the runs (cells print "> budget" for never reached). */
  budget: number;
  /** The gap from the two statistics (default: more - fewer); positive when the claim holds. */
  gap?: (fewer: number, more: number) => number;
}

/** A claim read at an accuracy threshold, decided by both Pilz statistics (see the rule above). */
export function thresholdClaim(c: ThresholdClaim): Claim {
  const arms = [c.fewer, c.more];
  const runs = runsCell(arms);
  if (c.fewer.runs.length === 0 || c.more.runs.length === 0) return { claim: c.claim, paper: c.paper, ours: "not run", runs, verdict: c.reduced ? "not comparable (reduced profile)" : "not run" };
  const stats = thresholdStatistics(c.target, c.rule);
  const gapOf = c.gap ?? fewerGap;
  const cell = (x: number) => budgetCell(x, c.budget, 1);
  const intervals: Record<string, GapInterval> = {};
  const ours: string[] = [];
  let beyond = false;
  for (const [name, stat] of Object.entries(stats)) {
    intervals[name] = bootstrapGap([c.fewer.runs, c.more.runs], ([a, b]) => gapOf(stat(a), stat(b)), `${c.key}:${name}`);
    const [a, b] = [stat(c.fewer.runs), stat(c.more.runs)];
    if (!Number.isFinite(a) || !Number.isFinite(b)) beyond = true;
    ours.push(`${name} ${cell(a)} vs ${cell(b)}`);
  }
  const perRun = arms.map((a) => a.runs.map((r) => samplesToReach(r, c.target, c.rule)).sort((x, y) => x - y).map((x) => budgetCell(x, c.budget)).join(", ")).join(" | ");
  return {
    claim: c.claim, paper: c.paper, ours: ours.join("; "), perRun, runs,
    evidence: Object.entries(intervals).map(([n, i]) => intervalCell(n, i)).join("; "),
    verdict: comparisonVerdict(c.reduced, arms.map((a) => a.runs.length), intervals, beyond),
  };
}

export interface MeanClaim<T> {
  claim: string;
  paper: string;
  key: string;
  reduced: boolean;
  /** The claim: mean of `valueOf` over a's runs is above b's (after `sign`: -1 for "below"). */
  a: Arm<T>;
  b: Arm<T>;
  valueOf: (run: T) => number;
  /** How a value prints (e.g. as a percentage). */
  format: (x: number) => string;
  /** The statistic's name in the evidence column. */
  statistic: string;
  sign?: 1 | -1;
}

/** A claim on the means of a per-run value (final accuracy, area under the curve), bootstrapped over runs. */
export function meanClaim<T>(c: MeanClaim<T>): Claim {
  const arms = [c.a, c.b];
  const runs = runsCell(arms);
  if (c.a.runs.length === 0 || c.b.runs.length === 0) return { claim: c.claim, paper: c.paper, ours: "not run", runs, verdict: c.reduced ? "not comparable (reduced profile)" : "not run" };
  const sign = c.sign ?? 1;
  const m = (xs: readonly T[]) => mean(xs.map(c.valueOf));
  const interval = bootstrapGap([c.a.runs, c.b.runs], ([a, b]) => sign * (m(a) - m(b)), c.key);
  const scaled = (x: number) => c.format(x).replace(/%$/, "");
  return {
    claim: c.claim, paper: c.paper, ours: `${c.format(m(c.a.runs))} vs ${c.format(m(c.b.runs))}`,
    perRun: arms.map((a) => a.runs.map((r) => c.format(c.valueOf(r))).join(", ")).join(" | "), runs,
    evidence: `${c.statistic} gap ${scaled(interval.point)} [${scaled(interval.lo)}, ${scaled(interval.hi)}]`,
    verdict: comparisonVerdict(c.reduced, arms.map((a) => a.runs.length), { [c.statistic]: interval }),
  };
}
