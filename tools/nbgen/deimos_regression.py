import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/deimos-regression.ipynb", [
(M, r"""
# DEIMOS: expected improvement in predictive uncertainty (paper 004)

DEIMOS labels the point whose label is expected to shrink the total predictive variance over a
representative sample set the most. With J dropout masks shared by all points (consistent MC dropout)
and the centred J × S prediction matrix P, the predictive covariance is V = τ⁻¹I + (1/J)PᵀP and
labelling point j reduces its trace by EI_j = Σᵢ V_ij² / V_jj (regression). Classification uses c × c
blocks of class probabilities: EI_j = tr(V_:j (V_jj + τ_s⁻¹I)⁻¹ V_j:). A batch is built greedily,
conditioning V on each pick: V ← V − V_:j (V_jj + τ_s⁻¹I)⁻¹ V_j:.

**Implementation**: V (cS × cS) is never formed. We keep V = τ⁻¹I + F diag(±1) Fᵀ with F of width
J + c·(picks so far) and score every candidate from F and the small Gram matrix FᵀF
(`src/acquisition/deimos.ts`); tests check it against the dense form and against brute-force trace
reductions, and `node build/bench/deimos.js` measures the scaling.

Sections: (1) the Appendix A example and simulation, (2) Figure 1 on synthetic 1-D regression,
(3) MNIST 7 vs 9 (Table 2) and 0–9 with batch diversity (Figure 3). **Profiles** (`BAL_PROFILE`): `paper`;
`smoke` — a **REDUCED configuration** whose numbers are not comparable to the paper's.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as dm from "./src/experiments/deimos/index";
import { deimosGreedyDense, optimalBatch } from "./src/acquisition/deimos";
import { publishFigure, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = dm.deimosProfile(profileFromEnv());
await startNotebook(cfg, "deimos");
const fdir = figuresDir("deimos", cfg.profile);
const tdir = tablesDir("deimos", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
"""),
(M, r"""
## Protocol

Generated from the profile's configuration: what the paper says, what the authors' code does, what this
profile does, and the verdict. Known gaps show as deviations with their reason.
"""),
(C, r"""
import { DEIMOS_PROTOCOL } from "./src/experiments/deimos/protocol";
import { publishProtocol } from "./src/notebook/publish";
publishProtocol(DEIMOS_PROTOCOL, cfg, tablesDir("deimos", cfg.profile), "paper 004 (no public code for its classification runs)");
"""),
(M, r"""
## 1. Appendix A: greedy vs optimal batches

The paper's 3 × 3 example, V = [[9,3,2],[3,2,3],[2,3,9]] with batch size 2: greedy takes point 2 and then
point 1 or 3 (total ≈ 16.9); the best pair {1, 3} reduces the trace by ≈ 19.6. Then the simulation: random
V from i.i.d. normal predictions (τ⁻¹ = 10% of the mean variance), greedy / optimal trace reduction for batch
sizes 2, 5 and 10, the optimum found by searching every batch.
"""),
(C, r"""
const V = Float64Array.from([9, 3, 2, 3, 2, 3, 2, 3, 9]);
const g = deimosGreedyDense(V, 3, 2);
const opt = optimalBatch(V, 3, 2);
publishTable([
  { batch: "greedy (ours)", points: g.picked.map((i) => i + 1).join(", "), "trace reduction": +(g.gains[0] + g.gains[1]).toFixed(3), paper: "2, then 1 or 3: ≈ 16.9" },
  { batch: "optimal (ours)", points: opt.batch.map((i) => i + 1).join(", "), "trace reduction": +opt.reduction.toFixed(3), paper: "1, 3: ≈ 19.6" },
], tdir, "appendix-a-example", "Appendix A example (points numbered from 1)");
const ratios = dm.appendixASimulation(cfg.appendixA);
publishTable(Object.entries(ratios).map(([k, r]) => ({
  "batch size": Number(k), trials: r.length, "min ratio (ours)": +Math.min(...r).toFixed(4),
  "mean ratio (ours)": +(r.reduce((a, b) => a + b, 0) / r.length).toFixed(4), "share > 0.97 (ours)": +(r.filter((x) => x > 0.97).length / r.length).toFixed(3),
  paper: "all ratios > 0.97",
})), tdir, "appendix-a-simulation", `Greedy / optimal trace reduction over random V (${cfg.appendixA.points} points, J=${cfg.appendixA.J})${label}`);
console.log(`exported ${await publishFigure(dm.appendixAFigure(cfg, ratios), fdir, "deimos-appendix-a-ratios")}.{png,svg,pdf}`);
"""),
(M, r"""
## 2. Figure 1: 1-D regression

Data from a random tanh MLP [32, 32] with N(0, 1) weights plus Gaussian noise (std 10% of the function's);
labelled points are sparse in |x| < 2.5. An MLP [256, 256, 256] with dropout 0.2 and an L2 penalty λ = 5e-4 on
its dense kernels (Appendix D) is fitted; J masks shared by the grid and the labelled points give V; τ⁻¹ = 15% of the mean dropout
variance (the paper: 10–20%). Left: predictions ± 1 std, EI over x (right axis) and the batch of 5 in construction
order; right: the refit after labelling that batch. The table compares the same step for the paper's regression
baselines (top-k MC variance, random): one batch from one fitted model, so it illustrates, it does not rank.
"""),
(C, r"""
const reg = await dm.regression1d(cfg.regression);
console.log(`tau^-1 = ${reg.tauInv.toExponential(3)}; batch (x in construction order): ${reg.batch.map((i) => reg.grid[i].toFixed(2)).join(", ")}`);
console.log(`gains: ${reg.gains.map((v) => v.toFixed(4)).join(", ")}`);
console.log(`grid MSE against the noiseless function: before ${reg.testMse.before.toFixed(4)}, after ${reg.testMse.after.toFixed(4)}`);
for (const [name, fig] of Object.entries(dm.regressionFigures(cfg, reg))) console.log(`exported ${await publishFigure(fig, fdir, name)}.{png,svg,pdf}`);
publishTable(reg.comparison.map((c) => ({ method: c.method, "batch (x)": c.batch.map((i) => reg.grid[i].toFixed(2)).join(", "),
  "grid MSE after refit (ours)": +c.mse.toFixed(5), "grid MSE before": +reg.testMse.before.toFixed(5) })),
  tdir, "regression-1d-baselines", `1-D regression: one batch of ${cfg.regression.batch} from DEIMOS and the regression baselines (one seed)${label}`);
"""),
(M, r"""
## 3. MNIST 7 vs 9 and 0–9

LeNet-5 with dropout before each of its three dense layers (§3.2) and MC dropout (T = 50 consistent masks),
balanced initial sets (10 for 7 vs 9, 30 for 0–9), validation sets of 10 / 30 images and 2,500 (7 vs 9) / 2,000
(0–9) random unlabelled candidates per step as in the paper's Appendix D; batch-25 arms to 1,000 (7 vs 9) and
500 (0–9) acquisitions. Baselines: max entropy, BALD, BatchBALD (batch runs), greedy k-center on the penultimate-layer
activations (the plain greedy core-set; the *robust* variant's outlier-tolerant refinement is not implemented) and random.
"""),
(C, r"""
const results = await dm.runDeimosSweep(cfg, { log: (line) => console.log(line) });
const { missing } = dm.collectDeimosResults(cfg);
console.log(`${results.length} finished runs; missing: ${missing.length ? missing.map((m) => `${m.strategy} b=${m.acquireSize} seed ${m.seed}`).join(", ") : "none"}`);
"""),
(M, r"""
### Table 2: acquisitions needed to reach a test accuracy

Read off the mean curve over seeds (Average-Step); ∞ when never reached within the budget. The paper's
columns exist for its single-point 7 vs 9 arm only.
"""),
(C, r"""
publishTable(dm.table2(cfg, results), tdir, "table2-acquisitions-to-accuracy", `Acquired samples to reach a test accuracy${label}`);
for (const [name, fig] of Object.entries(dm.classificationFigures(cfg, results))) console.log(`exported ${await publishFigure(fig, fdir, name)}.{png,svg,pdf}`);
await closeRenderer();
"""),
(M, r"""
## Choices the paper leaves open

Every point is a row of the protocol table above; in short:
- The sample set of the MNIST runs is the scored candidate subset plus the labelled points that App. D's draw
  from X_train ∪ X_pool includes (simulated every step: about candidates / pool of them), all from the same J
  masks; only candidates can be picked (`deimos(labelled=0)`: candidates only). τ_s is a constant, as
  App. E says: τ_s⁻¹ = 0.5% (the paper: 0.1–1%) of the initial model's mean class-probability variance over the
  validation set's MC passes, fixed at the first query and kept (checkpointed) for the rest of the run.
- LeNet-5 with dropout before its three dense layers (the paper's CNN is in its code, not its text), retrained
  from scratch every step for 200 full-batch epochs of Adam (lr 1e-3) with the L2 penalty C/N on the dense
  kernels, keeping the weights of lowest validation loss. The dropout rates p and C are tuned once per run on
  the initial set as App. E says (p by the R² of squared error vs predicted variance on the validation set,
  then C by validation accuracy); the grids and tie rules are ours and are in the protocol table.
- Table 2 aggregates runs through the mean curve (Average-Step); the paper does not say how it aggregates.
- Batch diversity is computed for every strategy from the mean MC predictive of the acquired points (strategies
  that do not use MC predictions get T extra passes over the batch from a side generator, so their acquisitions
  are unchanged).
"""),
(M, r"""
## Reference run: what this workspace measured with the paper's protocol

Whatever profile this notebook runs, this section reads the **committed** runs of the `reference` profile
(`reference-results/deimos/`: the `paper` protocol with its single-point MNIST 7 vs 9 arm cut to 160
acquisitions and its batch-25 arms without BALD, its protocol table via `BAL_PROFILE=reference`) and computes no new run (`make reference`
does). A stored run whose configuration differs from the current `reference` profile is listed as stale and
left out. The paper publishes no per-step results, so there are no published curves to overlay.
"""),
(C, r"""
import { describeReferenceStatus, referenceStatus } from "./src/report/reference";
import { publishClaims } from "./src/notebook/publish";
const ref = dm.deimosProfile("reference");
const refStatus = referenceStatus(dm.deimosSweep(ref));
console.log(describeReferenceStatus(refStatus));
const rdir = tablesDir("deimos", "reference");
publishTable(dm.table2(ref, refStatus.current), rdir, "table2-acquisitions-to-accuracy", `Reference runs (${refStatus.current.length} of ${refStatus.planned.length}): acquisitions to reach a test accuracy, beside Table 2`);
publishClaims(dm.deimosClaimsWithSimulation(ref, refStatus.current), rdir, "Claims of DEIMOS, decided from the reference runs");
// App. E's tuning per run: what it chose, and where the initial model starts (the paper's Random needs 48 acquisitions to 95%).
if (refStatus.current.length) publishTable(dm.tuningTable(refStatus.current), rdir, "tuning-and-start", "Reference runs: tuned dropout p and C, start accuracy, acquisitions to 95%");
if (refStatus.current.length) {
  for (const [name, fig] of Object.entries(dm.classificationFigures(ref, refStatus.current))) console.log(`exported ${await publishFigure(fig, figuresDir("deimos", "reference"), name)}.{png,svg,pdf}`);
}
await closeRenderer();
"""),
])
