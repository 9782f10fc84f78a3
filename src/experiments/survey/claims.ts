// Survey (paper 001) claims, declared once here and decided from the `reference` runs (DeepAL+'s code on
// MNIST, eight strategies, 3 trials) by the engine in src/report/claims.ts: AUBC as the toolkit computes
// it, bootstrapped over trials. Claims over the survey's datasets or its ablations wait for runs this
// workspace does not plan; the strategies the toolkit has and this workspace lacks are "not implemented".
import { RunResult } from "../../loop/active-learning";
import { Arm, Claim, claimWithout, forProfile, meanClaim } from "../../report/claims";
import { SurveyExperimentConfig } from "./profiles";
import { armRuns, curveAubc } from "./report";

/** The survey's headline claims (§5, Tables 3-5 and its figures), on MNIST where our runs exist. */
export function surveyClaims(cfg: SurveyExperimentConfig, results: readonly RunResult[]): Claim[] {
  const mnist = cfg.parts.some((p) => p.dataset === "mnist");
  const arm = (label: string): Arm<RunResult> => {
    const a = cfg.arms.find((x) => x.label === label);
    return { label, runs: a && mnist ? armRuns(cfg, results, a, "mnist") : [], planned: a && mnist ? cfg.seeds.length : 0 };
  };
  const aubcAbove = (claim: string, a: string, b: string, key: string) => meanClaim({
    claim, paper: "win-tie-loss and AUBC tables", key, reduced: cfg.reduced, a: arm(a), b: arm(b),
    valueOf: (r) => curveAubc(cfg, r), format: (x) => x.toFixed(3), statistic: "mean AUBC (DeepAL+'s get_aubc)",
  });
  return forProfile(cfg.reduced, [
    claimWithout("Win-tie-loss over datasets: the top three strategies and where KMeans and Random fall", "win-tie-loss table (AUBC, margin 0.005)", "not run",
      `the ranking is over the survey's datasets; this profile runs ${cfg.parts.map((p) => p.dataset).join(" and ")} (its win-tie-loss table is in the notebook)`),
    aubcAbove("MC dropout helps on MNIST: LeastConfD's AUBC is above LeastConf's", "LeastConfD", "LeastConf", "survey:mnist:leastconfd-leastconf"),
    aubcAbove("BADGE ranks above KMeans on MNIST (AUBC)", "BADGE", "KMeans", "survey:mnist:badge-kmeans"),
    claimWithout("Training epochs and batch size change the ranking (ablations)", "ablation figures", "not run", "the ablation profiles (epochs, batch sizes) are not planned"),
    claimWithout("WAAL, VAAL and LPL results", "the survey's tables", "not implemented", "WAAL, VAAL and LPL need adversarial / auxiliary networks not in src/acquisition"),
  ]);
}
