// Results on disk: every run is keyed by a stable hash of its full configuration. A finished
// run is written atomically (temp file + rename) and never recomputed; a run in progress keeps
// a checkpoint after every step so a killed run redoes at most the step in flight.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export class RunStore {
  constructor(readonly dir: string) {}

  /** Creates the folder and proves it writable, before any training starts. */
  ensureWritable(): this {
    try {
      mkdirSync(this.dir, { recursive: true });
      const probe = join(this.dir, `.write-test-${process.pid}`);
      writeFileSync(probe, "ok");
      rmSync(probe);
    } catch (e) {
      throw new Error(`Results folder ${this.dir} is not writable (${(e as Error).message}); set BAL_RESULTS_DIR or fix its permissions.`);
    }
    return this;
  }

  private path(key: string, kind: "result" | "checkpoint"): string {
    return join(this.dir, kind === "result" ? `${key}.json` : `${key}.checkpoint.json`);
  }

  has(key: string): boolean {
    return existsSync(this.path(key, "result"));
  }

  load<T>(key: string): T | null {
    return this.read<T>(this.path(key, "result"));
  }

  save(key: string, value: unknown): void {
    writeFileAtomic(this.path(key, "result"), JSON.stringify(value));
    rmSync(this.path(key, "checkpoint"), { force: true });
  }

  loadCheckpoint<T>(key: string): T | null {
    return this.read<T>(this.path(key, "checkpoint"));
  }

  saveCheckpoint(key: string, value: unknown): void {
    writeFileAtomic(this.path(key, "checkpoint"), JSON.stringify(value));
  }

  /** Every finished result in the folder. */
  all<T>(): T[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json") && !f.endsWith(".checkpoint.json"))
      .map((f) => this.read<T>(join(this.dir, f)))
      .filter((r): r is T => r !== null);
  }

  private read<T>(path: string): T | null {
    if (!existsSync(path)) return null;
    try {
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (e) {
      throw new Error(`Cannot read ${path}: ${(e as Error).message}. Delete it to recompute that run.`);
    }
  }
}
