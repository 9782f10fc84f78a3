// Wall time of one paper-profile query step of the hybrid study (paper 000): train NiN for 50
// epochs of batch 128, evaluate, score the 2,000-point pool subset with T=100 MC passes plus the
// diversity metric, pick 10. One line per part (MNIST with NiN-5, CIFAR-10 with NiN-10).
//   node build/bench/hybrid-step.js [--parts mnist,cifar10] [--strategy hybrid-bald-gp-geo(alpha=0.5)]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { hybridProfile } from "../src/experiments/hybrid";
import { loadCifar10 } from "../src/data/cifar10";
import { loadMnist } from "../src/data/mnist";
import { AlRunConfig, runActiveLearning, runKey, StepRecord } from "../src/loop/active-learning";
import { MODEL_FACTORIES } from "../src/models/classifiers";
import { RunStore } from "../src/results/store";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const paper = hybridProfile("paper");
  const strategy = arg("strategy", "hybrid-bald-gp-geo(alpha=0.5)");
  for (const name of arg("parts", "mnist,cifar10").split(",")) {
    const part = paper.parts.find((p) => p.name === name);
    if (!part) throw new Error(`--parts: unknown part '${name}'`);
    const ds = part.dataset === "mnist" ? await loadMnist() : await loadCifar10();
    const cfg: AlRunConfig = { experiment: "bench-hybrid-step", dataset: part.dataset, model: part.model, strategy, seed: 1, ...part.run };
    const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-hstep-"))).ensureWritable();
    const t0 = performance.now();
    await runActiveLearning(ds, MODEL_FACTORIES[part.model], strategyByName(strategy), cfg, { store, maxStepsThisCall: 1 });
    const wall = (performance.now() - t0) / 1000;
    const rec = store.loadCheckpoint<{ records: StepRecord[] }>(runKey(cfg))!.records[0];
    console.log(`paper-profile query step, ${name} (${part.model}, ${rec.labelled} labelled), ${strategy}: ${wall.toFixed(1)} s wall ` +
      `(train ${rec.seconds.train.toFixed(1)} s for ${rec.trainEpochs} epochs, evaluate ${rec.seconds.evaluate.toFixed(1)} s, ` +
      `acquire ${rec.seconds.acquire.toFixed(1)} s); test acc ${(rec.testAccuracy * 100).toFixed(2)}%`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
