import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/hybrid-cifar10.ipynb", [
(M, r"""
# Hybrid uncertainty × diversity query strategies on MNIST and CIFAR-10 (paper 000)

Uncertainty U ∈ [0, 1] (entropy / ln C, BALD / ln C, variation ratio / (1 − 1/C)) meets diversity D ∈ [0, 1]
computed on the standardised 10-d output logits (the embedding): a **discriminator** p(unlabelled | x)
(an MLP trained on labelled — resampled to the pool's size — vs pool embeddings), the **GP posterior
variance** 1 − k_xᵀK⁻¹k_x (RBF kernel with bandwidth 2d, one Cholesky factorisation with jitter, never an
inverse) and the **minimum distance** to the labelled set divided by its maximum. Six combinations: arithmetic
aU + (1−a)D, geometric UᵃD¹⁻ᵃ, their time-decayed forms (weight 1 − e^(−bt) on U at query t), and
two-stage queries (top g·m by one metric, then the top m by the other), uncertainty-first and
diversity-first: 3 × 3 × 6 = 54 hybrids, plus the 7 baselines (3 uncertainty, 3 diversity, uniform).

Each hybrid's hyperparameter (a, b ∈ 0.1…0.9, g ∈ 2…6) is chosen by the mean final **validation**
accuracy over seeds; every search run is an ordinary run of the store, so it is computed once and reused.
The extended CIFAR-10 run then uses the best hybrids of the CIFAR-10 search.

**Models** (the paper's figure of the layers is missing; our design, printed below with parameter counts):
NiN-5 for MNIST and NiN-10 for CIFAR-10, convolution blocks with batch norm, 1×1 convolutions, MC dropout,
and a final 1×1 convolution to 10 channels followed by global average pooling (the 10 logits). Batch norm
stays in inference mode during MC-dropout passes.

**Profiles** (`BAL_PROFILE`): `paper`; `smoke` — a **REDUCED configuration** (a few hybrids, tiny budgets,
one seed) whose numbers are not comparable to the paper's.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as hy from "./src/experiments/hybrid";
import { nin5, nin10, countParameters, disposeModel } from "./src/models/classifiers";
import { Rng } from "./src/seeding/rng";
import { sweepStore } from "./src/loop/sweep";
import { publishFigure, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = hy.hybridProfile(profileFromEnv());
await startNotebook(cfg);
for (const build of [nin5, nin10]) {
  const m = build(new Rng(0));
  console.log(`\n${m.name}: ${countParameters(m).toLocaleString("en")} parameters (input ${m.inputShape.join("x")})`);
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
import { HYBRID_PROTOCOL } from "./src/experiments/hybrid-protocol";
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

Mean ± std over seeds of the test accuracy after the last query; "best hybrid" is the hybrid with the best
validation accuracy at its chosen hyperparameter. The paper's columns are its Table 1.
"""),
(C, r"""
const tdir = tablesDir("hybrid", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
publishTable(hy.table1(cfg, status.results, store), tdir, "table1-final-accuracy", `Final test accuracy (%)${label}`);
for (const part of cfg.parts.filter((p) => p.search)) {
  publishTable(hy.appendixTable(cfg, part, store), tdir, `appendix-${part.name}-hybrids`,
    `${part.name}: every hybrid at its validation-chosen hyperparameter${label}`);
}
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
## Choices the paper leaves open

- NiN layouts and widths (above); CIFAR-10 normalised channel-wise with the usual training-set mean and std; MNIST with 0.1307 / 0.3081.
- Training: Adam lr 1e-3, 50 epochs of batch 128, re-initialised every query; the final weights are used (no
  early stopping); test accuracy with dropout off. Test mutual information is not computed here (`testMcPasses: 0`).
- Diversity is computed on the candidate pool subset (2,000 per query) against the whole labelled set; the
  discriminator has one hidden layer of 64 units, 10 epochs of Adam (lr 1e-3, batch 64).
- Two-stage queries rank by scores, never by negated indices (a bug in one public implementation).
- The `smoke` profile trains NiN for only 6-12 epochs on 20-50 images: the networks barely leave chance level
  (batch-norm nets with global average pooling start slowly), so its accuracies check the pipeline, not the
  method. Only the `paper` profile's numbers are comparable to the paper's.
"""),
])
