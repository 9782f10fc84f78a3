// Wall time of one query step of the hybrid study (paper 000) in a full profile: train the
// authors' network for 50 epochs of batch 128, evaluate on the full test and validation sets,
// score the 2,000-point pool subset with T=100 MC passes plus the diversity metric, pick 10.
// One line per part (MNIST, CIFAR-10).
//   node build/bench/hybrid-step.js [--profile authors-code|paper] [--parts mnist,cifar10] [--strategy hybrid-bald-gp-geo(alpha=0.5)]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { hybridProfile, hybridRunConfig, hybridSweep } from "../src/experiments/hybrid/index";
import { runActiveLearning, runKey, StepRecord } from "../src/loop/active-learning";
import { imageModel } from "../src/models/classifiers";
import { RunStore } from "../src/results/store";
import { arg } from "./args";

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const profile = hybridProfile(arg("profile", "authors-code"));
  if (profile.reduced) throw new Error(`--profile ${profile.profile}: a reduced profile; this bench measures a full one`);
  const strategy = arg("strategy", "hybrid-bald-gp-geo(alpha=0.5)");
  const sweep = hybridSweep(profile, new RunStore(mkdtempSync(join(tmpdir(), "bal-hplan-"))));
  for (const name of arg("parts", "mnist,cifar10").split(",")) {
    const part = profile.parts.find((p) => p.name === name);
    if (!part) throw new Error(`--parts: unknown part '${name}' (expected ${profile.parts.map((p) => p.name).join(", ")})`);
    const cfg = { ...hybridRunConfig(part, strategy, 1), experiment: "bench-hybrid-step" };
    const ds = await sweep.dataset(cfg.dataset);
    const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-hstep-"))).ensureWritable();
    const t0 = performance.now();
    await runActiveLearning(ds, imageModel(cfg.model, cfg.modelOptions), strategyByName(strategy, cfg.strategyOptions), cfg, { store, maxStepsThisCall: 1 });
    const wall = (performance.now() - t0) / 1000;
    const rec = store.loadCheckpoint<{ records: StepRecord[] }>(runKey(cfg))!.records[0];
    console.log(`${profile.profile}-profile query step, ${name} (${part.model}, ${rec.labelled} labelled), ${strategy}: ${wall.toFixed(1)} s wall ` +
      `(train ${rec.seconds.train.toFixed(1)} s for ${rec.trainEpochs} epochs, evaluate ${rec.seconds.evaluate.toFixed(1)} s, ` +
      `acquire ${rec.seconds.acquire.toFixed(1)} s); test acc ${(rec.testAccuracy * 100).toFixed(2)}%`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
