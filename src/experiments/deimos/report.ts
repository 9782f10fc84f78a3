// DEIMOS report: the Appendix A histogram, the 1-D regression figure (Figure 1), Table 2 beside ours
// and the classification curves (Figure 3).
import { BandSeries, baseLayout, curvesWithBands, PALETTE, PlotlyFigure } from "../../figures/plotly";
import { RunResult } from "../../loop/active-learning";
import { averageStep } from "../../report/metrics";
import { band, curveOf, groupRuns, profileSubtitle, testAccuracyOf } from "../../report/runs";
import { formatNumber, Row } from "../../report/tables";
import { ClassificationArm, datasetName, DeimosExperimentConfig, STRATEGY_LABELS } from "./profiles";
import { PAPER_TABLE2 } from "./published";

export function appendixAFigure(cfg: DeimosExperimentConfig, ratios: Record<number, number[]>): PlotlyFigure {
  const data = Object.entries(ratios).map(([k, r]) => ({ type: "histogram", name: `batch size ${k} (min ${Math.min(...r).toFixed(4)})`, x: r, opacity: 0.6, nbinsx: 40 }));
  const layout = { ...baseLayout("Appendix A: greedy / optimal trace reduction", "greedy / optimal", "count",
    { subtitle: `${cfg.appendixA.trials} random V per batch size, ${cfg.appendixA.points} points, J=${cfg.appendixA.J}; ${profileSubtitle(cfg.profile, cfg.reduced)}` }), barmode: "overlay" };
  return { data, layout };
}

export interface Regression1dResult {
  grid: number[];
  truth: number[];
  trainX: number[];
  trainY: number[];
  before: { mean: number[]; std: number[] };
  ei: number[];
  /** Grid indices of the batch in construction order, with the gain of each pick. */
  batch: number[];
  gains: number[];
  after: { mean: number[]; std: number[]; trainX: number[]; trainY: number[] };
  tauInv: number;
  testMse: { before: number; after: number };
  /** Grid MSE (against the noiseless function) after labelling each method's batch and refitting. */
  comparison: { method: string; batch: number[]; mse: number }[];
}

export function regressionFigures(cfg: DeimosExperimentConfig, r: Regression1dResult): Record<string, PlotlyFigure> {
  const label = profileSubtitle(cfg.profile, cfg.reduced);
  const bandTraces = (name: string, m: { mean: number[]; std: number[] }, color: string) => [
    { type: "scatter", mode: "lines", x: [...r.grid, ...r.grid.slice().reverse()], y: [...m.mean.map((v, i) => v + m.std[i]), ...m.mean.map((v, i) => v - m.std[i]).reverse()],
      fill: "toself", fillcolor: "rgba(100,150,230,0.25)", line: { width: 0 }, name: `${name} ± 1 std`, yaxis: "y" },
    { type: "scatter", mode: "lines", x: r.grid, y: m.mean, line: { color }, name: `${name} mean`, yaxis: "y" },
  ];
  const truth = { type: "scatter", mode: "lines", x: r.grid, y: r.truth, line: { color: "black", dash: "dot" }, name: "ground truth" };
  const shades = r.batch.map((_, i) => `rgba(200,30,30,${1 - (0.7 * i) / Math.max(1, r.batch.length - 1)})`);
  const picks = {
    type: "scatter", mode: "markers+text", x: r.batch.map((i) => r.grid[i]), y: r.batch.map((i) => r.before.mean[i]),
    text: r.batch.map((_, i) => String(i + 1)), textposition: "top center", marker: { size: 11, color: shades, symbol: "diamond" },
    name: "batch of 5 (construction order)", yaxis: "y",
  };
  const before = {
    data: [
      ...bandTraces("MC dropout", r.before, "rgb(30,80,200)"), truth,
      { type: "scatter", mode: "markers", x: r.trainX, y: r.trainY, marker: { color: "black", size: 5 }, name: "labelled" }, picks,
      { type: "scatter", mode: "lines", x: r.grid, y: r.ei, line: { color: "rgb(220,120,0)" }, name: "expected improvement", yaxis: "y2" },
    ],
    layout: { ...baseLayout(`DEIMOS on 1-D regression: predictions, EI and a batch of ${r.batch.length}`, "x", "y", { subtitle: label }),
      yaxis2: { title: { text: "EI (trace reduction)" }, overlaying: "y", side: "right", showgrid: false },
      legend: { orientation: "h", x: 0, y: -0.18 }, height: 560, margin: { l: 70, r: 70, t: 80, b: 140 } },
  };
  const after = {
    data: [
      ...bandTraces("refit", r.after, "rgb(30,80,200)"), truth,
      { type: "scatter", mode: "markers", x: r.after.trainX, y: r.after.trainY, marker: { color: "black", size: 5 }, name: "labelled (with the batch)" },
    ],
    layout: baseLayout("After labelling the batch and retraining from scratch", "x", "y", { subtitle: label }),
  };
  return { "deimos-regression-1d-before": before, "deimos-regression-1d-after": after };
}

export function armOf(cfg: DeimosExperimentConfig, r: RunResult): ClassificationArm | undefined {
  return cfg.arms.find((a) => datasetName(a.classes) === r.config.dataset && a.acquireSize === r.config.acquireSize && a.steps === r.config.steps);
}

/** Acquisitions needed by the mean curve (Average-Step) per strategy, per arm, beside Table 2. */
export function table2(cfg: DeimosExperimentConfig, results: readonly RunResult[]): Row[] {
  const rows: Row[] = [];
  for (const arm of cfg.arms) {
    const groups = groupRuns(results.filter((r) => armOf(cfg, r) === arm), (r) => r.config.strategy);
    for (const target of cfg.accuracyTargets) {
      const row: Row = { arm: arm.name, "test accuracy": target };
      for (const s of arm.strategies) {
        const runs = groups.get(s);
        row[`${s} (ours)`] = runs ? formatNumber(averageStep(runs.map((r) => curveOf(r)), target)) : "not run";
        const paper = arm.name === "7v9-single" ? PAPER_TABLE2[String(target)]?.[s.replace(/\(.*\)$/, "")] : undefined;
        row[`${s} (paper)`] = paper ?? "no paper number";
      }
      rows.push(row);
    }
  }
  return rows;
}

export function classificationFigures(cfg: DeimosExperimentConfig, results: readonly RunResult[]): Record<string, PlotlyFigure> {
  const label = profileSubtitle(cfg.profile, cfg.reduced);
  const figs: Record<string, PlotlyFigure> = {};
  for (const arm of cfg.arms) {
    const groups = groupRuns(results.filter((r) => armOf(cfg, r) === arm), (r) => r.config.strategy);
    const present = arm.strategies.filter((s) => groups.has(s));
    if (!present.length) continue;
    const title = `MNIST ${arm.classes.length === 2 ? arm.classes.join(" vs ") : "0-9"}, batch ${arm.acquireSize}`;
    // One name and colour per strategy in every DEIMOS figure and table.
    const named = (s: string, b: BandSeries): BandSeries => ({ ...b, name: STRATEGY_LABELS[s] ?? s, color: PALETTE[Math.max(0, Object.keys(STRATEGY_LABELS).indexOf(s.replace(/\(.*$/, ""))) % PALETTE.length] });
    figs[`deimos-${arm.name}-accuracy`] = curvesWithBands(`${title}: test accuracy (mean ± std)`, "acquired samples", "test accuracy",
      present.map((s) => named(s, band(s, groups.get(s)!, testAccuracyOf))), { subtitle: `${label}${arm.name === "7v9-single" ? "; supports Table 2's claims" : ""}` });
    if (arm.acquireSize > 1) {
      const diversity = (r: RunResult) => r.records.slice(0, -1).map((s) => s.batchDiversity ?? NaN);
      figs[`deimos-${arm.name}-batch-diversity`] = curvesWithBands(
        `${title}: batch diversity`,
        "acquired samples before the batch", "mean symmetric KL (nats)",
        present.map((s) => {
          const b = named(s, band(s, groups.get(s)!, diversity));
          return { ...b, x: b.x.slice(0, -1), mean: b.mean.slice(0, -1), spread: b.spread!.slice(0, -1) };
        }), { subtitle: `mean symmetric KL within the batch; ${label}` });
    }
  }
  return figs;
}

/**
 * What App. E's tuning chose in each run (src/loop/tuning.ts) and where the run started: the chosen
 * dropout rates and C, the validation numbers behind them, the test accuracy of the initial model
 * and the acquisitions to 95% (the paper's Random needs 48 on the single-point 7 vs 9 arm).
 */
export function tuningTable(results: readonly RunResult[]): Row[] {
  return [...results].sort((a, b) => a.config.acquireSize - b.config.acquireSize || a.config.dataset.localeCompare(b.config.dataset) || a.config.seed - b.config.seed || a.config.strategy.localeCompare(b.config.strategy)).map((r) => {
    const t = r.tuning;
    const chosen = t?.trials.find((x) => x.stage === "c" && x.c === t.c);
    const to95 = r.records.find((x) => x.testAccuracy >= 0.95);
    const r2 = t?.trials.find((x) => x.stage === "dropout" && x.dropout.join() === t.dropout.join())?.r2;
    return {
      seed: r.config.seed, arm: `${r.config.dataset.replace(/^mnist\(classes=(\d)-(\d)\)$/, "$1 vs $2").replace(/^mnist$/, "0-9")}, batch ${r.config.acquireSize}`,
      strategy: STRATEGY_LABELS[r.config.strategy] ?? r.config.strategy,
      "dropout p": t ? t.dropout.join(" / ") : "not tuned", C: t ? String(t.c) : "not tuned",
      "validation accuracy": chosen ? `${(chosen.valAccuracy * 100).toFixed(0)}%` : "",
      "validation R²": r2 === undefined ? "" : r2 === null ? "undefined" : r2.toFixed(2),
      "start test accuracy": `${(r.records[0].testAccuracy * 100).toFixed(1)}%`,
      "acquisitions to 95%": to95 ? String(to95.labelled - r.records[0].labelled) : `> ${r.records[r.records.length - 1].labelled - r.records[0].labelled}`,
    };
  });
}
