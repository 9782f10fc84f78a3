// Wall time of one acquisition step of a Gal/Pilz MNIST profile (paper: train 400 full-batch
// epochs with validation, evaluate with T=64 on 3,000 test points, score 5,000 pool points with
// T=64, pick 10; authors-code: the same without the validation passes), at a labelled-set size.
//   node build/bench/gal-step.js [--profile paper|authors-code|gal-original] [--labelled 20,1020] [--strategy bald]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { galProfile, galRunConfigs, galSweep } from "../src/experiments/gal-mnist/index";
import { AlRunConfig, runActiveLearning, runKey, StepRecord } from "../src/loop/active-learning";
import { imageModel } from "../src/models/classifiers";
import { RunStore } from "../src/results/store";
import { arg } from "./args";

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const profile = galProfile(arg("profile", "paper"));
  const strategy = arg("strategy", "bald");
  const base = galRunConfigs(profile).find((r) => r.strategy === strategy);
  if (!base) throw new Error(`--strategy ${strategy}: not in profile '${profile.profile}' (${profile.strategies.join(", ")})`);
  const ds = await galSweep(profile).dataset(base.dataset);
  for (const labelled of arg("labelled", "20,1020").split(",").map(Number)) {
    if (labelled % 10 !== 0) throw new Error(`--labelled ${labelled}: must be a multiple of 10 (balanced initial set)`);
    const cfg: AlRunConfig = { ...base, experiment: "bench-gal-step", initialPerClass: labelled / 10 };
    const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-step-"))).ensureWritable();
    const t0 = performance.now();
    await runActiveLearning(ds, imageModel(cfg.model, cfg.modelOptions), strategyByName(strategy), cfg, { store, maxStepsThisCall: 1 });
    const wall = (performance.now() - t0) / 1000;
    const rec = store.loadCheckpoint<{ records: StepRecord[] }>(runKey(cfg))!.records[0];
    console.log(`${profile.profile}-profile step, ${labelled} labelled, ${strategy}: ${wall.toFixed(1)} s wall ` +
      `(train ${rec.seconds.train.toFixed(1)} s for ${rec.trainEpochs} epochs, evaluate ${rec.seconds.evaluate.toFixed(1)} s, ` +
      `acquire ${rec.seconds.acquire.toFixed(1)} s); test acc ${(rec.testAccuracy * 100).toFixed(2)}%`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
