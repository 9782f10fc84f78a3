// DEIMOS (paper 004): the 1-D regression illustration (Figure 1), the greedy-vs-optimal simulation
// (Appendix A), and the sweep of MNIST 7 vs 9 / 0-9 active learning (Table 2, Figure 3) against max
// entropy, BALD, BatchBALD, greedy k-center and random; the registry entry and every name the notebook imports.
import { centrePredictions, deimosExpectedImprovements, deimosGreedyDense, deimosRegressionBatch, denseCovariance, optimalBatch } from "../../acquisition/deimos";
import { topK } from "../../acquisition/scores";
import { loadMnist } from "../../data/mnist";
import { selectClasses } from "../../data/subsets";
import { ImageDataset } from "../../data/types";
import { mcRegression } from "../../inference/mc";
import { RunResult } from "../../loop/active-learning";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { collectRuns, referenceDir, runSweep, SweepDefinition, SweepOptions } from "../../loop/sweep";
import { disposeModel, lenet5FcDropout, mlp } from "../../models/classifiers";
import { mean, std } from "../../report/metrics";
import { Rng } from "../../seeding/rng";
import { trainModel } from "../../training/train";
import { experimentEntry } from "../entry";
import { AppendixAStored, deimosClaims } from "./claims";
import { AppendixAConfig, DEIMOS_PROFILES, deimosProfile, DeimosExperimentConfig, deimosRunConfigs, Regression1dConfig } from "./profiles";
import { Regression1dResult } from "./report";
import * as tf from "@tensorflow/tfjs";

/** Greedy / optimal trace-reduction ratios for random V (i.i.d. normal predictions + tau^-1 I). */
export function appendixASimulation(cfg: AppendixAConfig): Record<number, number[]> {
  const rng = new Rng(`${cfg.seed}:appendix-a`);
  const out: Record<number, number[]> = {};
  for (const k of cfg.sizes) {
    out[k] = [];
    for (let trial = 0; trial < cfg.trials; trial++) {
      const { J, points: S } = cfg;
      const P = centrePredictions(Float64Array.from({ length: J * S }, () => rng.normal()), J, S);
      let meanVar = 0;
      for (let i = 0; i < P.length; i++) meanVar += P[i] * P[i];
      const V = denseCovariance(P, J, S, cfg.tauFraction * meanVar / J / S);
      const greedy = deimosGreedyDense(V, S, k).gains.reduce((a, b) => a + b, 0);
      out[k].push(greedy / optimalBatch(V, S, k).reduction);
    }
  }
  return out;
}

/** A random tanh MLP [32, 32] with N(0, 1) weights: the ground-truth function. */
function randomTeacher(rng: Rng): (x: number) => number {
  const W1 = Array.from({ length: 32 }, () => [rng.normal(), rng.normal()]);
  const W2 = Array.from({ length: 32 }, () => Array.from({ length: 33 }, () => rng.normal() / Math.sqrt(32)));
  const W3 = Array.from({ length: 33 }, () => rng.normal() / Math.sqrt(32));
  return (x) => {
    const h1 = W1.map(([w, b]) => Math.tanh(w * x * 0.5 + b));
    const h2 = W2.map((row) => Math.tanh(row.reduce((s, w, i) => s + w * (i < 32 ? h1[i] : 1), 0)));
    return W3.reduce((s, w, i) => s + w * (i < 32 ? h2[i] : 1), 0);
  };
}

async function fitAndPredict(cfg: Regression1dConfig, xs: number[], ys: number[], grid: number[], rng: Rng) {
  const model = mlp(rng, 1, cfg.hidden, 1, cfg.dropout);
  const x = tf.tensor2d(xs, [xs.length, 1]);
  const y = tf.tensor2d(ys, [ys.length, 1]);
  const g = tf.tensor2d(grid, [grid.length, 1]);
  try {
    await trainModel(model, { x, y }, null, cfg.train, rng);
    // Sample set = grid (candidates) + labelled points, J masks shared by all of them.
    const all = tf.concat([g, x]);
    const passSeeds = Array.from({ length: cfg.J }, () => rng.seed());
    const out = await mcRegression(model, all, { T: cfg.J, consistent: true, passSeeds });
    all.dispose();
    return out;
  } finally {
    disposeModel(model);
    tf.dispose([x, y, g]);
  }
}

function meanStdOver(out: { T: number; N: number; data: Float32Array }, n: number) {
  const m: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = Array.from({ length: out.T }, (_, t) => out.data[t * out.N + i]);
    m.push(mean(v));
    s.push(std(v));
  }
  return { mean: m, std: s };
}

export async function regression1d(cfg: Regression1dConfig): Promise<Regression1dResult> {
  const rng = new Rng(`${cfg.seed}:regression-1d`);
  const f = randomTeacher(rng);
  const grid = Array.from({ length: cfg.nGrid }, (_, i) => -10 + (20 * i) / (cfg.nGrid - 1));
  const truth = grid.map(f);
  const noise = 0.1 * std(truth);
  const trainX: number[] = [];
  while (trainX.length < cfg.nTrain) {
    const x = -10 + 20 * rng.uniform();
    if (Math.abs(x) > 2.5 || rng.uniform() < 0.1) trainX.push(x); // sparse middle region
  }
  const label = (x: number) => f(x) + noise * rng.normal();
  const trainY = trainX.map(label);
  const before = await fitAndPredict(cfg, trainX, trainY, grid, rng);
  const mse = (m: number[]) => mean(m.map((v, i) => (v - truth[i]) ** 2));
  const { picked, gains, tauInv } = deimosRegressionBatch(before, cfg.batch, cfg.tauFraction, grid.length);
  const P = centrePredictions(before.data, before.T, before.N);
  const ei = Array.from(deimosExpectedImprovements(P, before.T, before.N, 1, tauInv, 0).subarray(0, grid.length));
  const newX = [...trainX, ...picked.map((i) => grid[i])];
  const newY = [...trainY, ...picked.map((i) => label(grid[i]))];
  const after = await fitAndPredict(cfg, newX, newY, grid, rng);
  const b = meanStdOver(before, grid.length);
  const a = meanStdOver(after, grid.length);
  // The paper's regression baselines, each labelling a batch of the same size from the same model.
  const refitMse = async (batch: number[]) => {
    const out = await fitAndPredict(cfg, [...trainX, ...batch.map((i) => grid[i])], [...trainY, ...batch.map((i) => label(grid[i]))], grid, rng);
    return mse(meanStdOver(out, grid.length).mean);
  };
  const maxVariance = topK(b.std, cfg.batch);
  const random = rng.sample(Array.from({ length: grid.length }, (_, i) => i), cfg.batch);
  const comparison = [
    { method: "DEIMOS", batch: picked, mse: mse(a.mean) },
    { method: "max variance (top-k)", batch: maxVariance, mse: await refitMse(maxVariance) },
    { method: "random", batch: random, mse: await refitMse(random) },
  ];
  return {
    grid, truth, trainX, trainY, before: b, ei, batch: picked, gains,
    after: { ...a, trainX: newX, trainY: newY }, tauInv, testMse: { before: mse(b.mean), after: mse(a.mean) }, comparison,
  };
}

async function loadDataset(name: string): Promise<ImageDataset> {
  if (name === "mnist") return loadMnist();
  const m = /^mnist\(classes=([\d-]+)\)$/.exec(name);
  if (!m) throw new Error(`deimos: unknown dataset '${name}'`);
  return selectClasses(await loadMnist(), m[1].split("-").map(Number));
}

export function deimosSweep(cfg: DeimosExperimentConfig): SweepDefinition {
  return {
    experiment: "deimos", profile: cfg.profile, runs: deimosRunConfigs(cfg), dataset: loadDataset,
    model: (name, options) => {
      const m = /^lenet5-fc-dropout\(classes=(\d+)\)$/.exec(name);
      if (!m) throw new Error(`deimos: unknown model '${name}'`);
      return (rng) => lenet5FcDropout(rng, Number(m[1]), options);
    },
  };
}

export function runDeimosSweep(cfg: DeimosExperimentConfig, opts: SweepOptions = {}): Promise<RunResult[]> {
  return runSweep(deimosSweep(cfg), opts);
}

export function collectDeimosResults(cfg: DeimosExperimentConfig) {
  return collectRuns(deimosSweep(cfg));
}

/**
 * Where the committed Appendix A simulation lives: beside the reference runs, outside the experiment's
 * folder (every JSON there must be a run).
 */
export function appendixAPath(): string {
  return join(dirname(referenceDir("deimos")), "simulations", "deimos-appendix-a.json");
}

/** The committed Appendix A simulation (written by tools/appendix-a.js; 40-60 s, so stored like a run), or null. */
export function appendixAStored(path = appendixAPath()): AppendixAStored | null {
  if (!existsSync(path)) return null;
  const stored = JSON.parse(readFileSync(path, "utf8")) as AppendixAStored;
  if (!stored || typeof stored.config !== "object" || typeof stored.ratios !== "object") throw new Error(`${path}: expected { config, ratios }`);
  return stored;
}

/** The claims with the stored Appendix A simulation. */
export function deimosClaimsWithSimulation(cfg: DeimosExperimentConfig, results: readonly RunResult[]) {
  return deimosClaims(cfg, results, appendixAStored());
}

/** The registry's entry (CLI, Slurm scripts, `make reference`). */
export const DEIMOS_EXPERIMENT = experimentEntry(DEIMOS_PROFILES, deimosProfile, deimosSweep, deimosClaimsWithSimulation);

export * from "./profiles";
export * from "./protocol";
export * from "./published";
export * from "./claims";
export * from "./report";
