// Reference runs: the committed results of each experiment's `reference` profile
// (reference-results/<experiment>/, one JSON per finished run). A stored run whose config is not
// one of the profile's current runs is stale: reported, never mixed in; stale files belong in
// reference-results/<experiment>/stale/.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../data/files";
import { AlRunConfig, RunResult, runKey } from "../loop/active-learning";
import { referenceDir, SweepDefinition } from "../loop/sweep";
import { configKey, isRunResultFile } from "../results/store";

export interface ReferenceStatus {
  dir: string;
  planned: AlRunConfig[];
  /** Finished runs of the current reference profile, in plan order. */
  current: RunResult[];
  missing: AlRunConfig[];
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
export function referenceStatus(def: SweepDefinition, dir = referenceDir(def.experiment)): ReferenceStatus {
  const plannedKeys = new Map(def.runs.map((rc) => [runKey(rc), rc]));
  const found = new Map<string, RunResult>();
  const status: ReferenceStatus = { dir, planned: def.runs, current: [], missing: [], stale: [], invalid: [] };
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
      if (!staleFolder && plannedKeys.has(r.key)) found.set(r.key, r);
      else status.stale.push({ file, strategy: r.config.strategy, seed: r.config.seed });
    }
  };
  scan("", false);
  scan("stale", true);
  for (const [key, rc] of plannedKeys) {
    const r = found.get(key);
    if (r) status.current.push(r);
    else status.missing.push(rc);
  }
  return status;
}

/** "4 of 15 planned runs present (2 stale, shown apart)" */
export function describeReferenceStatus(s: ReferenceStatus): string {
  const dir = s.dir.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, s.dir) || "." : s.dir;
  const parts = [`${s.current.length} of ${s.planned.length} planned reference runs present in ${dir}`];
  if (s.stale.length) parts.push(`${s.stale.length} stale (config differs from the current reference profile; not used): ${s.stale.map((x) => `${x.strategy}/seed ${x.seed}`).join(", ")}`);
  if (s.invalid.length) parts.push(`${s.invalid.length} invalid: ${s.invalid.map((x) => `${x.file} (${x.problems[0]})`).join("; ")}`);
  return parts.join("; ");
}
