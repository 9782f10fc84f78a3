import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/survey-catalogue.ipynb", [
(M, r"""
# The survey's catalogue: every DeepAL+ strategy on one loop (paper 001)

Zhan et al.'s comparative survey runs 17 deep active-learning strategies under one learner (ResNet-18) and
one protocol, and reports the area under the budget curve (AUBC), the final accuracy (F-acc), pairwise
win-tie-loss counts with a 0.5% margin, and the cost of each strategy. Their toolkit is DeepAL+
(SineZHAN/deepALplus, read at commit 93c2884). Here every strategy is a name in the registry
(`src/acquisition/strategy.ts`) over the same `Strategy` interface the other notebooks use, so a new strategy
goes beside the whole catalogue by adding its name to `arms`.

**Profiles** (`BAL_PROFILE`): `paper` (the survey's text; DeepAL+'s code where the text is silent),
`authors-code` (DeepAL+'s code where it differs), and `smoke` — a **REDUCED configuration** (LeNet-5, a
300-point pool subset, 3 queries of 10) whose numbers are not comparable to the survey's.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as sv from "./src/experiments/survey/index";
import { publishFigure, publishTable, publishProtocol, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = sv.surveyProfile(profileFromEnv());
await startNotebook(cfg, "survey");
const fdir = figuresDir("survey", cfg.profile);
const tdir = tablesDir("survey", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
"""),
(M, r"""
## Protocol

Generated from the profile's configuration. The survey's Table 2 (initial set, query size and budget per
dataset) did not survive in our copy of the text, so those rows follow DeepAL+'s code: the README's MNIST
demo (`-s 100 -q 1000 -b 100`) and `arguments.py`'s defaults for CIFAR-10 (`-s 1000 -b 128 -q 1000`, i.e.
`int(1000 / 128) = 7` rounds).

Two findings from reading the code. (1) DeepAL+'s ResNet-18 has **no dropout layer**: its
`predict_prob_dropout` only switches the network to training mode, so the 10 "MC dropout" passes differ only
through batch norm, which normalises each unshuffled chunk of 1,000 by its own statistics — the same chunks
every pass, hence **10 identical passes**: BALD and MeanSTD are (up to float noise) zero for every point,
and the "D" versions rank by one batch-statistics pass. `authors-code` reproduces this
(`mcBatchNorm: batch-statistics`, chunk 1,000, no dropout); `paper` puts dropout p = 0.5 before the classifier
(our choice; the text says MC dropout but not where). (2) DeepAL+'s DeepFool keeps a running minimum that is
never updated, so each step goes toward the **last** class rather than the nearest boundary (`last=1`).
"""),
(C, r"""
publishProtocol(sv.SURVEY_PROTOCOL, cfg, tdir, "paper 001 and DeepAL+ (SineZHAN/deepALplus @ 93c2884)");
"""),
(M, r"""
## The catalogue

One row per strategy of the survey: the name this workspace registers, what the loop gives it, and notes.
The survey's **VarRatio** is 1 − max p on one deterministic pass (its eq. 5 and DeepAL+'s `var_ratio.py`) —
the same score as **LeastConf**, so here it shares LeastConf's runs; Gal et al.'s variation ratio (1 − the
share of MC passes voting for the modal class, used in the Gal/Pilz notebook) is listed beside it.
"""),
(C, r"""
import { strategyByName } from "./src/acquisition/strategy";
publishTable([
  ...cfg.arms.map((a) => {
    const s = strategyByName(a.strategy);
    const needs = [s.needsProbs ? (s.predictions === "deterministic" ? "1 deterministic pass" : `${cfg.parts[0].run.T} MC passes`) : "",
      s.needsEmbeddings ? `${s.needsEmbeddings} embeddings` : "", s.needsInputGradients ? "input gradients" : "", s.pseudoLabels ? "pseudo-labels" : ""].filter(Boolean);
    return { strategy: a.label, "registered as": a.strategy, "the loop gives it": needs.join(", ") || "nothing (random)",
      candidates: a.poolSubset ? `${a.poolSubset} random` : cfg.parts[0].run.poolSubset ? `${cfg.parts[0].run.poolSubset} random` : "the whole pool" };
  }),
  ...sv.NOT_IMPLEMENTED.map((n) => ({ strategy: n.label, "registered as": "not implemented", "the loop gives it": n.why, candidates: "" })),
], tdir, "catalogue", `The survey's strategies in this workspace${label}`);
"""),
(M, r"""
Datasets: MNIST and CIFAR-10 run here (verified copies in the data folder). Of the survey's others,
Fashion-MNIST (`src/data/fashion-mnist.ts`, MNIST's idx format, published md5s) and CIFAR-100
(`src/data/cifar100.ts`, the binary tarball, published md5) have loaders tested on small files, but their
images are not available offline here, so they are left out of the runs. EMNIST (idx files inside a zip),
SVHN (MATLAB .mat files), Tiny ImageNet (JPEG folders) and the constructed CIFAR-10-imb have no loader.

## Runs
"""),
(C, r"""
const results = await sv.runSurveySweep(cfg, { log: (line) => console.log(line) });
const { missing } = sv.collectSurveyResults(cfg);
console.log(`${results.length} finished runs; missing: ${missing.length ? missing.length : "none"}`);
"""),
(M, r"""
## AUBC, F-acc and cost

AUBC: as DeepAL+'s `get_aubc` computes it: trapezoids of width b under test accuracy per round (initial
accuracy included), the last one weighted by quota % b when b does not divide the quota, divided by the quota
and rounded to 3 decimals; F-acc: the accuracy after the last query; both mean ± std over
seeds. Cost: mean seconds per query step, split into training, scoring (the model outputs the strategy asks
for: deterministic or MC passes, embeddings) and selection (the strategy itself; the adversarial attacks and
CEAL's pseudo-labelling run here).
"""),
(C, r"""
publishTable(sv.surveyTable(cfg, results), tdir, "aubc-facc-cost", `AUBC, F-acc and cost per query step${label}`);
"""),
(M, r"""
## Win-tie-loss (the survey's Table 3)

For every pair of strategies and every (dataset, seed) both have, a win is an AUBC higher by more than the
0.5% margin (0.005), a loss lower by more than it, a tie otherwise; ranked by wins minus losses. Strategies
sharing runs (VarRatio and LeastConf) tie with each other by construction.
"""),
(C, r"""
publishTable(sv.winTieLossTable(cfg, results), tdir, "win-tie-loss", `Win-tie-loss on AUBC, margin ${cfg.winMargin}${label}`);
for (const [name, fig] of Object.entries(sv.surveyFigures(cfg, results))) console.log(`exported ${await publishFigure(fig, fdir, name)}.{png,svg,pdf}`);
"""),
(M, r"""
## Reference runs: what this workspace measured with DeepAL+'s code's protocol

Whatever profile this notebook runs, this section reads the **committed** runs of the `reference` profile
(`reference-results/survey/`: `authors-code` on MNIST with the eight strategies the headline claims compare,
3 trials) and computes no new run (`make reference` does; ResNet-18 steps cost minutes each on 2 cores, so
`npx bal plan survey --profile reference` says what is left). The claims are decided from these runs.

**Step 0 is near chance in some trials, in DeepAL+'s own code too.** With 100 labels and batch 128, DeepAL+'s
learner gets 20 Adam updates, and the test runs in eval mode on batch norm's running statistics after those
20 updates: in some trials every test image goes to one class. Our step 0 of the reference runs (seed 1)
tests at 11.58%. `tools/survey-step0/` checks this against PyTorch running DeepAL+'s network and training
(`pytorch_peer.py`, `ours.js`, `compare.js`; stored in `reference-results/checks/`). Measured 2026-12-06 on
13 seeds each (initial sets drawn per seed, so they differ between the two sides), eval-mode accuracy on all
10,000 test images: PyTorch mean 32.03% (range 10.10-51.40%, 2 seeds collapsed to one class); ours 27.72%
(11.95-56.21%, 3 collapsed). The mean gap is -4.31 points, and a permutation test gives p = 0.41. So a
chance-level step 0 comes from the protocol itself and is not a fault of our network. Averaged over 3 trials,
it will pull every strategy's AUBC down in the first rounds.
"""),
(C, r"""
import { describeReferenceStatus, referenceStatus } from "./src/report/reference";
import { publishClaims } from "./src/notebook/publish";
const ref = sv.surveyProfile("reference");
const refStatus = referenceStatus(sv.surveySweep(ref));
console.log(describeReferenceStatus(refStatus));
const rdir = tablesDir("survey", "reference");
if (refStatus.current.length) {
  publishTable(sv.surveyTable(ref, refStatus.current), rdir, "aubc-facc-cost", "Reference runs: AUBC, F-acc and cost per query step");
  publishTable(sv.winTieLossTable(ref, refStatus.current), rdir, "win-tie-loss", `Reference runs: win-tie-loss on AUBC, margin ${ref.winMargin}`);
}
publishClaims(sv.surveyClaims(ref, refStatus.current), rdir, "Claims of the survey, decided from the reference runs");
await closeRenderer();
"""),
(M, r"""
## The survey's numbers

The survey's per-dataset AUBC / F-acc table and its win-tie-loss table are figures and tables that did not
survive in our copy of the text, and DeepAL+'s README gives no results, so there is no published number to
print beside ours here; its stated findings are qualitative (uncertainty-based strategies first; KMeans and
VAAL below Random; BADGE 1–3% above KMeans; AdvBIM too slow on large pools).
"""),
])
