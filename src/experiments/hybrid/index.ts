// Hybrid uncertainty x diversity query strategies (paper 000) on MNIST and CIFAR-10: the sweep (search
// parts, then the extended part once they finish), the registry entry, and every name the notebook imports.
import { CIFAR10_STD_DBALHQ, loadCifar10 } from "../../data/cifar10";
import { loadMnist } from "../../data/mnist";
import { AlRunConfig, RunResult } from "../../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions, sweepStore } from "../../loop/sweep";
import { validateConfig } from "../../loop/validate";
import { imageModel } from "../../models/classifiers";
import { RunStore } from "../../results/store";
import { experimentEntry } from "../entry";
import { hybridClaims } from "./claims";
import { DATASET_NAMES, extendedHybrids, gridOf, hybridBases, HybridExperimentConfig, HYBRID_PROFILES, HybridPart, hybridProfile, hybridRunConfig, PART_SCHEMA, SCHEMA, withParam } from "./profiles";

/** Runs of a search part: every baseline and every grid point of every hybrid, for every seed. */
function searchRuns(cfg: HybridExperimentConfig, part: HybridPart): AlRunConfig[] {
  const strategies = [...(part.baselines ?? cfg.baselines), ...hybridBases(cfg).flatMap((b) => gridOf(cfg, b).map((v) => withParam(b, v)))];
  return cfg.seeds.flatMap((seed) => strategies.map((s) => hybridRunConfig(part, s, seed)));
}

export interface HybridPlan {
  runs: AlRunConfig[];
  /** Parts whose runs cannot be listed yet (their search part is unfinished). */
  pending: string[];
}

export function hybridPlan(cfg: HybridExperimentConfig, store: RunStore): HybridPlan {
  validateConfig(cfg, SCHEMA, "hybrid config");
  if (!Array.isArray(cfg.parts) || cfg.parts.length === 0) throw new Error("hybrid config.parts: expected a non-empty array of parts");
  cfg.parts.forEach((p, i) => validateConfig(p, PART_SCHEMA, `hybrid config.parts[${i}]`));
  const runs: AlRunConfig[] = [];
  const pending: string[] = [];
  for (const part of cfg.parts) {
    if (part.search) runs.push(...searchRuns(cfg, part));
    else {
      const hybrids = extendedHybrids(cfg, part, store);
      if (!hybrids) pending.push(part.name);
      else runs.push(...cfg.seeds.flatMap((seed) => [...(part.baselines ?? cfg.baselines), ...hybrids].map((s) => hybridRunConfig(part, s, seed))));
    }
  }
  return { runs, pending };
}

async function loadDataset(name: string) {
  if (name === DATASET_NAMES.mnist) return loadMnist();
  if (name === DATASET_NAMES.cifar10) return loadCifar10(undefined, CIFAR10_STD_DBALHQ);
  throw new Error(`hybrid: unknown dataset '${name}'`);
}

export function hybridSweep(cfg: HybridExperimentConfig, store?: RunStore): SweepDefinition {
  const def: SweepDefinition = {
    experiment: "hybrid", profile: cfg.profile, runs: [], dataset: loadDataset,
    model: (name, options) => imageModel(name, options),
  };
  def.runs = hybridPlan(cfg, store ?? sweepStore(def)).runs;
  return def;
}

/** Runs the search parts, then (once their results exist) the extended parts. */
export async function runHybridSweep(cfg: HybridExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  let def = hybridSweep(cfg, opts.store);
  await runSweep(def, opts);
  const pending = hybridPlan(cfg, opts.store ?? sweepStore(def)).pending;
  if (cfg.parts.some((p) => !p.search) && pending.length === 0) {
    def = hybridSweep(cfg, opts.store);
    await runSweep(def, opts);
  }
  return collectRuns(def, opts.store).results;
}

export function collectHybridResults(cfg: HybridExperimentConfig, store?: RunStore) {
  const def = hybridSweep(cfg, store);
  return { ...collectRuns(def, store), pending: hybridPlan(cfg, store ?? sweepStore(def)).pending };
}

/** The registry's entry (CLI, Slurm scripts, `make reference`). */
export const HYBRID_EXPERIMENT = experimentEntry(HYBRID_PROFILES, hybridProfile, hybridSweep, hybridClaims);

export * from "./profiles";
export * from "./protocol";
export * from "./published";
export * from "./claims";
export * from "./report";
