// Gal / Pilz report: Step-Average / Average-Step tables in the papers' units, curves beside Pilz's
// published runs, final errors beside Gal's.
import { BandSeries, curvesWithBands, groupedBars, PALETTE, PlotlyFigure } from "../../figures/plotly";
import { RunResult } from "../../loop/active-learning";
import { averageStep, BUDGET_UNIT_LABEL, BudgetUnit, mean, std, stepAverage } from "../../report/metrics";
import { band, curveOf, groupRuns, profileLabel, profileSubtitle } from "../../report/runs";
import { againstPublishedSpread, spreadSummaryCells } from "../../report/spread";
import { formatFixed, formatNumber, Row } from "../../report/tables";
import { GAL_LABELS, GalExperimentConfig } from "./profiles";
import { GAL_FINAL_ERROR, loadPilzPublished, PAPER_SAMPLES, PAPER_STEP_AVERAGE, PILZ_FUNCTION, pilzCurves, PilzPublished } from "./published";

export function byStrategy(results: readonly RunResult[]): Map<string, RunResult[]> {
  return groupRuns(results, (r) => r.config.strategy);
}

export const TS: BudgetUnit = "training-set";

/** Every run read up to the profile's budget (`run.steps`): runs that go further (`longRuns`) share the others' grid. */
export function atProfileBudget(cfg: GalExperimentConfig, results: readonly RunResult[]): RunResult[] {
  return results.map((r) => (r.records.length > cfg.run.steps + 1 ? { ...r, records: r.records.slice(0, cfg.run.steps + 1) } : r));
}

/** The profile as its long runs see it: their strategies and seeds, their steps (null: no long runs). */
export function longRunsView(cfg: GalExperimentConfig): GalExperimentConfig | null {
  const long = cfg.longRuns;
  if (!long) return null;
  return { ...cfg, strategies: cfg.strategies.filter((s) => long.strategies.includes(s)), seeds: long.seeds, seedsByStrategy: undefined, longRuns: undefined, run: { ...cfg.run, steps: long.steps } };
}

/** The finished long runs among `results` (shorter stand-ins excluded). */
export function longRunsOf(cfg: GalExperimentConfig, results: readonly RunResult[]): RunResult[] {
  return cfg.longRuns ? results.filter((r) => r.config.steps === cfg.longRuns!.steps && cfg.longRuns!.strategies.includes(r.config.strategy)) : [];
}

/**
 * Samples to reach an error, in the units of the columns beside them: ours and Pilz's in
 * training-set size (initial 20 included), ours and Gal's in acquired images.
 */
export function samplesTable(cfg: GalExperimentConfig, results: readonly RunResult[], errorThreshold: number): Row[] {
  const groups = byStrategy(atProfileBudget(cfg, results));
  const target = 1 - errorThreshold;
  const rule = cfg.reachRule;
  const rand = groups.get("random");
  const randSA = rand ? stepAverage(rand.map((r) => curveOf(r, TS)), target, rule).mean : NaN;
  const randAS = rand ? averageStep(rand.map((r) => curveOf(r, TS)), target, rule) : NaN;
  const paper = PAPER_SAMPLES[String(errorThreshold)];
  const initial = 10 * cfg.run.initialPerClass;
  const relative = (x: number, r: number) => (Number.isFinite(r) && Number.isFinite(x) ? formatFixed(x / r, 2) : "–");
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const curves = groups.get(s)!.map((r) => curveOf(r, TS));
    const sa = stepAverage(curves, target, rule);
    const as = averageStep(curves, target, rule);
    const row: Row = {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "Runs (ours)": `[${sa.runs.map((r) => formatNumber(r)).join(", ")}]`,
      "Step-Average (ours)": `${formatFixed(sa.mean)} ± ${formatFixed(sa.std)}`,
    };
    if (paper && cfg.paperOf === "pilz") row["Step-Average (Pilz)"] = PAPER_STEP_AVERAGE[String(errorThreshold)][s] ?? "no paper number";
    row["Average-Step (ours)"] = formatNumber(as);
    if (paper && cfg.paperOf === "pilz") row["Average-Step (Pilz)"] = paper[s]?.pilz ?? "no paper number";
    row["Relative AS (ours)"] = relative(as, randAS);
    if (paper && cfg.paperOf === "pilz") row["Relative AS (Pilz)"] = paper[s] ? formatFixed(paper[s].pilz / paper.random.pilz, 2) : "no paper number";
    row["Relative SA (ours)"] = relative(sa.mean, randSA);
    row["Average-Step (ours, acquired)"] = formatNumber(as - initial);
    if (paper) row["Gal et al. (acquired)"] = paper[s]?.gal ?? "no paper number";
    return row;
  });
}

export function samplesCaption(cfg: GalExperimentConfig, errorThreshold: number): string {
  const paperNote = PAPER_SAMPLES[String(errorThreshold)] ? "" : " (no paper numbers at this threshold)";
  return `Labelled training-set size (initial ${10 * cfg.run.initialPerClass} included, as Pilz's Tables 2-3) to reach ${errorThreshold * 100}% test error ` +
    `(accuracy ${cfg.reachRule === "above" ? ">" : "≥"} ${formatNumber((1 - errorThreshold) * 100, 0)}%); the last columns in acquired images, Gal's Table 1 unit` +
    `${profileLabel(cfg.profile, cfg.reduced)}${paperNote}. ∞: never reached; –: Random never reached it, so no ratio.`;
}

/**
 * Our runs against Pilz's 3 published runs of the same function, one row per function, over every
 * training-set size both record: where along the curve our mean leaves his min..max (his accuracies are
 * on a 3,000-image test subset redrawn each step, so his spread is wider than seed noise alone).
 */
export function pilzSpreadTable(cfg: GalExperimentConfig, results: readonly RunResult[], pub: PilzPublished = loadPilzPublished()): Row[] {
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => PILZ_FUNCTION[s] && groups.has(s)).map((s) => ({
    function: GAL_LABELS[s] ?? s, "runs: ours / Pilz's": `${groups.get(s)!.length} / ${pub.test_acc[PILZ_FUNCTION[s]].length}`,
    ...spreadSummaryCells(againstPublishedSpread(groups.get(s)!.map((r) => curveOf(r, TS)), pilzCurves(pub, s))),
  }));
}

const strategyColor = (cfg: GalExperimentConfig, s: string) => PALETTE[cfg.strategies.indexOf(s) % PALETTE.length];

function bandSeries(cfg: GalExperimentConfig, results: readonly RunResult[], metric: (r: RunResult) => number[]): BandSeries[] {
  const groups = byStrategy(results);
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => ({ ...band(`${GAL_LABELS[s] ?? s} (ours)`, groups.get(s)!, metric, TS), color: strategyColor(cfg, s) }));
}

/** Pilz's published mean ± std over his 3 runs, per function, up to this profile's budget (dashed in the figures). */
function pilzSeries(cfg: GalExperimentConfig, pub: PilzPublished, metric: "test_acc" | "test_mutual_information"): BandSeries[] {
  const lastSize = 10 * cfg.run.initialPerClass + cfg.run.steps * cfg.run.acquireSize;
  return cfg.strategies.filter((s) => PILZ_FUNCTION[s]).map((s) => {
    const runs = pub[metric][PILZ_FUNCTION[s]];
    const x = pub.train_size.slice(0, runs[0].length).filter((n) => n <= lastSize);
    return { name: `${GAL_LABELS[s]} (Pilz, n=${runs.length})`, x, mean: x.map((_, i) => mean(runs.map((r) => r[i]))), spread: x.map((_, i) => std(runs.map((r) => r[i]))), dash: "dash", color: strategyColor(cfg, s) };
  });
}

export function galFigures(cfg: GalExperimentConfig, all: readonly RunResult[], pub: PilzPublished | null = cfg.paperOf === "pilz" ? loadPilzPublished() : null): Record<string, PlotlyFigure> {
  const results = atProfileBudget(cfg, all);
  const sub = profileSubtitle(cfg.profile, cfg.reduced);
  const xTitle = BUDGET_UNIT_LABEL[TS];
  const accOurs = bandSeries(cfg, results, (r) => r.records.map((s) => s.testAccuracy));
  const miOurs = bandSeries(cfg, results, (r) => r.records.map((s) => s.testMeanMI));
  const acc = curvesWithBands("Test accuracy (mean ± std over seeds)", xTitle, "test accuracy",
    pub ? [...accOurs, ...pilzSeries(cfg, pub, "test_acc")] : accOurs, { subtitle: `${sub}${pub ? "; dashed: Pilz's published runs" : ""}; supports the 10% / 5% error claims` });
  const mi = curvesWithBands("Mean test mutual information", xTitle, "mean BALD on test points (nats)",
    pub ? [...miOurs, ...pilzSeries(cfg, pub, "test_mutual_information")] : miOurs, { subtitle: `${sub}${pub ? "; dashed: Pilz's published runs" : ""}` });
  const groups = byStrategy(results);
  const rand = groups.get("random");
  const strategies = cfg.strategies.filter((s) => groups.has(s));
  const curvesOf = (s: string) => groups.get(s)!.map((r) => curveOf(r, TS));
  const relative = cfg.errorThresholds.map((e) => {
    const target = 1 - e;
    const randAS = rand ? averageStep(rand.map((r) => curveOf(r, TS)), target, cfg.reachRule) : NaN;
    return { name: `Average-Step, ${e * 100}% error`, categories: strategies.map((s) => GAL_LABELS[s] ?? s),
      values: strategies.map((s) => averageStep(curvesOf(s), target, cfg.reachRule) / randAS) };
  });
  const rel = groupedBars("Training-set size to reach an error, relative to Random", "relative to Random (Average-Step)", relative,
    { subtitle: `${sub}; a missing bar: the function or Random never reached that error` });
  return { "gal-mnist-accuracy": acc, "gal-mnist-mutual-information": mi, "gal-mnist-relative-to-random": rel };
}

/** Mean ± std of the final test error per strategy, beside Gal's errors after 1,000 acquired images. */
export function finalAccuracyTable(cfg: GalExperimentConfig, results: readonly RunResult[]): Row[] {
  const groups = byStrategy(atProfileBudget(cfg, results));
  return cfg.strategies.filter((s) => groups.has(s)).map((s) => {
    const finals = groups.get(s)!.map((r) => r.records[r.records.length - 1]);
    const errs = finals.map((f) => 100 * (1 - f.testAccuracy));
    return {
      "Acq. func.": GAL_LABELS[s] ?? s,
      "labelled at the end": finals[0].labelled,
      "final test error % (ours)": `${formatFixed(mean(errs), 2)} ± ${formatFixed(std(errs), 2)}`,
      "Gal et al. error % after 1,000 acquired": GAL_FINAL_ERROR[s] !== undefined ? formatNumber(GAL_FINAL_ERROR[s], 2) : "no paper number",
    };
  });
}
