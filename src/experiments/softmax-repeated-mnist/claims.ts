// Paper 002 claims (Table 1, b = 50), each decided from our runs by the engine in src/report/claims.ts.
import { RunResult } from "../../loop/active-learning";
import { Claim, decideClaim, fewer } from "../../report/claims";
import { Curve, quantile, samplesToReach } from "../../report/metrics";
import { curveOf } from "../../report/runs";
import { SoftmaxExperimentConfig, StrategyArm } from "./profiles";
import { PAPER_TABLE1, paperRowName } from "./published";
import { formatQuantile, SOFTMAX_UNIT } from "./report";

/** Median over runs of the training-set size each needs to reach `target` (∞ when most never do). */
function medianToReach(curves: readonly Curve[], target: number): number {
  return quantile(curves.map((c) => samplesToReach(c, target)), 0.5);
}

/**
 * Table 1's claims at the largest acquisition size our runs cover (the reference profile: b = 50),
 * decided from medians over runs in training-set size: SoftmaxBALD reaches 90% and 95% with a smaller
 * training set than top-k BALD, and top-k BALD does not reach 90% at all (the paper: 170 vs ∞, 320 vs ∞).
 */
export function softmaxClaims(cfg: SoftmaxExperimentConfig, results: readonly RunResult[]): Claim[] {
  const softmaxArm = cfg.arms.find((a) => paperRowName(a) === "softmax-bald");
  const baldArm = cfg.arms.find((a) => a.strategy === "bald");
  if (!softmaxArm || !baldArm) return [];
  const b = Math.max(...softmaxArm.sizes.filter((x) => baldArm.sizes.includes(x)));
  if (!Number.isFinite(b)) return [];
  const runsOf = (arm: StrategyArm) => results.filter((r) => r.config.strategy === arm.strategy && r.config.acquireSize === b && r.config.T === (arm.T ?? cfg.run.T));
  const curves = (arm: StrategyArm) => runsOf(arm).map((r) => curveOf(r, SOFTMAX_UNIT));
  const complete = (arm: StrategyArm) => runsOf(arm).length >= cfg.seeds.length;
  const runs = `SoftmaxBALD ${runsOf(softmaxArm).length}/${cfg.seeds.length}, BALD ${runsOf(baldArm).length}/${cfg.seeds.length}`;
  const med = (arm: StrategyArm, t: number) => (runsOf(arm).length ? formatQuantile(medianToReach(curves(arm), t)) : "not run");
  const claims: Claim[] = [];
  for (const [i, t] of [0.9, 0.95].entries()) {
    const paper = [PAPER_TABLE1["softmax-bald"][b]?.[i], PAPER_TABLE1.bald[b]?.[i]];
    claims.push({
      claim: `SoftmaxBALD (b = ${b}) reaches ${t * 100}% test accuracy with a smaller training set than top-k BALD (medians)`,
      paper: paper[0] && paper[1] ? `${paper[0].split("/")[1] ?? paper[0]} vs ${paper[1].split("/")[1] ?? paper[1]}` : "no paper number",
      ours: `${med(softmaxArm, t)} vs ${med(baldArm, t)}`, runs,
      verdict: decideClaim(cfg.reduced, complete(softmaxArm) && complete(baldArm), () => fewer(medianToReach(curves(softmaxArm), t), medianToReach(curves(baldArm), t))),
    });
  }
  claims.push({
    claim: `Top-k BALD (b = ${b}) does not reach 90% test accuracy before the training set reaches ${cfg.maxTrainingSet} (median)`,
    paper: PAPER_TABLE1.bald[b]?.[0] ?? "no paper number", ours: med(baldArm, 0.9), runs: `BALD ${runsOf(baldArm).length}/${cfg.seeds.length}`,
    verdict: decideClaim(cfg.reduced, complete(baldArm), () => !Number.isFinite(medianToReach(curves(baldArm), 0.9))),
  });
  return claims;
}
