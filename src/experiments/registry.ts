// Every experiment the CLI and Slurm scripts can run, by name: profile -> sweep definition.
import { SweepDefinition } from "../loop/sweep";
import { deimosProfile, deimosSweep, DEIMOS_PROFILES } from "./deimos";
import { hybridProfile, hybridSweep, HYBRID_PROFILES } from "./hybrid";
import { galProfile, galSweep, GAL_PROFILES } from "./gal-mnist";
import { softmaxProfile, softmaxSweep, SOFTMAX_PROFILES } from "./softmax-repeated-mnist";
import { surveyProfile, surveySweep, SURVEY_PROFILES } from "./survey";

export interface ExperimentEntry {
  profiles: string[];
  /**
   * The profile's description (printed by the CLI) and its sweep; `config` (a whole experiment
   * config, e.g. from a JSON file) replaces the named profile and is validated field by field.
   */
  load(profile: string, config?: unknown): { description: string; sweep: SweepDefinition };
}

/** A profile by name, or the given config (validated when its sweep is built). */
function pick<T>(byName: (p: string) => T, profile: string, config: unknown): T {
  return config === undefined ? byName(profile) : (config as T);
}

export const EXPERIMENTS: Record<string, ExperimentEntry> = {
  "gal-mnist": {
    profiles: Object.keys(GAL_PROFILES),
    load: (p, config) => { const c = pick(galProfile, p, config); return { description: c.description, sweep: galSweep(c) }; },
  },
  "softmax-repeated-mnist": {
    profiles: Object.keys(SOFTMAX_PROFILES),
    load: (p, config) => { const c = pick(softmaxProfile, p, config); return { description: c.description, sweep: softmaxSweep(c) }; },
  },
  deimos: {
    profiles: Object.keys(DEIMOS_PROFILES),
    load: (p, config) => { const c = pick(deimosProfile, p, config); return { description: c.description, sweep: deimosSweep(c) }; },
  },
  hybrid: {
    profiles: Object.keys(HYBRID_PROFILES),
    load: (p, config) => { const c = pick(hybridProfile, p, config); return { description: c.description, sweep: hybridSweep(c) }; },
  },
  survey: {
    profiles: Object.keys(SURVEY_PROFILES),
    load: (p, config) => { const c = pick(surveyProfile, p, config); return { description: c.description, sweep: surveySweep(c) }; },
  },
};

export function experimentByName(name: string): ExperimentEntry {
  const e = EXPERIMENTS[name];
  if (!e) throw new Error(`unknown experiment '${name}' (expected one of ${Object.keys(EXPERIMENTS).join(", ")})`);
  return e;
}
