import sys; sys.path.insert(0, "tools/nbgen")
from mknb import write
M, C = "markdown", "code"
write("notebooks/gal-mnist.ipynb", [
(M, r"""
# Gal et al. 2017 §5.1 on MNIST — as reproduced by Pilz (2025)

Deep Bayesian active learning with MC dropout on MNIST: max entropy (ME), BALD, variation ratio (VR),
mean STD (MSTD) and random acquisition. Protocol (paper 003, `../shared/REFERENCE.md`): a random
validation set of 1,000, a balanced initial set of 20 (2 per class), 100 acquisition steps of 10 points,
the model (LeNet-5, 61,706 parameters) retrained from scratch every step for 400 full-batch epochs of
AdamW (lr 1e-3, weight decay 0.01) keeping the weights of lowest validation loss, T = 64 MC-dropout
passes over a random 5,000-point pool subset, test accuracy and mean mutual information on 3,000 random
test points, seeds 1, 2, 3.

**Profiles** (`BAL_PROFILE`, or `make reproduce PROFILE=...`): `paper` (the protocol above), `gal-original`
(Gal's Keras CNN, T = 20), `smoke` (a **reduced configuration** for CI and quick checks: its numbers are
not comparable to the paper's and are labelled as such everywhere).

Every run is keyed by a hash of its full configuration and saved under `results/gal-mnist/<profile>/`;
re-running this notebook skips finished runs and resumes interrupted ones at their last finished step.
"""),
(C, r"""
import { startNotebook, profileFromEnv } from "./src/notebook/setup";
import * as gal from "./src/experiments/gal-mnist";
import { publishFigure, publishTable, figuresDir, tablesDir } from "./src/notebook/publish";
import { closeRenderer } from "./src/figures/render";

const cfg = gal.galProfile(profileFromEnv());
await startNotebook(cfg);
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
## Samples needed to reach a test error (Pilz Tables 2–5)

*Step-Average*: the number of acquired samples each run needs, then mean ± std over runs.
*Average-Step*: average the accuracy curves over runs, then read off the samples needed. Relative columns
divide by Random's number. The paper's columns are Pilz's (LeNet-5, T = 64) and Gal et al.'s Table 1.
∞ means the threshold was never reached within the budget.
"""),
(C, r"""
const tdir = tablesDir("gal-mnist", cfg.profile);
const label = cfg.reduced ? ` — ${cfg.profile} profile, REDUCED configuration` : ` — ${cfg.profile} profile`;
for (const e of cfg.errorThresholds) {
  const rows = gal.samplesTable(cfg, results, e);
  const paperNote = gal.PAPER_SAMPLES[String(e)] ? "" : " (no paper numbers at this threshold)";
  publishTable(rows, tdir, `samples-to-${e * 100}pct-error`, `Acquired samples to reach ${e * 100}% test error${label}${paperNote}`);
}
publishTable(gal.finalAccuracyTable(cfg, results), tdir, "final-error",
  `Final test error after ${cfg.run.steps * cfg.run.acquireSize} acquisitions${label} (Gal et al.'s column: after 1,000)`);
"""),
(M, r"""
## Learning curves, mutual information, and relative cost (Pilz Figures 2, 3, 6)

Figures are shown inline (interactive in JupyterLab, PNG elsewhere) and exported to
`figures/gal-mnist/<profile>/` as PNG, SVG and PDF.
"""),
(C, r"""
const fdir = figuresDir("gal-mnist", cfg.profile);
const figs = gal.galFigures(cfg, results);
for (const [name, fig] of Object.entries(figs)) {
  const base = await publishFigure(fig, fdir, name);
  console.log(`exported ${base}.{png,svg,pdf}`);
}
await closeRenderer();
"""),
(M, r"""
## Notes on choices the papers leave open

- Test accuracy uses the deterministic network (dropout off), as Keras' `evaluate` does in Gal's code; the
  mutual information uses T MC passes with per-example masks.
- Weights use Glorot-uniform initialisation from seeds drawn from the run's generator (PyTorch's default
  initialiser differs); inputs are normalised with MNIST's mean 0.1307 and std 0.3081.
- "Acquired samples" excludes the initial 20; std is the population std over runs (as in Pilz's tables).
"""),
])
