// Survey (paper 001) claims, declared once here. None can be decided from runs yet: the survey has
// no `reference` profile (its ResNet-18 steps cost minutes each on 2 cores), so every row says what
// it waits for; the strategies the toolkit has and this workspace lacks are "not implemented".
import { RunResult } from "../../loop/active-learning";
import { Claim, claimWithout, forProfile } from "../../report/claims";
import { SurveyExperimentConfig } from "./profiles";

const NO_REFERENCE = "no reference runs: the survey has no 'reference' profile yet (ResNet-18 steps cost ~230-300 s on 2 cores)";

/** The survey's headline claims (§5, Tables 3-5 and its figures). */
export function surveyClaims(cfg: SurveyExperimentConfig, _results: readonly RunResult[]): Claim[] {
  return forProfile(cfg.reduced, [
    claimWithout("Win-tie-loss over datasets: the top three strategies and where KMeans and Random fall", "win-tie-loss table (AUBC, margin 0.005)", "not run", NO_REFERENCE),
    claimWithout("MC dropout helps: LeastConfD ranks above LeastConf", "win-tie-loss and AUBC tables", "not run", NO_REFERENCE),
    claimWithout("BADGE ranks above KMeans", "win-tie-loss and AUBC tables", "not run", NO_REFERENCE),
    claimWithout("Training epochs and batch size change the ranking (ablations)", "ablation figures", "not run", NO_REFERENCE),
    claimWithout("WAAL, VAAL and LPL results", "the survey's tables", "not implemented", "WAAL, VAAL and LPL need adversarial / auxiliary networks not in src/acquisition"),
  ]);
}
