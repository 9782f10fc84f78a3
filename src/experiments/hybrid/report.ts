// Paper 000 report: Table 1 and the appendix tables beside ours, the extended CIFAR-10 table, Figure 3.
import { curvesWithBands, PlotlyFigure } from "../../figures/plotly";
import { RunResult } from "../../loop/active-learning";
import { mean, std } from "../../report/metrics";
import { band, groupRuns, profileSubtitle, testAccuracyOf } from "../../report/runs";
import { Row } from "../../report/tables";
import { RunStore } from "../../results/store";
import { BASELINE_LABELS, chooseHyperparameters, DATASET_NAMES, extendedHybrids, finalRecord, HYBRID_BASELINES, hybridBases, HybridChoice, HybridExperimentConfig, HybridPart, rankChoices } from "./profiles";
import { HybridPublished, loadHybridPublished, PAPER_TABLE1, PAPER_TABLE1_HYBRIDS, paperAppendixAccuracy, publishedName } from "./published";

const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;

/** Table 1: final test accuracy of the baselines and the best hybrid (chosen on validation) per search part. */
export function table1(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Row[] {
  const rows: Row[] = [];
  const byPart = (part: HybridPart) => groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  for (const s of [...HYBRID_BASELINES, "best hybrid"]) {
    const run = s === "best hybrid" || cfg.parts.some((p) => (p.baselines ?? cfg.baselines).includes(s));
    const row: Row = { strategy: BASELINE_LABELS[s] ?? s };
    for (const part of cfg.parts) {
      let cell = run ? "not run" : "not in this profile";
      if (s === "best hybrid" && !part.search) cell = "see the extended-run table";
      else if (s === "best hybrid") {
        const choices = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null);
        const best = rankChoices(cfg, choices)[0];
        if (best) cell = `${pct(best.testAccuracy.mean, best.testAccuracy.std)} (${best.strategy})`;
      } else {
        const runs = byPart(part).get(s);
        if (runs) cell = pct(mean(runs.map((r) => finalRecord(r).testAccuracy)), std(runs.map((r) => finalRecord(r).testAccuracy)));
      }
      row[`${part.name} (ours)`] = cell;
      const paper = PAPER_TABLE1[s]?.[part.name as "mnist" | "cifar10" | "cifar10-extended"];
      row[`${part.name} (paper)`] = paper == null ? "no paper number" : paper.toFixed(2);
    }
    rows.push(row);
  }
  return rows;
}

/** Appendix table: every hybrid of a search part with its chosen hyperparameter, beside the paper's appendix. */
export function appendixTable(cfg: HybridExperimentConfig, part: HybridPart, store: RunStore): Row[] {
  return chooseHyperparameters(cfg, part, store).map((c, i) => {
    const base = hybridBases(cfg)[i];
    const paper = paperAppendixAccuracy(base, part.dataset)?.toFixed(2) ?? "no paper number";
    if (!c) return { hybrid: base, chosen: "not run", "final val acc %": "not run", "final test acc % (ours)": "not run", "final test acc % (paper)": paper };
    return {
      hybrid: base, chosen: c.strategy.replace(base, "").replace(/[()]/g, ""), "final val acc %": (100 * c.valAccuracy).toFixed(2),
      "final test acc % (ours)": pct(c.testAccuracy.mean, c.testAccuracy.std), "final test acc % (paper)": paper,
    };
  });
}

/** The extended run's hybrids: ours (chosen as cfg.selectBy says) and the paper's four, each with its final test accuracy. */
export function extendedHybridTable(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore): Row[] {
  const part = cfg.parts.find((p) => !p.search);
  if (!part) return [];
  const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  const ours = extendedHybrids(cfg, part, store) ?? [];
  const rows: Row[] = ours.map((strategy) => {
    const runs = groups.get(strategy);
    const base = strategy.replace(/\(.*\)$/, "");
    const paper = PAPER_TABLE1_HYBRIDS.find((h) => h.hybrid === base)?.["cifar10-extended"];
    return {
      hybrid: strategy, "chosen by": `our ${cfg.selectBy} ranking`,
      "final test acc % (ours)": runs ? pct(mean(runs.map((r) => finalRecord(r).testAccuracy)), std(runs.map((r) => finalRecord(r).testAccuracy))) : "not run",
      "final test acc % (paper)": paper == null ? "not among the paper's four" : paper.toFixed(2),
    };
  });
  for (const h of PAPER_TABLE1_HYBRIDS.filter((x) => x["cifar10-extended"] !== null && !ours.some((s) => s.startsWith(`${x.hybrid}(`)))) {
    rows.push({ hybrid: h.hybrid, "chosen by": "the paper", "final test acc % (ours)": "not run (not in our top hybrids)", "final test acc % (paper)": h["cifar10-extended"]!.toFixed(2) });
  }
  return rows;
}

/**
 * Figure 3: accuracy curves of the baselines and the best hybrids, per part; in a profile that follows
 * the authors' code, their seed-mean curves of the same strategies are dashed beside ours.
 */
export function hybridFigures(cfg: HybridExperimentConfig, results: readonly RunResult[], store: RunStore,
  published: HybridPublished | null = cfg.follows === "authors-code" ? loadHybridPublished() : null): Record<string, PlotlyFigure> {
  const figs: Record<string, PlotlyFigure> = {};
  for (const part of cfg.parts) {
    const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES[part.dataset] && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
    let hybrids: string[];
    if (part.search) {
      const chosen = chooseHyperparameters(cfg, part, store).filter((c): c is HybridChoice => c !== null);
      hybrids = rankChoices(cfg, chosen).slice(0, cfg.extendedTop).map((c) => c.strategy);
    } else hybrids = extendedHybrids(cfg, part, store) ?? [];
    const shown = [...(part.baselines ?? cfg.baselines), ...hybrids].filter((s) => groups.has(s));
    const series = shown.map((s) => band(BASELINE_LABELS[s] ?? s, groups.get(s)!, testAccuracyOf));
    const pub = published?.experiments[part.name.replace("-", "_")];
    if (pub) {
      for (const s of shown) {
        const curve = pub.strategies[publishedName(s) ?? ""]?.mean_test_acc;
        if (!curve) continue;
        const x = pub.train_size.map((n) => n - pub.train_size[0]);
        series.push({ name: `${BASELINE_LABELS[s] ?? s} (authors' mean of 5)`, x, mean: curve, dash: "dash" });
      }
    }
    if (series.length) {
      figs[`hybrid-${part.name}-accuracy`] = curvesWithBands(`${part.name}: test accuracy, baselines and the best hybrids (mean ± std)`,
        "acquired samples", "test accuracy", series, { subtitle: `${profileSubtitle(cfg.profile, cfg.reduced)}${pub ? "; dashed: the authors' seed-mean curves" : ""}` });
    }
  }
  return figs;
}
