// DEIMOS claims (Table 2), each decided from our runs by the engine in src/report/claims.ts.
import { RunResult } from "../../loop/active-learning";
import { Claim, decideClaim, fewer } from "../../report/claims";
import { averageStep } from "../../report/metrics";
import { curveOf, groupRuns } from "../../report/runs";
import { formatNumber } from "../../report/tables";
import { runCoverage } from "../seeds";
import { DeimosExperimentConfig, STRATEGY_LABELS } from "./profiles";
import { PAPER_TABLE2 } from "./published";
import { armOf } from "./report";

/**
 * Table 2's claims, decided from our single-point 7 vs 9 runs (Average-Step, acquisitions): DEIMOS
 * reaches 95% and 97.5% test accuracy with fewer acquisitions than each baseline (the paper: 20 and
 * 41 against 21-48 and 58-158).
 */
export function deimosClaims(cfg: DeimosExperimentConfig, results: readonly RunResult[]): Claim[] {
  const arm = cfg.arms.find((a) => a.name === "7v9-single");
  if (!arm || !arm.strategies.includes("deimos")) return [];
  const groups = groupRuns(results.filter((r) => armOf(cfg, r) === arm), (r) => r.config.strategy);
  const { complete, runs } = runCoverage(cfg, groups, (s) => STRATEGY_LABELS[s]);
  const as = (s: string, t: number) => averageStep(groups.get(s)!.map((r) => curveOf(r)), t);
  const show = (s: string, t: number) => (groups.has(s) ? formatNumber(as(s, t)) : "not run");
  const claims: Claim[] = [];
  for (const t of [0.95, 0.975].filter((x) => cfg.accuracyTargets.includes(x))) {
    const paper = PAPER_TABLE2[String(t)];
    for (const other of ["random", "bald", "max-entropy", "kcenter"].filter((x) => arm.strategies.includes(x))) {
      claims.push({
        claim: `DEIMOS reaches ${t * 100}% test accuracy (MNIST 7 vs 9, one point per query) with fewer acquisitions than ${STRATEGY_LABELS[other]}`,
        paper: `${paper.deimos} vs ${paper[other]}`,
        ours: `${show("deimos", t)} vs ${show(other, t)}`,
        runs: runs(["deimos", other]),
        verdict: decideClaim(cfg.reduced, complete("deimos") && complete(other), () => fewer(as("deimos", t), as(other, t))),
      });
    }
  }
  return claims;
}
