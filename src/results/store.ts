// Results on disk: every run is keyed by a stable hash of its full configuration. A finished
// run is written atomically (temp file + rename) and never recomputed; a run in progress keeps
// a checkpoint after every step so a killed run redoes at most the step in flight. A per-run lock
// file keeps two processes (two shards by mistake, a resubmitted array, a notebook beside the CLI)
// from training the same run; every file read back is checked before it is trusted.
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** JSON with object keys sorted, so equal configurations give equal strings. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
}

export function configKey(config: unknown): string {
  return createHash("sha256").update(stableStringify(config)).digest("hex").slice(0, 16);
}

const HOST = hostname();

/**
 * What makes a stored result not a finished run, or null: it must carry the config its key is the hash
 * of, and one record per step (steps + 1, the initial model included), each with a test accuracy in [0, 1].
 * Checked wherever a result is read (a sweep's "already finished", tables, compare), not only on resume.
 */
export function resultProblem(r: Record<string, unknown>, key: string): string | null {
  const config = r.config;
  if (config === null || typeof config !== "object" || Array.isArray(config)) return "no 'config': not a finished run";
  const hash = configKey(config);
  if (hash !== key) return `its config hashes to ${hash}, not to its key ${key} (an edited config or key)`;
  if (!Array.isArray(r.records)) return "no 'records': not a finished run";
  const steps = (config as { steps?: unknown }).steps;
  if (typeof steps === "number" && r.records.length !== steps + 1) return `${r.records.length} step records, expected steps + 1 = ${steps + 1} (an unfinished or cut result)`;
  const bad = r.records.findIndex((s) => {
    const acc = (s as { testAccuracy?: unknown } | null)?.testAccuracy;
    return !(typeof acc === "number" && acc >= 0 && acc <= 1);
  });
  if (bad >= 0) return `records[${bad}] has no test accuracy in [0, 1]`;
  return null;
}

/**
 * Writes `text` to `path` atomically: a temporary file named after this host and process (no clash
 * between hosts sharing a results folder), then a rename. On failure (disk full, read-only folder)
 * the temporary file is removed and the error names the path.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${HOST}-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Who holds a run's lock. */
export interface LockOwner {
  host: string;
  pid: number;
  since: string;
}

/** Seconds without a heartbeat after which another host's lock counts as abandoned (BAL_LOCK_STALE_S, default 6 h). */
export function lockStaleSeconds(): number {
  const raw = process.env.BAL_LOCK_STALE_S;
  const s = raw == null || raw === "" ? 6 * 3600 : Number(raw);
  if (!(s > 0)) throw new Error(`BAL_LOCK_STALE_S=${raw}: expected a positive number of seconds`);
  return s;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class RunLock {
  constructor(readonly path: string) {}

  /** Marks the lock as alive (called after every finished step: the lock's mtime is its heartbeat). */
  heartbeat(): void {
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      // a vanished lock is re-created by nobody: the run finishes and releases it anyway
    }
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

export class RunStore {
  constructor(readonly dir: string) {}

  /** Creates the folder and proves it writable, before any training starts. */
  ensureWritable(): this {
    try {
      mkdirSync(this.dir, { recursive: true });
      const probe = join(this.dir, `.write-test-${HOST}-${process.pid}`);
      writeFileSync(probe, "ok");
      rmSync(probe);
    } catch (e) {
      throw new Error(`Results folder ${this.dir} is not writable (${(e as Error).message}); set BAL_RESULTS_DIR or fix its permissions.`);
    }
    return this;
  }

  /** The file of a run's result, checkpoint or lock (for messages). */
  path(key: string, kind: "result" | "checkpoint" | "lock"): string {
    return join(this.dir, kind === "result" ? `${key}.json` : kind === "checkpoint" ? `${key}.checkpoint.json` : `${key}.lock`);
  }

  /** Whether a valid finished result exists (a damaged file is an error naming it, not "finished"). */
  has(key: string): boolean {
    return this.load(key) !== null;
  }

  load<T>(key: string): T | null {
    return this.read<T>(this.path(key, "result"), key, "result");
  }

  save(key: string, value: unknown): void {
    writeFileAtomic(this.path(key, "result"), JSON.stringify(value));
    rmSync(this.path(key, "checkpoint"), { force: true });
  }

  loadCheckpoint<T>(key: string): T | null {
    return this.read<T>(this.path(key, "checkpoint"), key, "checkpoint");
  }

  saveCheckpoint(key: string, value: unknown): void {
    writeFileAtomic(this.path(key, "checkpoint"), JSON.stringify(value));
  }

  /**
   * Takes the run's lock, or returns who holds it. The lock is a file created with O_EXCL (atomic on
   * local and NFS folders); it is taken over when its holder is dead (same host: the pid no longer
   * exists) or silent (another host: no heartbeat for BAL_LOCK_STALE_S seconds).
   */
  tryLock(key: string): RunLock | LockOwner {
    const path = this.path(key, "lock");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, "wx");
        try {
          writeSync(fd, JSON.stringify({ host: HOST, pid: process.pid, since: new Date().toISOString() } satisfies LockOwner));
        } finally {
          closeSync(fd);
        }
        return new RunLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot create lock ${path}: ${(e as Error).message}`);
      }
      const owner = this.lockOwner(path);
      if (owner && !this.abandoned(path, owner)) return owner;
      rmSync(path, { force: true }); // abandoned (or unreadable): take it over
    }
    return this.lockOwner(path) ?? { host: "?", pid: -1, since: "?" };
  }

  private lockOwner(path: string): LockOwner | null {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    } catch {
      return null;
    }
  }

  private abandoned(path: string, owner: LockOwner): boolean {
    if (owner.host === HOST) return !processAlive(owner.pid);
    try {
      return (Date.now() - statSync(path).mtimeMs) / 1000 > lockStaleSeconds();
    } catch {
      return true;
    }
  }

  /** Every finished result in the folder. */
  all<T>(): T[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json") && !f.endsWith(".checkpoint.json"))
      .map((f) => this.read<T>(join(this.dir, f), f.slice(0, -".json".length), "result"))
      .filter((r): r is T => r !== null);
  }

  /** Reads a stored file: it must be a JSON object carrying the key it is stored under. */
  private read<T>(path: string, key: string, kind: "result" | "checkpoint"): T | null {
    if (!existsSync(path)) return null;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new Error(`Cannot read ${path}: ${(e as Error).message}. Delete it to recompute that run.`);
    }
    const fail = (what: string) => new Error(`${path}: ${what}. Delete it to recompute that run${kind === "checkpoint" ? " from its start" : ""}.`);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw fail(`not a stored ${kind} (got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value})`);
    const stored = (value as { key?: unknown }).key;
    if (stored !== key) throw fail(stored === undefined ? `no 'key' field: not a stored ${kind}` : `holds the ${kind} of run ${JSON.stringify(stored)}, not of ${key} (copied under another run's name?)`);
    if (kind === "result") {
      const problem = resultProblem(value as Record<string, unknown>, key);
      if (problem) throw fail(problem);
    }
    return value as T;
  }
}
