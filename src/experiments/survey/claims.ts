// Survey (paper 001) claims. None is decided yet: the survey has no `reference` profile and our copy of
// its text lacks the result tables (see published.ts), so the README's table has no survey row.
import { RunResult } from "../../loop/active-learning";
import { Claim } from "../../report/claims";
import { SurveyExperimentConfig } from "./profiles";

/** The survey's claims decided from runs of `cfg`: none yet (see the comment above). */
export function surveyClaims(_cfg: SurveyExperimentConfig, _results: readonly RunResult[]): Claim[] {
  return [];
}
