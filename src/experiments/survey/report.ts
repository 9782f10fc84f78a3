// Survey report, as the survey reports: AUBC, F-acc, win-tie-loss with a 0.5% margin, cost per query step.
import { BandSeries, curvesWithBands, PALETTE, PlotlyFigure } from "../../figures/plotly";
import { RunResult } from "../../loop/active-learning";
import { aubcToolkit, mean, std } from "../../report/metrics";
import { band, profileLabel, profileSubtitle, testAccuracyOf } from "../../report/runs";
import { formatFixed, Row } from "../../report/tables";
import { winTieLoss, winTieLossTotals } from "../../report/win-tie-loss";
import { quotaOf, SurveyArm, SurveyExperimentConfig } from "./profiles";

/** Finished runs of one arm on one dataset. */
export function armRuns(cfg: SurveyExperimentConfig, results: readonly RunResult[], arm: SurveyArm, dataset: string): RunResult[] {
  const part = cfg.parts.find((p) => p.dataset === dataset);
  if (!part) return [];
  const poolSubset = arm.poolSubset ?? part.run.poolSubset;
  return results.filter((r) => r.config.dataset === dataset && r.config.strategy === arm.strategy && r.config.poolSubset === poolSubset && cfg.seeds.includes(r.config.seed));
}

/** AUBC of a run as DeepAL+ computes it (its part's quota and query size; see aubcToolkit). */
export function curveAubc(cfg: SurveyExperimentConfig, r: RunResult): number {
  const part = cfg.parts.find((p) => p.dataset === r.config.dataset);
  if (!part) throw new Error(`survey: run ${r.key} is on '${r.config.dataset}', which is not a part of profile '${cfg.profile}'`);
  return aubcToolkit(quotaOf(part), r.config.acquireSize, r.records.map((x) => x.testAccuracy));
}

const finalAcc = (r: RunResult) => r.records[r.records.length - 1].testAccuracy;

const pm = (xs: number[], digits = 3) => (xs.length === 0 ? "—" : xs.length === 1 ? formatFixed(xs[0], digits) : `${formatFixed(mean(xs), digits)} ± ${formatFixed(std(xs), digits)}`);

/** Mean seconds per query step (steps with an acquisition) of some runs, by phase. */
export function costPerStep(runs: readonly RunResult[]): { train: number; score: number; select: number; total: number } {
  const steps = runs.flatMap((r) => r.records.filter((s) => s.acquired.length > 0));
  const m = (f: (s: (typeof steps)[number]) => number) => (steps.length ? mean(steps.map(f)) : NaN);
  return {
    train: m((s) => s.seconds.train), score: m((s) => s.seconds.score ?? NaN), select: m((s) => s.seconds.select ?? NaN),
    total: m((s) => s.seconds.train + s.seconds.evaluate + s.seconds.acquire),
  };
}

/** AUBC and F-acc (mean ± std over seeds) and the cost per query step, one row per arm and dataset. */
export function surveyTable(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Row[] {
  return cfg.parts.flatMap((part) => cfg.arms.map((arm) => {
    const runs = armRuns(cfg, results, arm, part.dataset);
    const cost = costPerStep(runs);
    const pseudo = runs.flatMap((r) => r.records.flatMap((s) => (s.pseudoLabelled ? [s.pseudoLabelled] : [])));
    return {
      dataset: part.dataset, strategy: arm.label, runs: `${runs.length}/${cfg.seeds.length}`,
      AUBC: pm(runs.map((r) => curveAubc(cfg, r))), "F-acc": pm(runs.map(finalAcc)),
      "train s/step": formatFixed(cost.train, 1), "score s/step": formatFixed(cost.score, 2), "select s/step": formatFixed(cost.select, 2), "total s/step": formatFixed(cost.total, 1),
      // CEAL only: pool points pseudo-labelled per query, and how many of those labels were right.
      "pseudo-labels/step (correct)": pseudo.length ? `${formatFixed(mean(pseudo.map((p) => p.indices.length)), 1)} (${formatFixed(100 * mean(pseudo.filter((p) => p.indices.length).map((p) => p.accuracy)), 1)}%)` : "—",
    };
  }));
}

/** AUBC of every arm per comparison unit (dataset x seed). */
export function aubcByArm(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const arm of cfg.arms) {
    const m = new Map<string, number>();
    for (const part of cfg.parts) for (const r of armRuns(cfg, results, arm, part.dataset)) m.set(`${part.dataset}:${r.config.seed}`, curveAubc(cfg, r));
    out.set(arm.label, m);
  }
  return out;
}

/** The survey's win-tie-loss table on AUBC: one row per arm, "w/t/l" against each other arm, totals and rank. */
export function winTieLossTable(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Row[] {
  const table = winTieLoss(aubcByArm(cfg, results), cfg.winMargin);
  const totals = winTieLossTotals(table);
  return totals.map(({ method, total, rank }) => {
    const row: Row = { rank, strategy: method, "win/tie/loss": `${total.win}/${total.tie}/${total.loss}` };
    for (const other of cfg.arms) {
      const c = table.get(method)?.get(other.label);
      row[other.label] = c ? `${c.win}/${c.tie}/${c.loss}` : "—";
    }
    return row;
  });
}

/** Accuracy against the training-set size per dataset, AUBC (mean ± std) in the legend, as the survey's Figure 2. */
export function surveyFigures(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Record<string, PlotlyFigure> {
  const figures: Record<string, PlotlyFigure> = {};
  for (const part of cfg.parts) {
    const series: BandSeries[] = [];
    cfg.arms.forEach((arm, i) => {
      const runs = armRuns(cfg, results, arm, part.dataset);
      if (runs.length === 0) return;
      const b = band(arm.label, runs, testAccuracyOf, "training-set");
      series.push({ ...b, name: `${arm.label} (${pm(runs.map((r) => curveAubc(cfg, r)))})`, color: PALETTE[i % PALETTE.length], dash: i >= PALETTE.length ? "dash" : "solid" });
    });
    figures[`survey_${part.dataset}_${cfg.profile}`] = curvesWithBands(`Accuracy vs budget, ${part.dataset}${profileLabel(cfg.profile, cfg.reduced)}`,
      "training-set size", "test accuracy", series, { subtitle: `${profileSubtitle(cfg.profile, cfg.reduced)}; legend: AUBC mean ± std over seeds` });
  }
  return figures;
}
