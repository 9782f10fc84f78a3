// Every experiment the CLI and Slurm scripts can run, by name: profile -> sweep definition. Each paper's
// folder (src/experiments/<paper>/index.ts) exports its entry.
import { DEIMOS_EXPERIMENT } from "./deimos/index";
import { ExperimentEntry } from "./entry";
import { GAL_EXPERIMENT } from "./gal-mnist/index";
import { HYBRID_EXPERIMENT } from "./hybrid/index";
import { SOFTMAX_EXPERIMENT } from "./softmax-repeated-mnist/index";
import { SURVEY_EXPERIMENT } from "./survey/index";

export { ExperimentEntry } from "./entry";

export const EXPERIMENTS: Record<string, ExperimentEntry> = {
  "gal-mnist": GAL_EXPERIMENT,
  "softmax-repeated-mnist": SOFTMAX_EXPERIMENT,
  deimos: DEIMOS_EXPERIMENT,
  hybrid: HYBRID_EXPERIMENT,
  survey: SURVEY_EXPERIMENT,
};

export function experimentByName(name: string): ExperimentEntry {
  const e = EXPERIMENTS[name];
  if (!e) throw new Error(`unknown experiment '${name}' (expected one of ${Object.keys(EXPERIMENTS).join(", ")})`);
  return e;
}
