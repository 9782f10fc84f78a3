// Gal et al. 2017 / Pilz 2025 (paper 003) on MNIST: the sweep of runs (strategy x seed), the registry
// entry, and every name the notebook imports.
import { loadMnist } from "../../data/mnist";
import { AlRunConfig, RunResult } from "../../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../../loop/sweep";
import { imageModel } from "../../models/classifiers";
import { RunStore } from "../../results/store";
import { experimentEntry } from "../entry";
import { galClaims } from "./claims";
import { datasetName, GAL_PROFILES, galProfile, GalExperimentConfig, galRunConfigs } from "./profiles";

/** The sweep of a profile: every (seed, strategy) run on MNIST. */
export function galSweep(cfg: GalExperimentConfig): SweepDefinition {
  return {
    experiment: "gal-mnist", profile: cfg.profile, runs: galRunConfigs(cfg),
    dataset: (name) => {
      if (name === datasetName("standardise")) return loadMnist();
      if (name === datasetName("unit")) return loadMnist(undefined, "unit");
      throw new Error(`gal-mnist: unknown dataset '${name}'`);
    },
    model: (name, options) => imageModel(name, options),
  };
}

/** Runs every (missing) run of this shard; returns all finished results found in the store. */
export function runGalSweep(cfg: GalExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(galSweep(cfg), opts);
}

/** Finished results of this configuration, and the runs still missing. */
export function collectResults(cfg: GalExperimentConfig, store?: RunStore): { results: RunResult[]; missing: AlRunConfig[] } {
  return collectRuns(galSweep(cfg), store);
}

/** The registry's entry (CLI, Slurm scripts, `make reference`). */
export const GAL_EXPERIMENT = experimentEntry(GAL_PROFILES, galProfile, galSweep, galClaims);

export * from "./profiles";
export * from "./protocol";
export * from "./published";
export * from "./claims";
export * from "./report";
