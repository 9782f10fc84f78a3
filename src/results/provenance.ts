// Where a result came from: the code (git commit, and whether tracked files had uncommitted changes
// when the process started),
// the compute backend and its thread count, Node and the host. Stored with every finished run
// (not part of its key), so committed reference runs say what produced them.
import { execFileSync } from "node:child_process";
import { hostname } from "node:os";
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

// Read once, when the process loads this module: the code that runs is the code of that moment,
// even if the tree changes while a long run goes on.
const STATUS_AT_START = git(["status", "--porcelain", "--untracked-files=no"]);
const COMMIT_AT_START = git(["rev-parse", "HEAD"]);

export function provenance(tfBackend: string): Provenance {
  const b = activeBackend();
  return {
    commit: COMMIT_AT_START,
    dirty: STATUS_AT_START === null ? null : STATUS_AT_START.length > 0,
    backend: b ? b.choice : tfBackend,
    threads: b ? b.threads : null,
    node: process.version,
    host: hostname(),
  };
}
