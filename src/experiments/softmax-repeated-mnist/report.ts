// Paper 002 report: Table 1 quantiles beside ours in training-set size, the accuracy curves (Figure 1)
// with the authors' runs dashed, and the SoftmaxBALD temperature ablation (Figure 2).
import { BandSeries, curvesWithBands, PALETTE, PlotlyFigure } from "../../figures/plotly";
import { RunResult } from "../../loop/active-learning";
import { BUDGET_UNIT_LABEL, BudgetUnit, Curve, mean, quantile, samplesToReach, std } from "../../report/metrics";
import { band, curveOf, groupRuns, profileSubtitle, testAccuracyOf } from "../../report/runs";
import { formatFixed, formatNumber, Row } from "../../report/tables";
import { formatPlainNumber } from "../../report/protocol";
import { againstPublishedSpread, describePosition, spreadSummaryCells } from "../../report/spread";
import { ablationStrategy, SoftmaxExperimentConfig } from "./profiles";
import { loadSoftmaxPublished, NOT_IMPLEMENTED_ROWS, PAPER_ROW_LABELS, PAPER_TABLE1, paperRowName, publishedCurves, PublishedSoftmaxRun } from "./published";

/** A quantile as in the paper's table: up to two decimals, no trailing zeros, ∞ when never reached. */
export function formatQuantile(x: number): string {
  if (!Number.isFinite(x)) return "∞";
  return String(Math.round(x * 100) / 100);
}

/** The unit of Table 1 and of the curves: the training-set size, initial set included (the paper's). */
export const SOFTMAX_UNIT: BudgetUnit = "training-set";

/** "q25/q50/q75" of the training-set size each curve needs to reach `target` (linear quantiles, as pandas). */
export function quantileCellOfCurves(curves: readonly Curve[], target: number): string {
  const needed = curves.map((c) => samplesToReach(c, target));
  return [0.25, 0.5, 0.75].map((q) => formatQuantile(quantile(needed, q))).join("/");
}

/** "q25/q50/q75" of the training-set size each run needs to reach `target`. */
export function quantileCell(results: readonly RunResult[], target: number): string {
  return quantileCellOfCurves(results.map((r) => curveOf(r, SOFTMAX_UNIT)), target);
}

/** Mean ± std of the authors' curves (dashed in the figures), up to the shortest run. */
function publishedSeries(name: string, curves: readonly Curve[], color: string): BandSeries {
  const len = Math.min(...curves.map((c) => c.budget.length));
  const x = curves[0].budget.slice(0, len);
  return { name: `${name} (authors' runs, n=${curves.length})`, x, mean: x.map((_, i) => mean(curves.map((c) => c.accuracy[i]))), spread: x.map((_, i) => std(curves.map((c) => c.accuracy[i]))), dash: "dash", color };
}

/** One name and one colour per Table 1 row, in our curves, the authors' dashed curves and the tables. */
const ROW_ORDER = ["bald", "epig", "batchbald", "batch-epig", "softmax-bald", "softmax-epig", "random", "power-bald", "softrank-bald"];
const rowColor = (row: string) => PALETTE[(ROW_ORDER.indexOf(row) + PALETTE.length) % PALETTE.length];
const rowLabel = (row: string) => PAPER_ROW_LABELS[row] ?? (row === "random" ? "Random" : row);

const armKey = (strategy: string, b: number, T: number) => `${strategy}|${b}|${T}`;

/**
 * Table 1: our quantiles at our targets beside the paper's at 90% / 95%, in training-set size, one
 * row per acquisition size and function this profile runs (so its numbers are never off-screen);
 * the paper's other rows at that size are named in one line. Cells the paper has no number for say so.
 */
export function table1(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Row[] {
  const groups = groupRuns(results, (r) => armKey(r.config.strategy, r.config.acquireSize, r.config.T));
  const sizes = [...new Set(cfg.arms.flatMap((a) => a.sizes))].sort((a, b) => a - b);
  const rows: Row[] = [];
  for (const b of sizes) {
    const arms = cfg.arms.filter((a) => a.sizes.includes(b));
    for (const arm of arms) {
      const rowName = paperRowName(arm);
      const runs = groups.get(armKey(arm.strategy, b, arm.T ?? cfg.run.T));
      const row: Row = { b: String(b), "acquisition function": rowName === arm.strategy ? rowLabel(rowName) : `${rowLabel(rowName)} (${arm.strategy})`, runs: String(runs?.length ?? 0) };
      for (const target of cfg.accuracyTargets) row[`ours: to ${formatPlainNumber(target * 100)}%`] = runs ? quantileCell(runs, target) : NOT_IMPLEMENTED_ROWS[rowName] ?? "not run yet";
      const paper = PAPER_TABLE1[rowName]?.[b];
      row["paper: to 90%"] = paper ? paper[0] : "no paper number";
      row["paper: to 95%"] = paper ? paper[1] : "no paper number";
      rows.push(row);
    }
    const others = Object.keys(PAPER_TABLE1).filter((r) => PAPER_TABLE1[r][b] && !arms.some((a) => paperRowName(a) === r));
    if (others.length) rows.push({ b: String(b), "acquisition function": `not in this profile: ${others.map(rowLabel).join(", ")}`, runs: "" });
  }
  return rows;
}

const pct = (x: number) => formatFixed(x * 100);

/** Each arm and size with runs of ours and of the authors' (same Table 1 row and size), compared point by point. */
function armsAgainstPublished(cfg: SoftmaxExperimentConfig, results: readonly RunResult[], published: readonly PublishedSoftmaxRun[]) {
  const groups = groupRuns(results, (r) => armKey(r.config.strategy, r.config.acquireSize, r.config.T));
  return cfg.arms.flatMap((arm) => arm.sizes.flatMap((b) => {
    const runs = groups.get(armKey(arm.strategy, b, arm.T ?? cfg.run.T));
    const theirs = publishedCurves(published, paperRowName(arm), b);
    if (!runs || theirs.length === 0) return [];
    return [{ b, label: rowLabel(paperRowName(arm)), runs: runs.length, theirs: theirs.length, points: againstPublishedSpread(runs.map((r) => curveOf(r, SOFTMAX_UNIT)), theirs) }];
  }));
}

/**
 * Our runs against the authors' runs of the same Table 1 row and size, at every training-set size both
 * record (`sizes`: only these acquisition sizes): our mean and runs beside their min / mean / max, and
 * where our mean lies (the first check when a curve of ours differs from theirs).
 */
export function spreadTable(cfg: SoftmaxExperimentConfig, results: readonly RunResult[], published: readonly PublishedSoftmaxRun[] = loadSoftmaxPublished(), sizes?: readonly number[]): Row[] {
  return armsAgainstPublished(cfg, results, published).filter((a) => !sizes || sizes.includes(a.b)).flatMap((a) => a.points.map((p) => ({
    b: String(a.b), "acquisition function": a.label, "training-set size": String(p.budget),
    "ours: mean (runs)": `${pct(p.oursMean)}% (${p.ours.map(pct).join(", ")})`,
    "authors: min / mean / max": `${pct(p.theirsMin)} / ${pct(p.theirsMean)} / ${pct(p.theirsMax)}% (n = ${p.theirsN})`,
    "our mean": describePosition(p), "our runs outside their range": `${p.oursOutside} of ${p.ours.length}`,
  })));
}

/** The same comparison, one row per arm and size: where along the curve our mean leaves their range. */
export function spreadSummaryTable(cfg: SoftmaxExperimentConfig, results: readonly RunResult[], published: readonly PublishedSoftmaxRun[] = loadSoftmaxPublished()): Row[] {
  return armsAgainstPublished(cfg, results, published).map((a) => ({ b: String(a.b), "acquisition function": a.label, "runs: ours / authors'": `${a.runs} / ${a.theirs}`, ...spreadSummaryCells(a.points) }));
}

/**
 * Figure 1 per acquisition size; for the authors-code profile (their configuration) the authors' mean
 * curves of the same rows are drawn dashed beside ours.
 */
export function softmaxFigures(cfg: SoftmaxExperimentConfig, results: readonly RunResult[], published: readonly PublishedSoftmaxRun[] | null = cfg.follows === "authors-code" ? loadSoftmaxPublished() : null): Record<string, PlotlyFigure> {
  const label = profileSubtitle(cfg.profile, cfg.reduced);
  const groups = groupRuns(results, (r) => armKey(r.config.strategy, r.config.acquireSize, r.config.T));
  const byStrategy = groupRuns(results, (r) => `${r.config.strategy}|${r.config.acquireSize}`);
  const figs: Record<string, PlotlyFigure> = {};
  const sizes = [...new Set(cfg.arms.flatMap((a) => a.sizes))].sort((a, b) => a - b);
  const xLabel = BUDGET_UNIT_LABEL[SOFTMAX_UNIT];
  for (const b of sizes) {
    const arms = cfg.arms.filter((a) => (a.sizes.includes(b) || a.strategy === "random") && groups.has(armKey(a.strategy, a.sizes.includes(b) ? b : a.sizes[0], a.T ?? cfg.run.T)));
    const series: BandSeries[] = arms.map((a) => ({
      ...band(`${rowLabel(paperRowName(a))} (ours${a.strategy !== paperRowName(a) ? `: ${a.strategy}` : ""})`, groups.get(armKey(a.strategy, a.sizes.includes(b) ? b : a.sizes[0], a.T ?? cfg.run.T))!, testAccuracyOf, SOFTMAX_UNIT),
      color: rowColor(paperRowName(a)),
    }));
    if (published) {
      for (const a of arms) {
        const curves = publishedCurves(published, paperRowName(a), b);
        if (curves.length) series.push(publishedSeries(rowLabel(paperRowName(a)), curves, rowColor(paperRowName(a))));
      }
    }
    if (series.length) {
      const supports = arms.some((a) => paperRowName(a) === "softmax-bald") && arms.some((a) => a.strategy === "bald") ? `; supports the claims SoftmaxBALD vs BALD, b = ${b}` : "";
      figs[`softmax-repeated-mnist-accuracy-b${b}`] = curvesWithBands(
        `RepeatedMNIST, acquisition size ${b}: test accuracy (mean ± std over seeds)`, xLabel, "test accuracy", series,
        { subtitle: `${label}${published ? "; dashed: the authors' runs" : ""}${supports}` });
    }
  }
  const ab = cfg.ablation;
  const abSeries = ab.betas.filter((beta) => byStrategy.has(`${ablationStrategy(beta)}|${ab.acquireSize}`))
    .map((beta) => band(`SoftmaxBALD beta=${beta} (T=${formatNumber(1 / beta, 2)})`, byStrategy.get(`${ablationStrategy(beta)}|${ab.acquireSize}`)!, testAccuracyOf, SOFTMAX_UNIT));
  const bald = byStrategy.get(`bald|${ab.acquireSize}`);
  if (bald && abSeries.length) abSeries.push(band("BALD top-k (beta → ∞)", bald, testAccuracyOf, SOFTMAX_UNIT));
  const random = byStrategy.get(`random|${ab.acquireSize}`);
  if (random && abSeries.length) abSeries.push(band("random (beta = 0)", random, testAccuracyOf, SOFTMAX_UNIT));
  if (abSeries.length) {
    figs["softmax-repeated-mnist-temperature-ablation"] = curvesWithBands(
      `SoftmaxBALD temperature ablation, acquisition size ${ab.acquireSize} (${ab.seeds.length} seeds; the paper: 30 trials)`, xLabel, "test accuracy", abSeries, { subtitle: label });
  }
  return figs;
}
