// What the registry knows of an experiment: its profile names, and how a profile (or a whole config
// from a JSON file) becomes a sweep. Each paper's folder exports one (`index.ts`).
import { RunResult } from "../loop/active-learning";
import { SweepDefinition } from "../loop/sweep";
import { Claim } from "../report/claims";

export interface ExperimentEntry {
  profiles: string[];
  /**
   * The profile's description (printed by the CLI) and its sweep; `config` (a whole experiment
   * config, e.g. from a JSON file) replaces the named profile and is validated field by field.
   */
  load(profile: string, config?: unknown): { description: string; sweep: SweepDefinition; claims: (results: readonly RunResult[]) => Claim[] };
}

/** The entry of an experiment: its profiles, their lookup, their sweep and the paper's claims decided from runs. */
export function experimentEntry<C extends { description: string }>(
  profiles: Record<string, C>, byName: (profile: string) => C, sweep: (cfg: C) => SweepDefinition,
  claims: (cfg: C, results: readonly RunResult[]) => Claim[],
): ExperimentEntry {
  return {
    profiles: Object.keys(profiles),
    load: (profile, config) => {
      // A given config replaces the named profile (validated when its sweep is built).
      const cfg = config === undefined ? byName(profile) : (config as C);
      return { description: cfg.description, sweep: sweep(cfg), claims: (results) => claims(cfg, results) };
    },
  };
}
