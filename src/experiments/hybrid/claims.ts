// Paper 000 claims (Table 1, MNIST), each decided from our runs by the engine in src/report/claims.ts.
import { RunResult } from "../../loop/active-learning";
import { Claim, decideClaim } from "../../report/claims";
import { mean } from "../../report/metrics";
import { groupRuns } from "../../report/runs";
import { BASELINE_LABELS, DATASET_NAMES, finalRecord, HybridExperimentConfig } from "./profiles";
import { PAPER_TABLE1 } from "./published";

/**
 * The paper's MNIST claims (§4.1.2, Table 1), decided from the final test accuracy (mean over our
 * seeds) of the MNIST search part: the order variation ratio > BALD and entropy, every uncertainty
 * baseline above Uniform, and the best MNIST hybrid (decayed geometric mean of variation ratio and
 * posterior variance) above Uniform.
 */
export function hybridClaims(cfg: HybridExperimentConfig, results: readonly RunResult[]): Claim[] {
  const part = cfg.parts.find((p) => p.dataset === "mnist" && p.search);
  if (!part) return [];
  const groups = groupRuns(results.filter((r) => r.config.dataset === DATASET_NAMES.mnist && r.config.steps === part.run.steps && r.config.acquireSize === part.run.acquireSize), (r) => r.config.strategy);
  const bestHybrid = [...groups.keys()].find((s) => s.startsWith("hybrid-vr-gp-decay-geo("));
  const final = (s: string) => mean(groups.get(s)!.map((r) => finalRecord(r).testAccuracy));
  const has = (s: string | undefined): s is string => !!s && (groups.get(s)?.length ?? 0) >= cfg.seeds.length;
  const show = (s: string | undefined) => (s && groups.has(s) ? (100 * final(s)).toFixed(2) : "not run");
  const runs = (ss: (string | undefined)[]) => ss.map((s) => `${s ? BASELINE_LABELS[s] ?? s : "best hybrid"} ${s ? groups.get(s)?.length ?? 0 : 0}/${cfg.seeds.length}`).join(", ");
  const above = (a: string | undefined, b: string): Claim["verdict"] => decideClaim(cfg.reduced, has(a) && has(b), () => final(a!) > final(b));
  const p = (s: string) => PAPER_TABLE1[s].mnist.toFixed(2);
  return [
    { claim: "MNIST: variation ratio ends above BALD", paper: `${p("variation-ratio")} vs ${p("bald")}`, ours: `${show("variation-ratio")} vs ${show("bald")}`, runs: runs(["variation-ratio", "bald"]), verdict: above("variation-ratio", "bald") },
    { claim: "MNIST: variation ratio ends above entropy", paper: `${p("variation-ratio")} vs ${p("max-entropy")}`, ours: `${show("variation-ratio")} vs ${show("max-entropy")}`, runs: runs(["variation-ratio", "max-entropy"]), verdict: above("variation-ratio", "max-entropy") },
    ...["max-entropy", "bald", "variation-ratio"].map((s) => ({
      claim: `MNIST: ${BASELINE_LABELS[s]} ends above Uniform`, paper: `${p(s)} vs ${p("random")}`, ours: `${show(s)} vs ${show("random")}`, runs: runs([s, "random"]), verdict: above(s, "random"),
    })),
    { claim: "MNIST: the best hybrid (decayed geometric mean of VarRatio and posterior variance) ends above Uniform", paper: `96.75 vs ${p("random")}`,
      ours: `${show(bestHybrid)} vs ${show("random")}`, runs: runs([bestHybrid, "random"]), verdict: above(bestHybrid, "random") },
  ];
}
