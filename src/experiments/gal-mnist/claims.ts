// Gal / Pilz claims, each decided from our runs by the engine in src/report/claims.ts.
import { RunResult } from "../../loop/active-learning";
import { Claim, ClaimVerdict, decideClaim, fewer } from "../../report/claims";
import { averageStep } from "../../report/metrics";
import { curveOf } from "../../report/runs";
import { formatNumber } from "../../report/tables";
import { runCoverage } from "../seeds";
import { GAL_LABELS, GalExperimentConfig } from "./profiles";
import { PAPER_SAMPLES } from "./published";
import { byStrategy, TS } from "./report";

/**
 * The papers' claims, each decided from our runs (Average-Step, training-set size): every
 * uncertainty function needs fewer samples than Random at 10% and at 5% error (Gal's Table 1,
 * Pilz's Tables 2-3), and Random needs at least twice BALD's samples at 5% (Pilz 610 vs 270,
 * Gal 835 vs 335).
 */
export function galClaims(cfg: GalExperimentConfig, results: readonly RunResult[]): Claim[] {
  const groups = byStrategy(results);
  const { complete, runs } = runCoverage(cfg, groups, (s) => GAL_LABELS[s] ?? s);
  const as = (s: string, e: number) => averageStep(groups.get(s)!.map((r) => curveOf(r, TS)), 1 - e, cfg.reachRule);
  const lastSize = 10 * cfg.run.initialPerClass + cfg.run.steps * cfg.run.acquireSize;
  const decide = (needs: string[], holds: () => boolean | null): ClaimVerdict => decideClaim(cfg.reduced, needs.every(complete), holds);
  const show = (s: string, e: number) => (groups.has(s) ? formatNumber(as(s, e)) : "not run");
  const claims: Claim[] = [];
  for (const e of [0.1, 0.05]) {
    for (const s of ["max-entropy", "bald", "variation-ratio", "mean-std"].filter((x) => cfg.strategies.includes(x))) {
      const paper = PAPER_SAMPLES[String(e)];
      claims.push({
        claim: `${GAL_LABELS[s]} reaches ${e * 100}% error with fewer labelled samples than Random`,
        paper: `Pilz ${paper[s].pilz} vs ${paper.random.pilz}; Gal ${paper[s].gal} vs ${paper.random.gal} acquired`,
        ours: `${show(s, e)} vs ${show("random", e)}`,
        runs: runs([s, "random"]),
        verdict: decide([s, "random"], () => fewer(as(s, e), as("random", e))),
      });
    }
  }
  if (cfg.strategies.includes("bald")) {
    claims.push({
      claim: "Random needs at least twice BALD's labelled samples to reach 5% error",
      paper: "Pilz 610 / 270 = 2.26; Gal (835 + 20) / (335 + 20) = 2.41 in training-set size",
      ours: groups.has("bald") && groups.has("random") ? `${show("random", 0.05)} / ${show("bald", 0.05)} = ${formatNumber(as("random", 0.05) / as("bald", 0.05), 2)}` : "not run",
      runs: runs(["bald", "random"]),
      verdict: decide(["bald", "random"], () => {
        const b = as("bald", 0.05);
        const r = as("random", 0.05);
        if (!Number.isFinite(b)) return Number.isFinite(r) ? false : null;
        if (Number.isFinite(r)) return r >= 2 * b;
        return 2 * b <= lastSize ? true : null; // Random needs more than the budget; is that already 2x BALD?
      }),
    });
  }
  return claims;
}
