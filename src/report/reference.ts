// Reference runs: the committed results of each experiment's `reference` profile
// (reference-results/<experiment>/, one JSON per finished run; a `reference-<name>` profile's in its
// subfolder <name>/). A stored run whose config is not one of the profile's current runs is stale:
// reported, never mixed in; stale files belong in that folder's stale/. A run of the profile's config
// with fewer steps than planned stands in for the planned run until it finishes (its first steps, exactly).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../data/files";
import { AlRunConfig, RunResult, runKey } from "../loop/active-learning";
import { sameButSteps } from "../loop/extend";
import { referenceDir, SweepDefinition } from "../loop/sweep";
import { configKey, isRunResultFile } from "../results/store";

export interface ReferenceStatus {
  dir: string;
  planned: AlRunConfig[];
  /**
   * Finished runs of the current reference profile, in plan order. A planned run not yet finished whose
   * config a committed run shares but for fewer steps is stood in for by that run: its records are the
   * planned run's first steps exactly (one random stream, see loop/extend), so tables read it up to its budget.
   */
  current: RunResult[];
  /** Planned runs without their own finished result (those with a shorter stand-in included). */
  missing: AlRunConfig[];
  /** The shorter runs in `current` that stand in for a missing planned run. */
  shorter: RunResult[];
  /** Stored runs that are not in the current plan (top level) or were moved to stale/. */
  stale: { file: string; strategy: string; seed: number }[];
  /** Files that fail validation, with the problems. */
  invalid: { file: string; problems: string[] }[];
}

/** Problems of one stored reference result (empty when it is well formed). */
export function validateReferenceResult(value: unknown): string[] {
  const problems: string[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return ["not a JSON object"];
  const r = value as Partial<RunResult>;
  if (typeof r.key !== "string") problems.push("key: missing");
  if (!r.config || typeof r.config !== "object") return [...problems, "config: missing"];
  if (typeof r.key === "string" && configKey(r.config) !== r.key) problems.push(`key ${r.key} is not the hash of its config (${configKey(r.config)})`);
  if (!Array.isArray(r.records)) return [...problems, "records: missing"];
  const c = r.config;
  if (r.records.length !== c.steps + 1) problems.push(`records: ${r.records.length}, expected steps + 1 = ${c.steps + 1}`);
  r.records.forEach((s, i) => {
    if (s.step !== i) problems.push(`records[${i}].step is ${s.step}`);
    if (!(s.testAccuracy >= 0 && s.testAccuracy <= 1)) problems.push(`records[${i}].testAccuracy ${s.testAccuracy} outside [0, 1]`);
    if (i > 0 && s.labelled - r.records![i - 1].labelled !== c.acquireSize) {
      problems.push(`records[${i}].labelled ${s.labelled}: expected ${r.records![i - 1].labelled} + ${c.acquireSize}`);
    }
    if (i < c.steps && s.acquired?.length !== c.acquireSize) problems.push(`records[${i}].acquired has ${s.acquired?.length} indices, expected ${c.acquireSize}`);
    if (!(s.seconds && Number.isFinite(s.seconds.train))) problems.push(`records[${i}].seconds: missing per-step wall time`);
  });
  if (!r.provenance) problems.push("provenance: missing (commit, backend, threads)");
  else if (!r.provenance.commit) problems.push("provenance.commit: missing");
  return problems;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { __unreadable: (e as Error).message };
  }
}

const resultFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter(isRunResultFile).sort() : []);

/** What the reference folder of a sweep holds, against the sweep's current plan. */
export function referenceStatus(def: SweepDefinition, dir = referenceDir(def.experiment, def.profile)): ReferenceStatus {
  const plannedKeys = new Map(def.runs.map((rc) => [runKey(rc), rc]));
  const found = new Map<string, RunResult>();
  const status: ReferenceStatus = { dir, planned: def.runs, current: [], missing: [], shorter: [], stale: [], invalid: [] };
  const candidates = new Map<string, RunResult>(); // planned key -> its longest shorter run
  const staleFile = (file: string, r: RunResult) => status.stale.push({ file, strategy: r.config.strategy, seed: r.config.seed });
  const scan = (sub: string, staleFolder: boolean) => {
    for (const f of resultFiles(join(dir, sub))) {
      const file = join(sub, f);
      const value = readJson(join(dir, file));
      const problems = (value as { __unreadable?: string }).__unreadable ? [`unreadable: ${(value as { __unreadable: string }).__unreadable}`] : validateReferenceResult(value);
      if (problems.length) {
        status.invalid.push({ file, problems });
        continue;
      }
      const r = value as RunResult;
      const longer = staleFolder ? undefined : def.runs.find((rc) => rc.steps > r.config.steps && sameButSteps(rc, r.config));
      if (!staleFolder && plannedKeys.has(r.key)) found.set(r.key, r);
      else if (longer) {
        const key = runKey(longer);
        const before = candidates.get(key);
        if (before && before.config.steps >= r.config.steps) staleFile(file, r);
        else {
          if (before) staleFile(before.key + ".json", before);
          candidates.set(key, r);
        }
      } else staleFile(file, r);
    }
  };
  scan("", false);
  scan("stale", true);
  for (const [key, rc] of plannedKeys) {
    const r = found.get(key);
    const stand = candidates.get(key);
    if (r) status.current.push(r);
    else status.missing.push(rc);
    if (stand && r) staleFile(stand.key + ".json", stand); // the planned run itself is here: its prefix is stale
    else if (stand) {
      status.current.push(stand);
      status.shorter.push(stand);
    }
  }
  return status;
}

/** "4 of 15 planned runs present (2 stale, shown apart)" */
export function describeReferenceStatus(s: ReferenceStatus): string {
  const dir = s.dir.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, s.dir) || "." : s.dir;
  const parts = [`${s.current.length} of ${s.planned.length} planned reference runs present in ${dir}`];
  if (s.shorter.length) parts.push(`${s.shorter.length} of them shorter runs standing in for the first steps of planned longer ones (${s.shorter.map((r) => `${r.config.strategy}/seed ${r.config.seed}, ${r.config.steps} steps`).join(", ")})`);
  if (s.stale.length) parts.push(`${s.stale.length} stale (config differs from the current reference profile; not used): ${s.stale.map((x) => `${x.strategy}/seed ${x.seed}`).join(", ")}`);
  if (s.invalid.length) parts.push(`${s.invalid.length} invalid: ${s.invalid.map((x) => `${x.file} (${x.problems[0]})`).join("; ")}`);
  return parts.join("; ");
}
