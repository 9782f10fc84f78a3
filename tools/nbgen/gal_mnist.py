import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/gal-mnist.ipynb", [
(M, r"""
# Gal et al. 2017 §5.1 on MNIST — as reproduced by Pilz (2025)

Deep Bayesian active learning with MC dropout on MNIST: max entropy (ME), BALD, variation ratio (VR),
mean STD (MSTD) and random acquisition, each retrained from scratch after every acquisition of 10 points.

**Profiles** (`BAL_PROFILE`, or `make reproduce PROFILE=...`):
- `paper`: Pilz's text (paper 003), his code where the text is silent;
- `authors-code`: what Pilz's code did for his published run (the numbers in his tables came from it);
- `gal-original`: Gal et al. 2017 and their public Keras code;
- `reference`, `reference-gal-original`: the runs committed in `reference-results/gal-mnist/` (Pilz's code's
  protocol, cut) and `reference-results/gal-mnist/gal-original/` (Gal's own); the last sections read them;
- `smoke`: a **reduced configuration** of `paper` for CI: its numbers are not comparable to the papers'.

The protocol table below is generated from the profile's configuration: every row says what the paper
says, what the authors' code does, what this profile does, and whether that matches.
Every run is keyed by a hash of its full configuration and saved under `results/gal-mnist/<profile>/`;
re-running this notebook skips finished runs and resumes interrupted ones at their last finished step.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as gal from "./src/experiments/gal-mnist/index";
import { publishClaims, publishFigure, publishProtocol, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = gal.galProfile(profileFromEnv());
await startNotebook(cfg, "gal-mnist");
"""),
(M, r"""
## Protocol
"""),
(C, r"""
const tdir = tablesDir("gal-mnist", cfg.profile);
publishProtocol(gal.galProtocol(cfg), cfg, tdir, gal.galProtocolSources(cfg));
"""),
(M, r"""
The other profiles of this notebook, for comparison (each is what `BAL_PROFILE=<name>` would run):
"""),
(C, r"""
for (const name of Object.keys(gal.GAL_PROFILES).filter((p) => p !== cfg.profile)) {
  const other = gal.galProfile(name);
  publishProtocol(gal.galProtocol(other), other, tdir, gal.galProtocolSources(other));
}
"""),
(M, r"""
## Run the sweep (strategy × seed)

Progress lines give accuracy, mutual information, time per step and an ETA. The same sweep runs from the
command line (`npx bal run gal-mnist --profile smoke [--shard i/n]`) or as a Slurm array (`npx bal sbatch ...`);
this notebook then only aggregates what exists.
"""),
(C, r"""
const results = await gal.runGalSweep(cfg, { log: (line) => console.log(line) });
const { missing } = gal.collectResults(cfg);
console.log(`${results.length} finished runs; missing: ${missing.length ? missing.map((m) => `${m.strategy}/seed ${m.seed}`).join(", ") : "none"}`);
"""),
(M, r"""
## Samples needed to reach a test error (Pilz Tables 2–5, Gal Table 1)

*Step-Average*: the training-set size each run needs, then mean ± std over runs. *Average-Step*: average
the accuracy curves over runs, then read off the size the mean curve needs. Relative columns divide by
Random's number. Each of our columns stands beside a paper column in that column's unit: Pilz counts the
labelled training-set size (initial 20 included; his code: `argmax(acc > threshold) * 10 + 20`), Gal's
Table 1 counts acquired images.
"""),
(C, r"""
for (const e of cfg.errorThresholds) {
  publishTable(gal.samplesTable(cfg, results, e), tdir, `samples-to-${e * 100}pct-error`, gal.samplesCaption(cfg, e));
}
publishTable(gal.finalAccuracyTable(cfg, results), tdir, "final-error",
  `Final test error (%) at the end of the run${cfg.reduced ? " — REDUCED configuration" : ""}; Gal's column: after 1,000 acquired images`);
"""),
(M, r"""
## Did it reproduce?

One line per claim of the papers, decided from our runs (Average-Step, training-set size). A claim is
"reproduced" only from a non-reduced profile with every planned run finished.
"""),
(C, r"""
publishClaims(gal.galClaims(cfg, results), tdir, `Claims of Gal et al. / Pilz${cfg.reduced ? " — REDUCED configuration: no verdicts" : ""}`);
"""),
(M, r"""
## Learning curves beside Pilz's published runs, mutual information, relative cost (Pilz Figures 2, 3, 6)

Solid lines: our runs (mean ± std over seeds). Dashed: Pilz's published per-step results
(`published/pilz_003_mnist.json`, from his repository; mean ± std over his 3 runs), up to this profile's
budget. Figures are exported to `figures/gal-mnist/<profile>/` as PNG, SVG and PDF.
"""),
(C, r"""
const fdir = figuresDir("gal-mnist", cfg.profile);
const figs = gal.galFigures(cfg, results);
for (const [name, fig] of Object.entries(figs)) {
  const base = await publishFigure(fig, fdir, name);
  console.log(`exported ${base}.{png,svg,pdf}`);
}
"""),
(M, r"""
## Reference run: what this workspace measured with Pilz's code's protocol

Whatever profile this notebook runs, this section reads the **committed** runs of the `reference` profile
(`reference-results/gal-mnist/`: `authors-code` cut to the first 30 steps, BALD and Random with seeds 1-3 to
100 steps; its protocol table above) and
computes no new run (`make reference` does). A stored run whose configuration differs from the current
`reference` profile is listed as stale and left out. Tables in Pilz's units, his published curves dashed,
and a table of where our mean curve leaves the range of his 3 runs (`src/report/spread.ts`).
"""),
(C, r"""
import { describeReferenceStatus, referenceStatus } from "./src/report/reference";
const ref = gal.galProfile("reference");
const refStatus = referenceStatus(gal.galSweep(ref));
console.log(describeReferenceStatus(refStatus));
const rdir = tablesDir("gal-mnist", "reference");
for (const e of ref.errorThresholds) {
  publishTable(gal.samplesTable(ref, refStatus.current, e), rdir, `samples-to-${e * 100}pct-error`, `Reference runs (${refStatus.current.length} of ${refStatus.planned.length}): ${gal.samplesCaption(ref, e)}`);
}
publishClaims(gal.galClaims(ref, refStatus.current), rdir, "Claims of Gal et al. / Pilz, decided from the reference runs");
// Against Pilz's own 3 runs: where our mean curve leaves his min..max (scattered both ways: noise; one way: look for the protocol point).
if (refStatus.current.length) publishTable(gal.pilzSpreadTable(ref, refStatus.current), rdir, "against-pilz-spread", "Reference runs against Pilz's published runs of the same function (training-set size; his min..max over 3 seeds)");
if (refStatus.current.length) {
  for (const [name, fig] of Object.entries(gal.galFigures(ref, refStatus.current))) {
    const base = await publishFigure(fig, figuresDir("gal-mnist", "reference"), name);
    console.log(`exported ${base}.{png,svg,pdf}`);
  }
}
"""),
(M, r"""
### BALD and Random to 1,020 labelled: the long reference runs

Pilz's Random needs 610 labelled to reach 5% error, beyond the 320 of the other reference runs, so BALD and
Random with seeds 1-3 run his 100 steps. The tables above read every run up to 320; these read the long runs
to the end, and the claims at 5% between BALD and Random switch to them once all six are in. Until a long run
finishes, its committed 30-step run stands in for its first 30 steps (the same numbers: one random stream).
"""),
(C, r"""
const longRef = gal.longRunsView(ref)!;
const longRuns = gal.longRunsOf(ref, refStatus.current);
console.log(`${longRuns.length} of ${longRef.strategies.length * longRef.seeds.length} long runs (${longRef.run.steps} steps) finished`);
if (longRuns.length) {
  for (const e of ref.errorThresholds) {
    publishTable(gal.samplesTable(longRef, longRuns, e), rdir, `long-runs-samples-to-${e * 100}pct-error`, `Long reference runs (${longRuns.length}): ${gal.samplesCaption(longRef, e)}`);
  }
  publishTable(gal.pilzSpreadTable(longRef, longRuns), rdir, "long-runs-against-pilz-spread", "Long reference runs against Pilz's published runs (to 1,020 labelled; his min..max over 3 seeds)");
  const base = await publishFigure(gal.galFigures(longRef, longRuns)["gal-mnist-accuracy"], figuresDir("gal-mnist", "reference"), "gal-mnist-long-runs-accuracy");
  console.log(`exported ${base}.{png,svg,pdf}`);
}
"""),
(M, r"""
## Reference runs of Gal's own protocol (`reference-gal-original`)

Gal et al.'s Table 1 and their errors after 1,000 acquired images came from their Keras code, whose protocol
differs from Pilz's in almost every row (network, inputs, optimiser, 50 epochs of batch 128, T = 20, pool
subset 2,000, the full test set; the `gal-original` protocol table above). These runs follow it to 1,000
labelled for BALD, ME, VR and Random with seeds 1-3 (MSTD left out: Gal's code scores it with zero spread)
and are judged against Gal's numbers, Table 1 in acquired images. Committed in
`reference-results/gal-mnist/gal-original/`; `npx bal plan gal-mnist --profile reference-gal-original`
says what is missing and what it costs.
"""),
(C, r"""
const galRef = gal.galProfile("reference-gal-original");
const galStatus = referenceStatus(gal.galSweep(galRef));
console.log(describeReferenceStatus(galStatus));
const gdir = tablesDir("gal-mnist", galRef.profile);
if (galStatus.current.length) {
  for (const e of galRef.errorThresholds) {
    publishTable(gal.samplesTable(galRef, galStatus.current, e), gdir, `samples-to-${e * 100}pct-error`, `Reference runs of Gal's protocol (${galStatus.current.length} of ${galStatus.planned.length}): ${gal.samplesCaption(galRef, e)}`);
  }
  publishTable(gal.finalAccuracyTable(galRef, galStatus.current), gdir, "final-error", "Final test error (%) at 1,000 labelled; Gal's column: after 1,000 acquired images");
  const base = await publishFigure(gal.galFigures(galRef, galStatus.current)["gal-mnist-accuracy"], figuresDir("gal-mnist", galRef.profile), "gal-mnist-accuracy");
  console.log(`exported ${base}.{png,svg,pdf}`);
} else console.log("no committed runs of Gal's protocol yet (make reference EXPERIMENT=gal-mnist runs them after Pilz's)");
publishClaims(gal.galClaims(galRef, galStatus.current), gdir, "Claims of Gal et al. 2017, decided from the reference runs of his own protocol");
await closeRenderer();
"""),
])
