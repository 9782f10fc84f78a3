// Stochastic batch acquisition (paper 002) on RepeatedMNIST: top-k BALD / EPIG vs their Softmax
// variants vs BatchBALD, for several acquisition sizes: the sweep, the registry entry, and every name
// the notebook imports.
import { loadRepeatedMnist, repeatedMnistName } from "../../data/repeated-mnist";
import { RunResult } from "../../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../../loop/sweep";
import { imageModel } from "../../models/classifiers";
import { experimentEntry } from "../entry";
import { softmaxClaims } from "./claims";
import { runData, SOFTMAX_PROFILES, softmaxProfile, SoftmaxExperimentConfig, softmaxRunConfigs } from "./profiles";

export function softmaxSweep(cfg: SoftmaxExperimentConfig): SweepDefinition {
  return {
    experiment: "softmax-repeated-mnist", profile: cfg.profile, runs: softmaxRunConfigs(cfg),
    dataset: (name) => {
      const options = [...cfg.seeds, ...cfg.ablation.seeds].map((seed) => runData(cfg, seed));
      const match = options.find((o) => repeatedMnistName(o) === name);
      if (!match) throw new Error(`softmax-repeated-mnist: run asks for dataset '${name}', the config makes ${[...new Set(options.map(repeatedMnistName))].join(", ")}`);
      return loadRepeatedMnist(match);
    },
    model: (name, options) => imageModel(name, options),
  };
}

export function runSoftmaxSweep(cfg: SoftmaxExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(softmaxSweep(cfg), opts);
}

export function collectSoftmaxResults(cfg: SoftmaxExperimentConfig) {
  return collectRuns(softmaxSweep(cfg));
}

/** The registry's entry (CLI, Slurm scripts, `make reference`). */
export const SOFTMAX_EXPERIMENT = experimentEntry(SOFTMAX_PROFILES, softmaxProfile, softmaxSweep, softmaxClaims);

export * from "./profiles";
export * from "./protocol";
export * from "./published";
export * from "./claims";
export * from "./report";
