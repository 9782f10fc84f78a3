import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/hybrid-cifar10.ipynb", [
(M, r"""
# Hybrid uncertainty × diversity query strategies on MNIST and CIFAR-10 (paper 000)

Uncertainty U ∈ [0, 1] (entropy / ln C, BALD / ln C, variation ratio / (1 − 1/C)) meets diversity D ∈ [0, 1]
computed on the standardised 10-d output logits (the embedding): a **discriminator** p(unlabelled | x)
(the authors' MLP 10 → 10 → 2 trained on the labelled rows, repeated to balance, against the pool subset),
the **GP posterior variance** 1 − k_xᵀK⁻¹k_x (RBF kernel exp(−|a−b|²/20), one Cholesky factorisation with
jitter, never an inverse) and the **minimum distance** to the labelled set divided by its maximum. Six
combinations: arithmetic aU + (1−a)D, geometric UᵃD¹⁻ᵃ, their time-decayed forms (weight 1 − e^(−bt) on U
at query t), and two-stage queries (top g·m by one metric, then the top m by the other), uncertainty-first
and diversity-first: 3 × 3 × 6 = 54 hybrids, plus the 7 baselines (3 uncertainty, 3 diversity, uniform).

Each hybrid's hyperparameter (a, b ∈ 0.1…0.9, g ∈ 2…6) is chosen by the mean final **validation**
accuracy over seeds; every search run is an ordinary run of the store, so it is computed once and reused.
The extended CIFAR-10 run then uses the best hybrids of the CIFAR-10 search.

**Networks**: the authors' (RL-LBAM/DBALHQ `cnn_model.py`), printed below with their parameter counts:
for MNIST three convolutions (64, 128, 10 channels) with batch norm, dropout .25 and max-pooling by 4 (80,010
trainable parameters); for CIFAR-10 five blocks of convolution + batch norm + ReLU + dropout .1 + max-pooling
(64 → 512 → 10 channels, 1,599,006). PyTorch's initialisation, batch-norm eps 1e-5 and momentum 0.1.

**Profiles** (`BAL_PROFILE`):
- `paper` follows the paper's text (the authors' code where the text is silent): re-initialised every query,
  a split per seed, batch norm on running statistics during MC dropout, the variation ratio in [0, 1], top-k
  two-stage queries, best hybrids ranked on validation.
- `authors-code` does what the authors' code did, which is what produced the published numbers: training
  continues across queries, one split for all runs, MC passes with batch norm on batch statistics, the
  variation ratio divided by the pool subset (so inside a hybrid U is almost constant and D decides: the
  MNIST best hybrid, 96.75, is one), the two-stage query's negated argsort indices (near-random picks: the
  CIFAR-10 best hybrid, 43.98, is one), and the best hybrids ranked by **test** accuracy. **Compare the
  paper's numbers with this profile.**
- `smoke` — a **REDUCED configuration** (a few hybrids, tiny budgets, one seed) whose numbers are not
  comparable to the paper's.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as hy from "./src/experiments/hybrid/index";
import { dbalhqMnist, dbalhqCifar10, countParameters, disposeModel } from "./src/models/classifiers";
import { Rng } from "./src/seeding/rng";
import { sweepStore } from "./src/loop/sweep";
import { publishFigure, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = hy.hybridProfile(profileFromEnv());
await startNotebook(cfg, "hybrid");
"""),
(M, r"""
### The authors' networks

DBALHQ's MNIST and CIFAR-10 CNNs as built here (PyTorch initialisation), layer by layer with their parameter
counts (the paper's code: 80,010 and 1,599,006 trainable parameters).
"""),
(C, r"""
for (const build of [dbalhqMnist, dbalhqCifar10]) {
  const m = build(new Rng(0), 10, { init: "pytorch" });
  const trainable = m.net.trainableWeights.reduce((a, w) => a + w.read().size, 0);
  console.log(`\n${m.name}: ${trainable.toLocaleString("en")} trainable parameters + ${(countParameters(m) - trainable).toLocaleString("en")} batch-norm statistics (input ${m.inputShape.join("x")})`);
  m.net.summary(100, undefined, (line: string) => console.log(line));
  disposeModel(m);
}
"""),
(M, r"""
## Protocol

Generated from the profile's configuration: what the paper says, what the authors' code does, what this
profile does, and the verdict. Known gaps show as deviations with their reason.
"""),
(C, r"""
import { HYBRID_PROTOCOL } from "./src/experiments/hybrid/protocol";
import { publishProtocol } from "./src/notebook/publish";
publishProtocol(HYBRID_PROTOCOL, cfg, tablesDir("hybrid", cfg.profile), "paper 000 and its authors' code (RL-LBAM/DBALHQ)");
"""),
(M, r"""
## Run the sweep: search parts, then the extended CIFAR-10 run

Progress lines show the test accuracy per step and an ETA. From the CLI:
`npx bal run hybrid --profile paper --shard i/n` (the extended part is planned once the CIFAR-10 search has
finished; rerun the array then).
"""),
(C, r"""
const store = sweepStore(hy.hybridSweep(cfg));
const results = await hy.runHybridSweep(cfg, { log: (line) => console.log(line) });
const status = hy.collectHybridResults(cfg);
console.log(`${status.results.length} finished runs; missing ${status.missing.length}; parts not yet planned: ${status.pending.join(", ") || "none"}`);
"""),
(M, r"""
## Table 1: final test accuracy (%)

Mean ± std over seeds of the test accuracy after the last query, beside the paper's Table 1 (MNIST, CIFAR-10
and the extended CIFAR-10 run). "best hybrid" is the best hybrid at its chosen hyperparameter, ranked as the
profile's `selectBy` says (the paper: validation; the authors' code: test). Then every hybrid beside the
paper's appendix Tables 1-6, and the extended run's hybrids beside the paper's four. "not run" means our
runs are missing; "no paper number" means the paper reports none.
"""),
(C, r"""
const tdir = tablesDir("hybrid", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
publishTable(hy.table1(cfg, status.results, store), tdir, "table1-final-accuracy", `Final test accuracy (%)${label}`);
for (const part of cfg.parts.filter((p) => p.search)) {
  publishTable(hy.appendixTable(cfg, part, store), tdir, `appendix-${part.name}-hybrids`,
    `${part.name}: every hybrid at its validation-chosen hyperparameter, beside the paper's appendix${label}`);
}
publishTable(hy.extendedHybridTable(cfg, status.results, store), tdir, "table1-extended-hybrids", `Extended CIFAR-10 run: the hybrids${label}`);
"""),
(M, r"""
## Figure 3: accuracy curves

Baselines and the best hybrids per part; exported to `figures/hybrid/<profile>/` (PNG, SVG, PDF).
"""),
(C, r"""
const fdir = figuresDir("hybrid", cfg.profile);
for (const [name, fig] of Object.entries(hy.hybridFigures(cfg, status.results, store))) console.log(`exported ${await publishFigure(fig, fdir, name)}.{png,svg,pdf}`);
await closeRenderer();
"""),
(M, r"""
## Choices of this workspace

- Every difference between the paper's text, the authors' code and each profile is a row of the protocol
  table above; the rest are the same in all profiles.
- Diversity is computed on the candidate pool subset (2,000 per query) against the whole labelled set, the
  embeddings standardised over both (as the code does). Test mutual information is not computed
  (`testMcPasses: 0`), as the authors compute none.
- numpy's argsort is not stable: where scores tie exactly (the variation ratio takes few values), the code's
  order among tied points may differ from ours (stable).
- The `smoke` profile trains the authors' networks on tiny budgets with one seed; its accuracies check that the
  pipeline learns (a test asserts it beats chance by a clear margin), not the method.
"""),
(M, r"""
## Reference run: what this workspace measured with the authors' code's protocol

This section reads the **committed** runs of the `reference` profile (`reference-results/hybrid/`:
`authors-code` on MNIST, 20 queries × 10, one seed on the code's single shared split — Entropy, BALD,
VarRatio, Uniform and the paper's best MNIST hybrid at its published β = 0.6) and computes no new run
(`make reference` does). Stale runs are listed and left out.
"""),
(C, r"""
import { describeReferenceStatus, referenceStatus } from "./src/report/reference";
import { publishClaims } from "./src/notebook/publish";
const ref = hy.hybridProfile("reference");
const refSweep = hy.hybridSweep(ref);
const refStatus = referenceStatus(refSweep);
console.log(describeReferenceStatus(refStatus));
const rdir = tablesDir("hybrid", "reference");
publishTable(hy.table1(ref, refStatus.current, sweepStore(refSweep)), rdir, "table1-final-accuracy", `Reference runs (${refStatus.current.length} of ${refStatus.planned.length}): final test accuracy (%), beside Table 1`);
publishClaims(hy.hybridClaims(ref, refStatus.current), rdir, "Claims of paper 000, decided from the reference runs");
if (refStatus.current.length) {
  for (const [name, fig] of Object.entries(hy.hybridFigures(ref, refStatus.current, sweepStore(refSweep)))) console.log(`exported ${await publishFigure(fig, figuresDir("hybrid", "reference"), name)}.{png,svg,pdf}`);
}
await closeRenderer();
"""),
])
