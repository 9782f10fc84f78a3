// `bal plan`: before launching anything, the runs of a profile still missing, each with its estimated
// cost (from the per-step seconds recorded by finished runs of the same model and data: the same strategy
// and batch size where one exists) and the paper claims that wait for it. Steps a checkpoint already holds
// or a finished shorter run of the same config (extended, see loop/extend) are not counted again.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strategyByName } from "../acquisition/strategy";
import { activeBackend } from "../compute/backend";
import { AlRunConfig, Checkpoint, runActiveLearning, RunResult, runKey, StepRecord } from "../loop/active-learning";
import { findPrefixRun, sameButSteps } from "../loop/extend";
import { collectRuns, isReferenceProfile, referenceDir, runLabel, SweepDefinition, sweepStore } from "../loop/sweep";
import { RunStore } from "../results/store";
import { Claim, waitsForRuns } from "./claims";
import { loadResultsUnder } from "./learning-check";
import { referenceStatus } from "./reference";

export interface PlannedRun {
  config: AlRunConfig;
  label: string;
  /** Steps a checkpoint or a finished shorter run of the same config (extended, see loop/extend) already holds. */
  stepsDone: number;
  resumesFrom: "checkpoint" | "shorter run";
  stepsLeft: number;
  /** Estimated seconds of the steps left, on the machine (and thread count) that measured the basis runs; null: nothing measured. */
  estimateS: number | null;
  /** The estimate leaves the acquisition out (only runs of other strategies measured): a lower bound. */
  estimateAtLeast: boolean;
  basis: string;
  /** Claims that stay "not run" or "indicative" (fewer than 3 runs of an arm) without this run. */
  unlocks: string[];
}

export interface RunPlan {
  experiment: string;
  profile: string;
  finished: number;
  missing: PlannedRun[];
  /** Sum of the estimates that exist, how many runs have none, and how many of the sum's are lower bounds. */
  totalS: number;
  unknown: number;
  atLeast: number;
}

const stepSeconds = (s: StepRecord) => (s.seconds ? s.seconds.train + s.seconds.evaluate + s.seconds.acquire : NaN);
// What a step costs whatever the strategy: fitting and evaluating the model (acquisition is the strategy's own).
const trainEvaluateSeconds = (s: StepRecord) => s.seconds.train + s.seconds.evaluate;

/**
 * A basis run's seconds for a step at training-set size `labelled`: its recorded step at the largest size
 * not above it (runs of another batch size are matched by size, not step index), or beyond its last step
 * the last step's with the training time scaled by the samples an epoch sees (training grows with them;
 * scoring does not): the training set, or the run's `epochSamples` while that is larger (a fixed epoch,
 * as in the RepeatedMNIST protocols, costs the same at 20 labelled as at 300).
 */
function secondsAt(r: RunResult, labelled: number, cost: (s: StepRecord) => number = stepSeconds): number {
  let i = 0;
  while (i + 1 < r.records.length && r.records[i + 1].labelled <= labelled) i++;
  const s = r.records[i];
  if (i < r.records.length - 1 || labelled <= s.labelled) return cost(s);
  const perEpoch = (n: number) => Math.max(n, r.config.train.epochSamples ?? 0);
  return cost(s) + s.seconds.train * (perEpoch(labelled) / perEpoch(s.labelled) - 1);
}

/**
 * Seconds of steps [from, to] of a run like `rc`, from the measured runs: the mean over the basis runs of
 * each step's recorded seconds (a later step than any measured one: see secondsAt). From runs of other
 * strategies only the training and evaluation count, and the estimate is a lower bound (`atLeast`): their
 * acquisition says nothing of this strategy's (Random's is a draw, an MC strategy's scores the pool T times).
 */
export function estimateSteps(rc: AlRunConfig, from: number, measured: readonly RunResult[]): { seconds: number | null; atLeast: boolean; basis: string } {
  const tiers: [string, (r: RunResult) => boolean, boolean][] = [
    ["same strategy and batch size", (r) => r.config.strategy === rc.strategy && r.config.acquireSize === rc.acquireSize, false],
    ["same strategy", (r) => r.config.strategy === rc.strategy, false],
    ["other strategies: training and evaluation only, acquisition not measured", () => true, true],
  ];
  // The same data up to its per-run noise seed (RepeatedMNIST draws its noise per run: same size, same cost).
  const family = (d: string) => d.replace(/,seed=\d+\)$/, ")");
  const sameData = measured.filter((r) => family(r.config.dataset) === family(rc.dataset) && r.config.model === rc.model && r.records.every((s) => Number.isFinite(stepSeconds(s))));
  for (const [why, match, atLeast] of tiers) {
    const basis = sameData.filter(match);
    if (basis.length === 0) continue;
    const cost = atLeast ? trainEvaluateSeconds : stepSeconds;
    let total = 0;
    for (let step = from; step <= rc.steps; step++) {
      total += basis.reduce((sum, r) => sum + secondsAt(r, r.records[0].labelled + step * rc.acquireSize, cost), 0) / basis.length;
    }
    const here = basis.filter((r) => r.backend === MEASURED_HERE);
    const unfinished = basis.filter((r) => r.backend === IN_FLIGHT).length;
    const what = here.length ? `the first ${here[0].records.length} step(s) measured here, ${why}`
      : `${basis.length} run(s)${unfinished ? ` (${unfinished} of them unfinished: the steps in ${unfinished === 1 ? "its checkpoint" : "their checkpoints"})` : ""}, ${why}`;
    return { seconds: total, atLeast, basis: `${what} (${rc.model} on ${rc.dataset})` };
  }
  return { seconds: null, atLeast: false, basis: `no finished run of ${rc.model} on ${rc.dataset} measured yet` };
}

/**
 * A stand-in finished run (claims ask whether the runs they need exist; its accuracies are placeholders).
 * Its labelled grid is a finished run's of the same shape, so curves average (else 10 classes assumed).
 */
function standIn(rc: AlRunConfig, finished: readonly RunResult[]): RunResult {
  const like = finished.find((r) => r.config.steps === rc.steps && r.config.acquireSize === rc.acquireSize && r.config.initialPerClass === rc.initialPerClass);
  const records: StepRecord[] = Array.from({ length: rc.steps + 1 }, (_, i) => ({
    step: i, labelled: like ? like.records[i].labelled : 10 * rc.initialPerClass + i * rc.acquireSize, testAccuracy: 0.5, valAccuracy: 0.5, testMeanMI: NaN, acquired: [], trainEpochs: 0, bestEpoch: -1, valLoss: NaN,
    seconds: { train: 0, evaluate: 0, acquire: 0 },
  }));
  return { key: runKey(rc), config: rc, records, backend: "plan", finishedAt: "" };
}

/**
 * The claims each missing run is needed for: those that stay undecided when only that run is absent (a
 * missing run's finished shorter run, where one exists, stays in its place: what the tables read without it).
 */
export function claimsWaitingFor(missing: readonly AlRunConfig[], finished: readonly RunResult[], claims: (r: readonly RunResult[]) => Claim[],
  shorter: readonly RunResult[] = []): string[][] {
  const all = [...finished, ...missing.map((rc) => standIn(rc, finished))];
  const decided = claims(all).map((c) => !waitsForRuns(c.verdict));
  return missing.map((rc, i) => {
    const ownShorter = shorter.filter((r) => sameButSteps(r.config, rc));
    const without = claims([...finished, ...ownShorter, ...missing.filter((__, j) => j !== i).map((m) => standIn(m, finished))]);
    return without.filter((c, k) => decided[k] && waitsForRuns(c.verdict)).map((c) => c.claim);
  });
}

/**
 * Measures what nothing measured yet: for each kind of missing run without an estimate, or with only a lower
 * bound from other strategies (model, data, strategy, batch size), its first `steps` steps in a scratch
 * folder that is then removed. The records
 * returned are a basis for planRuns (labelled "measured here").
 */
export async function measureUnestimated(def: SweepDefinition, plan: RunPlan, steps: number, log: (line: string) => void): Promise<RunResult[]> {
  // Measured on the backend runs use: without initBackend, tfjs' pure-JS default is ~50x slower than wasm.
  const backend = activeBackend();
  if (!backend) throw new Error("measureUnestimated: no compute backend started (call initBackend first: the estimate must come from the backend runs use)");
  const scratch = new RunStore(mkdtempSync(join(tmpdir(), "bal-plan-measure-"))).ensureWritable();
  // Also when a signal ends the process mid-measurement (the CLI exits from its SIGTERM / SIGINT handler).
  const removeScratch = () => rmSync(scratch.dir, { recursive: true, force: true });
  process.once("exit", removeScratch);
  const kinds = new Set<string>();
  const measured: RunResult[] = [];
  try {
    for (const { config: rc } of plan.missing.filter((p) => p.estimateS === null || p.estimateAtLeast)) {
      const kind = `${rc.model}|${rc.dataset}|${rc.strategy}|${rc.acquireSize}`;
      if (kinds.has(kind)) continue;
      kinds.add(kind);
      log(`measuring ${runLabel(rc)}: its first ${Math.min(steps, rc.steps + 1)} step(s) in a scratch folder (backend '${backend.tfBackend}')`);
      const done = await runActiveLearning(await def.dataset(rc.dataset), def.model(rc.model, rc.modelOptions), strategyByName(rc.strategy, rc.strategyOptions), rc,
        { store: scratch, maxStepsThisCall: steps, modelFor: (o) => def.model(rc.model, o) });
      const records = done?.records ?? scratch.loadCheckpoint<Checkpoint>(runKey(rc))?.records ?? [];
      measured.push({ key: runKey(rc), config: rc, records, backend: MEASURED_HERE, finishedAt: "" });
    }
  } finally {
    removeScratch();
    process.removeListener("exit", removeScratch);
  }
  return measured;
}

const MEASURED_HERE = "measured here";
/** The backend field of a basis run read from a checkpoint (an unfinished run: its steps so far). */
const IN_FLIGHT = "checkpoint";

/** The plan of a profile: what is missing, what it costs, what it decides (`extraBasis`: measureUnestimated's runs). */
export function planRuns(def: SweepDefinition, claims: (r: readonly RunResult[]) => Claim[], store: RunStore = sweepStore(def), extraBasis: readonly RunResult[] = []): RunPlan {
  const reference = isReferenceProfile(def.profile);
  const status = reference ? referenceStatus(def) : null;
  // Shorter stand-ins are not finished runs of the plan (their planned runs are missing).
  const { results, missing } = status ? { results: status.current.filter((r) => !status.shorter.includes(r)), missing: status.missing } : collectRuns(def, store);
  // Measured step costs: every finished run of this experiment we can read (committed references, stale ones included, and this
  // profile's), and the steps the checkpoints of this profile's unfinished runs hold (a run in flight measures its kind early).
  const checkpoints = missing.map((rc) => store.loadCheckpoint<Checkpoint>(runKey(rc)));
  const inFlight = missing.flatMap((rc, i): RunResult[] => checkpoints[i]?.records.length ? [{ key: runKey(rc), config: rc, records: checkpoints[i]!.records, backend: IN_FLIGHT, finishedAt: "" }] : []);
  const measured = [...(existsSync(referenceDir(def.experiment)) ? loadResultsUnder(referenceDir(def.experiment)) : []), ...(reference ? [] : results), ...inFlight, ...extraBasis];
  const waiting = claimsWaitingFor(missing, results, claims, status?.shorter);
  const planned = missing.map((rc, i) => {
    const checkpointed = checkpoints[i]?.records.length;
    const shorter = checkpointed === undefined ? findPrefixRun(store, rc) : null;
    const done = checkpointed ?? shorter?.config.steps ?? 0;
    const est = estimateSteps(rc, done, measured);
    return { config: rc, label: runLabel(rc), stepsDone: done, resumesFrom: shorter ? "shorter run" as const : "checkpoint" as const, stepsLeft: rc.steps + 1 - done, estimateS: est.seconds, estimateAtLeast: est.atLeast, basis: est.basis, unlocks: waiting[i] };
  });
  return {
    experiment: def.experiment, profile: def.profile, finished: results.length, missing: planned,
    totalS: planned.reduce((s, p) => s + (p.estimateS ?? 0), 0), unknown: planned.filter((p) => p.estimateS === null).length,
    atLeast: planned.filter((p) => p.estimateS !== null && p.estimateAtLeast).length,
  };
}

/** Seconds as hours: two decimals under an hour, one above. */
export const formatHours = (s: number) => (s / 3600).toFixed(s < 3600 ? 2 : 1);

/** A run's estimate for the tables: "?" when nothing is measured, ">= " when it is a lower bound. */
export const formatEstimate = (r: PlannedRun) => (r.estimateS === null ? "?" : `${r.estimateAtLeast ? ">= " : ""}${formatHours(r.estimateS)} h`);

/** The plan as text for the CLI and the README. */
export function formatPlan(p: RunPlan): string {
  const lines = [`${p.experiment} / ${p.profile}: ${p.finished} finished, ${p.missing.length} missing; estimated ${p.atLeast ? "at least " : ""}${formatHours(p.totalS)} core-hours` +
    (p.atLeast ? ` (${p.atLeast} run(s) estimated without their acquisition: only other strategies measured)` : "") +
    (p.unknown ? ` plus ${p.unknown} run(s) with nothing measured to estimate from` : "") +
    " (recorded per-step seconds of finished runs: one wasm thread on the machine that made them)"];
  if (p.missing.length) {
    lines.push("| run | steps left | estimate | from | claims waiting for it |", "| --- | ---: | ---: | --- | --- |");
    for (const r of p.missing) {
      lines.push(`| ${r.label} | ${r.stepsLeft}${r.stepsDone ? (r.resumesFrom === "checkpoint" ? ` (checkpoint at ${r.stepsDone})` : ` (extends a finished ${r.stepsDone}-step run)`) : ""} | ${formatEstimate(r)} | ${r.basis} | ${r.unlocks.length ? r.unlocks.join("; ") : "none alone"} |`);
    }
  }
  return lines.join("\n");
}
