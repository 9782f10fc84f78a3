import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/softmax-repeated-mnist.ipynb", [
(M, r"""
# Stochastic batch acquisition vs BALD and BatchBALD on RepeatedMNIST (paper 002)

Top-k batch acquisition takes the B highest one-sample scores and so fills a batch with near-duplicates.
Paper 002 instead *samples* the batch: add Gumbel noise to β·score and take the top B, i.e. draw B points
without replacement from softmax(β·score) (**SoftmaxBALD**; **Power** uses log score, **Softrank** uses
log 1/rank; β = 1/temperature, β = 0 is random). Baselines: top-k BALD, top-k EPIG, greedy **BatchBALD**.

**Data**: RepeatedMNIST — the MNIST training set repeated twice, each copy with its own N(0, 0.1²) pixel
noise added after normalisation (`copies` is a parameter; BatchBALD's original used three); clean test set;
initial 20 labelled (2 per class). **Model**: LeNet-5 with MC dropout; acquisition on *consistent* MC dropout
(one mask per pass shared by all inputs), needed by BatchBALD's and EPIG's joint predictions.

**What is implemented**: BALD, entropy, EPIG top-k; Softmax/Power/Softrank variants of each
(`softmax-bald(beta=4)`, `power-epig`, ...); BatchBALD, exact while Cⁿ⁻¹ ≤ M joint configurations, then M
sampled configurations (importance-weighted); EPIG with target inputs drawn from the scored pool subset
(100 by default). **BatchEPIG is not implemented** (its joint over targets × batch configurations costs
another factor of the target count over BatchBALD), so the paper's BatchEPIG-BALD row has no "ours".

**Profiles** (`BAL_PROFILE`):
- `paper` — the draft's text: LeNet-5, Kirsch et al.'s training regime (which the text says it follows), the
  Softmax of eq. (2), the whole pool scored with K = 100, until the training set reaches 300.
- `authors-code` — what produced the published numbers (BlackHC/active_learning_redux; recomputed from the
  authors' stored runs, 19 of Table 1's 20 cells come out exactly): BatchBALD's BayesianMNISTCNN, K = 20,
  validation 4,096, at most 10 epochs, BatchBALD's fixed initial pool positions, test accuracy from 4 MC
  samples, and "SoftmaxBALD" as p ∝ score⁸ without replacement (`power-bald(beta=8)`). **Compare the paper's
  numbers with this profile**; its figures draw the authors' runs dashed beside ours.
- `smoke` — a **REDUCED configuration** for CI: its numbers are not comparable to the paper's and are labelled so.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as sm from "./src/experiments/softmax-repeated-mnist/index";
import { publishFigure, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = sm.softmaxProfile(profileFromEnv());
await startNotebook(cfg, "softmax-repeated-mnist");
"""),
(M, r"""
## Protocol

Generated from the profile's configuration: what the paper says, what the authors' code does, what this
profile does, and the verdict. Known gaps show as deviations with their reason.
"""),
(C, r"""
import { SOFTMAX_PROTOCOL } from "./src/experiments/softmax-repeated-mnist/protocol";
import { publishProtocol } from "./src/notebook/publish";
publishProtocol(SOFTMAX_PROTOCOL, cfg, tablesDir("softmax-repeated-mnist", cfg.profile), "paper 002 and its authors' code (BlackHC/active_learning_redux)");
"""),
(M, r"""
## Run the sweep (strategy × acquisition size × seed, plus the temperature ablation)

Each run is keyed by a hash of its full configuration under `results/softmax-repeated-mnist/<profile>/`; finished
runs are loaded, interrupted ones resume at their last finished step. The same sweep runs from the CLI
(`npx bal run softmax-repeated-mnist --profile paper --shard i/n`) or as a Slurm array (`npx bal sbatch ...`).
"""),
(C, r"""
const results = await sm.runSoftmaxSweep(cfg, { log: (line) => console.log(line) });
const { missing } = sm.collectSoftmaxResults(cfg);
console.log(`${results.length} finished runs; missing: ${missing.length ? missing.map((m) => `${m.strategy} b=${m.acquireSize} seed ${m.seed}`).join(", ") : "none"}`);
"""),
(M, r"""
## Table 1: training-set size needed to reach a test accuracy

In the paper's unit: the **training-set size, initial 20 included** (the b = 50 cells 170 / 220 / 320 are
20 + k·50). 25% / 50% / 75% quantiles over seeds (linear interpolation, as pandas); ∞ when a run never
reaches the target before the training set reaches 300. The paper's columns are its Table 1 at 90% and 95%.
"no paper number": the paper has no such cell; "not run": our runs are missing; the BatchEPIG-BALD row says
"not implemented". The smoke profile's targets are lower (it stops at a training set of 60).
"""),
(C, r"""
const tdir = tablesDir("softmax-repeated-mnist", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
publishTable(sm.table1(cfg, results), tdir, "table1-samples-to-accuracy",
  `Training-set size (initial 20 included) to reach ${cfg.accuracyTargets.map((t) => `${Math.round(t * 1000) / 10}%`).join(" / ")} test accuracy, quantiles 25/50/75% over ${cfg.seeds.length} seeds${label}`);
"""),
(M, r"""
## Figure 1 (accuracy curves per acquisition size) and Figure 2 (temperature ablation)

Against the training-set size. In the `authors-code` profile the authors' mean curves of the same rows
(their stored runs, `published/stochastic_002_draft_table1_runs.json`) are dashed beside ours. The paper's
ablation uses 30 trials per temperature; the `paper` profile runs 5 seeds. Exported to
`figures/softmax-repeated-mnist/<profile>/` as PNG, SVG and PDF.
"""),
(C, r"""
const fdir = figuresDir("softmax-repeated-mnist", cfg.profile);
for (const [name, fig] of Object.entries(sm.softmaxFigures(cfg, results))) {
  console.log(`exported ${await publishFigure(fig, fdir, name)}.{png,svg,pdf}`);
}
await closeRenderer();
"""),
(M, r"""
## Choices the paper leaves open

Every difference between the text, the authors' code and a profile is a row of the protocol table above.
- Training regime of `paper` (Kirsch et al. 2019, which paper 002 follows): Adam lr 1e-3, batch 64, each epoch
  cycles the labelled set up to 5,056 examples, up to 30 epochs, early stopping with patience 3 on the
  validation loss (validation set 5,000), the weights of lowest validation loss kept; re-initialised every step.
- The whole pool (~118,000 points) is scored every step, as both authors' codes do: a random subset would
  rarely hold a candidate's twin and hide what RepeatedMNIST measures. The MC passes compute the layers
  before the first dropout once per image and run in chunks of 2,048 images, so memory stays bounded.
- BatchBALD keeps M = 10,000 joint configurations by default (batchbald_redux's examples use 10,000–100,000);
  `batchbald(M=...)` changes it, and the BatchBALD benchmark (`node build/bench/batchbald.js`) reports the cost.
- EPIG targets: 100 inputs drawn from the scored candidates every step (`epig(targets=...)`); it is compared
  with the paper's EPIG-BALD row, which the code computes differently ('baldical').
- Test accuracy: the deterministic network (dropout off) in `paper`; the mean of 4 MC samples in `authors-code`.
"""),
(M, r"""
## Reference run: what this workspace measured with the authors' code's protocol

This section reads the **committed** runs of the `reference` profile (`reference-results/softmax-repeated-mnist/`:
`authors-code` cut to Table 1's b = 50 and b = 10 columns — BALD, SoftmaxBALD as p ∝ score⁸, Random — seeds 1-3) and
computes no new run (`make reference` does). Stale runs (config differs from the current profile) are listed
and left out. The authors' runs of the same rows are dashed beside ours; Table 1 in training-set size. A
table sets our runs against the authors' runs of the same row and size (their min..max at each training-set
size; `src/report/spread.ts`): a mean outside their range at one size is noise, outside in one direction along
the curve is a protocol difference to look for (our first SoftmaxBALD b = 50 runs, with K = 50 and one split for
every run where the code has K = 20 and a split per run, all sat above the authors' max at 70 and 120 labelled;
they are in `stale/`).
"""),
(C, r"""
import { describeReferenceStatus, referenceStatus } from "./src/report/reference";
import { publishClaims } from "./src/notebook/publish";
const ref = sm.softmaxProfile("reference");
const refStatus = referenceStatus(sm.softmaxSweep(ref));
console.log(describeReferenceStatus(refStatus));
const rdir = tablesDir("softmax-repeated-mnist", "reference");
publishTable(sm.table1(ref, refStatus.current), rdir, "table1-samples-to-accuracy", `Reference runs (${refStatus.current.length} of ${refStatus.planned.length}): training-set size to reach 90% / 95%, beside Table 1`);
publishClaims(sm.softmaxClaims(ref, refStatus.current), rdir, "Claims of paper 002, decided from the reference runs");
// Against the authors' own runs of the same rows: where our mean curve leaves their min..max (scattered both
// ways: noise; one way throughout: look for the protocol point), then b = 50 size by size.
const spread = sm.spreadSummaryTable(ref, refStatus.current);
if (spread.length) {
  publishTable(spread, rdir, "against-authors-spread", "Reference runs against the authors' runs of the same row and size (training-set size; their min..max over seeds)");
  publishTable(sm.spreadTable(ref, refStatus.current, undefined, [50]), rdir, "against-authors-spread-b50", "b = 50 size by size: our mean and runs beside the authors' min / mean / max (accuracy, %)");
} else console.log("No finished reference run of a row the authors' runs have yet: nothing to set against their spread.");
if (refStatus.current.length) {
  for (const [name, fig] of Object.entries(sm.softmaxFigures(ref, refStatus.current))) console.log(`exported ${await publishFigure(fig, figuresDir("softmax-repeated-mnist", "reference"), name)}.{png,svg,pdf}`);
}
await closeRenderer();
"""),
])
