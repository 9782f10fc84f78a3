// Are two result folders the same experiment outcome? Compares every finished run of `a` with the
// run of the same key in `b`, ignoring wall-clock fields (seconds per phase, finish time).
import { RunResult } from "../loop/active-learning";
import { RunStore, stableStringify } from "./store";

function outcome(r: RunResult): string {
  return stableStringify({ config: r.config, backend: r.backend, records: r.records.map(({ seconds: _s, ...rest }) => rest) });
}

export interface StoreComparison {
  same: string[];
  differ: string[];
  /** Keys finished in `a` but not in `b`, or in `b` but not in `a`. */
  onlyInA: string[];
  onlyInB: string[];
}

export function compareStores(a: string, b: string): StoreComparison {
  const runsA = new Map(new RunStore(a).all<RunResult>().map((r) => [r.key, r]));
  const runsB = new Map(new RunStore(b).all<RunResult>().map((r) => [r.key, r]));
  const out: StoreComparison = { same: [], differ: [], onlyInA: [], onlyInB: [] };
  for (const [key, r] of runsA) {
    const other = runsB.get(key);
    if (!other) out.onlyInA.push(key);
    else (outcome(r) === outcome(other) ? out.same : out.differ).push(key);
  }
  for (const key of runsB.keys()) if (!runsA.has(key)) out.onlyInB.push(key);
  return out;
}
