// Results on disk: every run is keyed by a stable hash of its full configuration. A finished
// run is written atomically (temp file + rename) and never recomputed; a run in progress keeps
// a checkpoint after every step so a killed run redoes at most the step in flight. A per-run lock
// file keeps two processes (two shards by mistake, a resubmitted array, a notebook beside the CLI)
// from training the same run; every file read back is checked before it is trusted.
import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from "node:fs";
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
    // Flushed to disk before the rename: a power loss leaves the old file or the new one, never an empty one.
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Who holds a run's lock: the host, its boot (a hostname shared by several nodes is not trusted alone), the Slurm job, the process. */
export interface LockOwner {
  host: string;
  /** /proc/sys/kernel/random/boot_id where readable (else ""): a reused hostname or a rebooted node is another machine. */
  boot?: string;
  /** SLURM_JOB_ID / SLURM_ARRAY_JOB_ID_TASK, where set. */
  job?: string;
  pid: number;
  since: string;
}

/** Seconds without a heartbeat after which a lock counts as abandoned (BAL_LOCK_STALE_S, default 15 min; the holder beats every BAL_LOCK_HEARTBEAT_S, 30 s). */
export function lockStaleSeconds(): number {
  return positiveSeconds("BAL_LOCK_STALE_S", 15 * 60);
}

export function lockHeartbeatSeconds(): number {
  return positiveSeconds("BAL_LOCK_HEARTBEAT_S", 30);
}

function positiveSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const s = raw == null || raw === "" ? fallback : Number(raw);
  if (!(Number.isFinite(s) && s > 0)) throw new Error(`${name}=${raw}: expected a positive number of seconds`);
  return s;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

const BOOT = readOrEmpty("/proc/sys/kernel/random/boot_id");
const JOB = process.env.SLURM_JOB_ID ? `${process.env.SLURM_JOB_ID}${process.env.SLURM_ARRAY_TASK_ID ? `_${process.env.SLURM_ARRAY_TASK_ID}` : ""}` : undefined;

/** This process as a lock owner. */
export function thisOwner(): LockOwner {
  return { host: HOST, boot: BOOT, ...(JOB ? { job: JOB } : {}), pid: process.pid, since: new Date().toISOString() };
}

/** The owner ran on this machine: same host and boot id (where no boot id is readable, same host and Slurm job). */
const sameMachine = (o: LockOwner) => o.host === HOST && (o.boot ?? "") === BOOT && (BOOT !== "" || o.job === JOB);

/** Whether `pid` on this machine is alive and a bal process (a reused pid of another program is not the holder). */
function balProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const cmdline = readOrEmpty(`/proc/${pid}/cmdline`);
  if (cmdline === "") return true; // no /proc: trust the live pid
  return /cli\.js|\btslab\b|\bnode\b|node --test/.test(cmdline.replace(/\0/g, " "));
}

/** Locks this process holds: released on SIGTERM / SIGINT by the CLI (releaseHeldLocks). */
const HELD = new Set<RunLock>();

export class RunLock {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly path: string, readonly owner: LockOwner) {
    HELD.add(this);
    // A timer beats the heartbeat during long steps too (whenever the event loop turns: every epoch, every MC chunk).
    this.timer = setInterval(() => this.heartbeat(), lockHeartbeatSeconds() * 1000);
    this.timer.unref();
  }

  /** Marks the lock as alive (the lock's mtime is its heartbeat). */
  heartbeat(): void {
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      // a vanished lock is re-created by nobody: the run finishes and releases it anyway
    }
  }

  /** Removes the lock, only if it is still ours (a lock taken over meanwhile by another process stays). */
  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    HELD.delete(this);
    const current = readLockOwner(this.path);
    if (current && current.pid === this.owner.pid && current.host === this.owner.host && current.since === this.owner.since) rmSync(this.path, { force: true });
  }
}

/** Releases every lock this process holds (the CLI calls it on SIGTERM / SIGINT: the step in flight is lost, its checkpoint is not). */
export function releaseHeldLocks(): number {
  const n = HELD.size;
  for (const l of [...HELD]) l.release();
  return n;
}

function readLockOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    return o && typeof o.host === "string" && typeof o.pid === "number" ? o : null;
  } catch {
    return null;
  }
}

/** The profile configuration a notebook writes beside its runs (not a run; src/notebook/setup.ts). */
export const PROFILE_CONFIG_FILE = "config.json";

/** Whether a file in a results folder is a run's result: <key>.json, not a checkpoint or the profile's config. */
export function isRunResultFile(name: string): boolean {
  return name.endsWith(".json") && !name.endsWith(".checkpoint.json") && name !== PROFILE_CONFIG_FILE;
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

  /** Who holds the run's lock now (a live holder, as tryLock judges it), without taking it; null when nobody does. */
  holder(key: string): LockOwner | null {
    const path = this.path(key, "lock");
    let ageS: number;
    try {
      ageS = (Date.now() - statSync(path).mtimeMs) / 1000;
    } catch {
      return null;
    }
    const owner = readLockOwner(path);
    return this.abandoned(owner, ageS) ? null : owner ?? { host: "?", pid: -1, since: "?" };
  }

  /**
   * Takes the run's lock, or returns who holds it. The owner is written to a temporary file first and
   * hard-linked into place (link is atomic and fails if the lock exists, on local and NFS folders), so a
   * reader never sees a lock without its owner. A lock is taken over when its holder is gone: on this
   * machine (same host and boot) its pid is dead or not a bal process; elsewhere no heartbeat for
   * BAL_LOCK_STALE_S seconds.
   */
  tryLock(key: string): RunLock | LockOwner {
    const path = this.path(key, "lock");
    for (let attempt = 0; attempt < 5; attempt++) {
      const owner = thisOwner();
      const tmp = `${path}.tmp-${HOST}-${process.pid}`;
      try {
        writeFileSync(tmp, JSON.stringify(owner));
        linkSync(tmp, path);
        return new RunLock(path, owner);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot create lock ${path}: ${(e as Error).message}`);
      } finally {
        rmSync(tmp, { force: true });
      }
      const holder = readLockOwner(path);
      let ageS: number;
      try {
        ageS = (Date.now() - statSync(path).mtimeMs) / 1000;
      } catch {
        continue; // released between our link and our look: try again
      }
      if (!this.abandoned(holder, ageS)) return holder ?? { host: "?", pid: -1, since: "?" };
      // Abandoned: move it aside atomically (only one taker succeeds). If what we moved is not the lock we
      // judged (another process took the abandoned one over meanwhile and holds a fresh lock), put it back.
      const aside = `${path}.stale-${HOST}-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue; // gone meanwhile: someone else moved it
      }
      const moved = readLockOwner(aside);
      const same = (a: LockOwner | null, b: LockOwner | null) => (a === null && b === null) || (!!a && !!b && a.pid === b.pid && a.host === b.host && a.since === b.since);
      if (!same(moved, holder)) {
        try {
          linkSync(aside, path);
        } catch {
          // a third lock exists already: it is the live one
        }
        rmSync(aside, { force: true });
        return readLockOwner(path) ?? moved ?? { host: "?", pid: -1, since: "?" };
      }
      rmSync(aside, { force: true });
    }
    return readLockOwner(path) ?? { host: "?", pid: -1, since: "?" };
  }

  private abandoned(owner: LockOwner | null, ageS: number): boolean {
    // An unreadable lock (a damaged file; never a half-written one, see tryLock) waits for the stale time too.
    if (owner && sameMachine(owner)) return !balProcessAlive(owner.pid);
    return ageS > lockStaleSeconds();
  }

  /** Every finished result in the folder. */
  all<T>(): T[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter(isRunResultFile)
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
