// Where a result came from: the code (git commit, and whether tracked files had uncommitted changes
// when the process started),
// the compute backend and its thread count, Node and the host. Stored with every finished run
// (not part of its key), so committed reference runs say what produced them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { activeBackend } from "../compute/backend";
import { PROJECT_ROOT } from "../data/files";

export interface Provenance {
  commit: string | null;
  /** Uncommitted changes in tracked files when the run finished. */
  dirty: boolean | null;
  backend: string;
  threads: number | null;
  node: string;
  host: string;
}

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/**
 * The commit a build was made from, where no git repository is at hand (an offline bundle unpacked on
 * a GPU machine: tools/offline-bundle.sh writes build/source.json from the checkout it packs).
 */
export function bundledSource(path = join(PROJECT_ROOT, "build", "source.json")): { commit: string; dirty: boolean } | null {
  if (!existsSync(path)) return null;
  const s = JSON.parse(readFileSync(path, "utf8")) as { commit?: unknown; dirty?: unknown };
  if (typeof s.commit !== "string" || !/^[0-9a-f]{40}$/.test(s.commit) || typeof s.dirty !== "boolean") {
    throw new Error(`${path}: expected {"commit": <40 hex digits>, "dirty": true|false}, got ${JSON.stringify(s)}`);
  }
  return { commit: s.commit, dirty: s.dirty };
}

// Read once, when the process loads this module: the code that runs is the code of that moment,
// even if the tree changes while a long run goes on. Without git, the bundle's record of its source.
const STATUS_AT_START = git(["status", "--porcelain", "--untracked-files=no"]);
const COMMIT_AT_START = git(["rev-parse", "HEAD"]);
const BUNDLED = COMMIT_AT_START === null ? bundledSource() : null;

export function provenance(tfBackend: string): Provenance {
  const b = activeBackend();
  return {
    commit: COMMIT_AT_START ?? BUNDLED?.commit ?? null,
    dirty: STATUS_AT_START !== null ? STATUS_AT_START.length > 0 : BUNDLED ? BUNDLED.dirty : null,
    backend: b ? b.choice : tfBackend,
    threads: b ? b.threads : null,
    node: process.version,
    host: hostname(),
  };
}
