// Wall time of one paper-profile acquisition step of the Gal/Pilz MNIST experiment (train 400
// full-batch epochs with validation, evaluate with T=64 on 3,000 test points, score 5,000 pool
// points with T=64, pick 10), at a given labelled-set size.
//   node build/bench/gal-step.js [--labelled 20,1020] [--strategy bald]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { loadMnist } from "../src/data/mnist";
import { galProfile } from "../src/experiments/gal-mnist";
import { AlRunConfig, runActiveLearning, runKey, StepRecord } from "../src/loop/active-learning";
import { MODEL_FACTORIES } from "../src/models/classifiers";
import { RunStore } from "../src/results/store";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const ds = await loadMnist();
  const paper = galProfile("paper");
  const strategy = arg("strategy", "bald");
  for (const labelled of arg("labelled", "20,1020").split(",").map(Number)) {
    if (labelled % 10 !== 0) throw new Error(`--labelled ${labelled}: must be a multiple of 10 (balanced initial set)`);
    const cfg: AlRunConfig = { experiment: "bench-gal-step", dataset: "mnist", model: paper.model, strategy, seed: 1, ...paper.run, initialPerClass: labelled / 10 };
    const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-step-"))).ensureWritable();
    const t0 = performance.now();
    await runActiveLearning(ds, MODEL_FACTORIES[paper.model], strategyByName(strategy), cfg, { store, maxStepsThisCall: 1 });
    const wall = (performance.now() - t0) / 1000;
    const rec = store.loadCheckpoint<{ records: StepRecord[] }>(runKey(cfg))!.records[0];
    console.log(`paper-profile step, ${labelled} labelled, ${strategy}: ${wall.toFixed(1)} s wall ` +
      `(train ${rec.seconds.train.toFixed(1)} s for ${rec.trainEpochs} epochs, evaluate ${rec.seconds.evaluate.toFixed(1)} s, ` +
      `acquire ${rec.seconds.acquire.toFixed(1)} s); test acc ${(rec.testAccuracy * 100).toFixed(2)}%`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
