// A sweep = the grid of independent active-learning runs of one experiment profile. Every
// experiment describes its sweep with a SweepDefinition; running, sharding, skipping finished
// runs and listing missing ones is the same code for all of them (notebook, CLI, Slurm array).
import { join, resolve } from "node:path";
import { strategyByName } from "../acquisition/strategy";
import { PROJECT_ROOT } from "../data/files";
import { ImageDataset } from "../data/types";
import { BayesianModel, ModelOptions } from "../models/types";
import { RunStore } from "../results/store";
import { Rng } from "../seeding/rng";
import { AlRunConfig, checkRunAgainstData, checkRunConfig, RunResult, runActiveLearning, runKey } from "./active-learning";
import { selectShard, Shard } from "./shard";
import { clearInterrupt, throwIfInterrupted } from "./interrupt";

export interface SweepDefinition {
  experiment: string;
  profile: string;
  /** The runs in a fixed order (the unit of sharding). */
  runs: AlRunConfig[];
  /** Loads the dataset named in a run config. */
  dataset(name: string): Promise<ImageDataset>;
  /** The model factory named in a run config, with the run's model options. */
  model(name: string, options?: ModelOptions): (rng: Rng) => BayesianModel;
}

export interface SweepOptions {
  shard?: Shard;
  log?: (line: string) => void;
  store?: RunStore;
  /** Filled with the runs skipped because another process holds their lock (the CLI exits 3 while any is unfinished). */
  held?: AlRunConfig[];
  /** Make at most this many steps of each run in this call (its checkpoint keeps them; `bal next --run`'s first-step probes). */
  maxStepsThisCall?: number;
}

/** The profile whose runs are committed: the published protocol with only budget / seeds cut. */
export const REFERENCE_PROFILE = "reference";

/**
 * Profiles whose runs are committed: `reference`, and `reference-<name>` where one experiment reproduces a
 * second publication's protocol (Gal's own beside Pilz's); each has its own folder and its own stale/.
 */
export function isReferenceProfile(profile: string): boolean {
  return profile === REFERENCE_PROFILE || (profile.startsWith(`${REFERENCE_PROFILE}-`) && profile.length > REFERENCE_PROFILE.length + 1);
}

/**
 * Tracked folder of a reference profile's runs (BAL_REFERENCE_DIR overrides the root, e.g. in tests):
 * reference-results/<experiment>/ for `reference`, reference-results/<experiment>/<name>/ for `reference-<name>`.
 */
export function referenceDir(experiment: string, profile = REFERENCE_PROFILE): string {
  if (!isReferenceProfile(profile)) throw new Error(`'${profile}' is not a reference profile (expected '${REFERENCE_PROFILE}' or '${REFERENCE_PROFILE}-<name>')`);
  const dir = join(folderFromEnv("BAL_REFERENCE_DIR") ?? join(PROJECT_ROOT, "reference-results"), experiment);
  return profile === REFERENCE_PROFILE ? dir : join(dir, profile.slice(REFERENCE_PROFILE.length + 1));
}

/** The results folder root: BAL_RESULTS_DIR, else results/ in the project. */
export function resultsRoot(): string {
  return folderFromEnv("BAL_RESULTS_DIR") ?? join(PROJECT_ROOT, "results");
}

export function resultsDir(experiment: string, profile: string): string {
  if (isReferenceProfile(profile)) return referenceDir(experiment, profile);
  return join(resultsRoot(), experiment, profile);
}

/** A folder named by an environment variable (unset: null); set but empty is an error, not the current folder. */
function folderFromEnv(name: string): string | null {
  const v = process.env[name];
  if (v === undefined) return null;
  if (v.trim() === "") throw new Error(`${name} is set but empty: unset it (the default folder) or name a folder`);
  return resolve(v); // relative to where the command starts: the same folder for results and Slurm logs

}

export function sweepStore(def: SweepDefinition): RunStore {
  return new RunStore(resultsDir(def.experiment, def.profile));
}

/** Short description of a run for progress lines. */
export function runLabel(rc: AlRunConfig): string {
  return `${rc.strategy} b=${rc.acquireSize} seed ${rc.seed}`;
}

/** Runs every missing run of this shard (resuming interrupted ones); returns all finished results. */
export async function runSweep(def: SweepDefinition, opts: SweepOptions = {}): Promise<RunResult[]> {
  clearInterrupt();
  const store = (opts.store ?? sweepStore(def)).ensureWritable();
  const log = opts.log ?? ((l: string) => console.log(l));
  const runs = selectShard(def.runs, opts.shard);
  // Every config conflict fails here, before the first run trains (not when its run comes up).
  for (const rc of runs) checkRunConfig(rc, strategyByName(rc.strategy, rc.strategyOptions));
  for (const name of new Set(runs.map((rc) => rc.dataset))) {
    const ds = await def.dataset(name);
    for (const rc of runs.filter((r) => r.dataset === name)) checkRunAgainstData(rc, ds);
  }
  let i = 0;
  for (const rc of runs) {
    i++;
    const key = runKey(rc);
    if (store.has(key)) {
      log(`[${i}/${runs.length}] ${runLabel(rc)}: already finished (${key})`);
      continue;
    }
    throwIfInterrupted(`before ${runLabel(rc)}`);
    log(`[${i}/${runs.length}] ${runLabel(rc)}: running (${key})`);
    const r = await runActiveLearning(await def.dataset(rc.dataset), def.model(rc.model, rc.modelOptions), strategyByName(rc.strategy, rc.strategyOptions), rc,
      { store, log, modelFor: (o) => def.model(rc.model, o), maxStepsThisCall: opts.maxStepsThisCall });
    // null: held by another process, or stopped after maxStepsThisCall steps (then nobody holds it).
    if (r === null && (opts.maxStepsThisCall === undefined || store.holder(key))) opts.held?.push(rc);
  }
  return collectRuns(def, store).results;
}

/**
 * Where a missing run stands, for `bal status`: the steps its checkpoint holds (a run resumes there, also on
 * another machine when the checkpoint is carried over, e.g. committed) and the process working on it, if any.
 */
export function runProgress(store: RunStore, rc: AlRunConfig): string {
  const key = runKey(rc);
  const done = store.loadCheckpoint<{ records: unknown[] }>(key)?.records.length ?? 0;
  const holder = store.holder(key);
  return [
    done ? `checkpoint after step ${done - 1} of ${rc.steps} (resumes with step ${done})` : "",
    holder ? `in progress in process ${holder.pid} on ${holder.host} since ${holder.since}` : "",
  ].filter(Boolean).join("; ");
}

/** Finished results of the sweep, and the runs still missing. */
export function collectRuns(def: SweepDefinition, store = sweepStore(def)): { results: RunResult[]; missing: AlRunConfig[] } {
  const results: RunResult[] = [];
  const missing: AlRunConfig[] = [];
  for (const rc of def.runs) {
    const r = store.load<RunResult>(runKey(rc));
    if (r) results.push(r);
    else missing.push(rc);
  }
  return { results, missing };
}
