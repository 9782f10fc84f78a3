// The survey (paper 001) and DeepAL+: every strategy of the catalogue on one loop and one learner; the
// sweep, the registry entry, and every name the notebook imports.
import { loadCifar10 } from "../../data/cifar10";
import { loadMnist } from "../../data/mnist";
import { ImageDataset } from "../../data/types";
import { AlRunConfig, RunResult } from "../../loop/active-learning";
import { collectRuns, runSweep, SweepDefinition, SweepOptions } from "../../loop/sweep";
import { imageModel } from "../../models/classifiers";
import { RunStore } from "../../results/store";
import { experimentEntry } from "../entry";
import { surveyClaims } from "./claims";
import { SurveyExperimentConfig, SURVEY_PROFILES, surveyProfile, surveyRunConfigs } from "./profiles";

async function surveyDataset(name: string): Promise<ImageDataset> {
  if (name === "mnist") return loadMnist();
  if (name === "cifar10") return loadCifar10();
  throw new Error(`survey: unknown dataset '${name}' (expected mnist or cifar10)`);
}

export function surveySweep(cfg: SurveyExperimentConfig): SweepDefinition {
  return { experiment: "survey", profile: cfg.profile, runs: surveyRunConfigs(cfg), dataset: surveyDataset, model: (name, options) => imageModel(name, options) };
}

export function runSurveySweep(cfg: SurveyExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(surveySweep(cfg), opts);
}

export function collectSurveyResults(cfg: SurveyExperimentConfig, store?: RunStore): { results: RunResult[]; missing: AlRunConfig[] } {
  return collectRuns(surveySweep(cfg), store);
}

// Protocol table

/** The registry's entry (CLI, Slurm scripts, `make reference`). */
export const SURVEY_EXPERIMENT = experimentEntry(SURVEY_PROFILES, surveyProfile, surveySweep, surveyClaims);

export * from "./profiles";
export * from "./protocol";
export * from "./published";
export * from "./claims";
export * from "./report";
