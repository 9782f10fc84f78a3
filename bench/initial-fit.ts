// Test accuracy after the first fit on the initial set (before any query) of the hybrid study's
// networks (paper 000), in full profiles, beside the authors' saved results: baseline.npy in
// RL-LBAM/DBALHQ starts at 63.8% (MNIST, 20 images) and 30.1% (CIFAR-10, 100 images). Runs the
// loop with zero queries (train on the initial set, evaluate on the full test set), per seed.
//   node build/bench/initial-fit.js [--profiles paper,authors-code] [--parts mnist,cifar10] [--seeds 1,2,3,4,5]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { hybridProfile, hybridRunConfig, hybridSweep } from "../src/experiments/hybrid/index";
import { runActiveLearning } from "../src/loop/active-learning";
import { imageModel } from "../src/models/classifiers";
import { mean, std } from "../src/report/metrics";
import { RunStore } from "../src/results/store";
import { arg } from "./args";

/** First entries of the authors' baseline.npy accuracy curves (mean over their 5 runs, %). */
const AUTHORS_INITIAL: Record<string, number> = { mnist: 63.8, cifar10: 30.1 };

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const seeds = arg("seeds", "1,2,3,4,5").split(",").map(Number);
  for (const profileName of arg("profiles", "paper,authors-code").split(",")) {
    const profile = hybridProfile(profileName);
    const sweep = hybridSweep(profile, new RunStore(mkdtempSync(join(tmpdir(), "bal-fitplan-"))));
    for (const name of arg("parts", "mnist,cifar10").split(",")) {
      const part = profile.parts.find((p) => p.name === name);
      if (!part) throw new Error(`--parts: unknown part '${name}'`);
      const acc: number[] = [];
      const seconds: number[] = [];
      for (const seed of seeds) {
        const cfg = { ...hybridRunConfig(part, "random", seed), experiment: "bench-initial-fit", steps: 0 };
        const ds = await sweep.dataset(cfg.dataset);
        const r = await runActiveLearning(ds, imageModel(cfg.model, cfg.modelOptions), strategyByName("random"), cfg);
        const rec = r!.records[0];
        acc.push(100 * rec.testAccuracy);
        seconds.push(rec.seconds.train);
        console.log(`  ${profileName} ${name} seed ${seed}: ${rec.labelled} labelled, ${rec.trainEpochs} epochs, final train loss ${rec.finalTrainLoss?.toFixed(4)}, ` +
          `test acc ${(100 * rec.testAccuracy).toFixed(2)}%, val acc ${(100 * rec.valAccuracy).toFixed(2)}% (train ${rec.seconds.train.toFixed(1)} s)`);
      }
      console.log(`${profileName} ${name} (${part.model}): initial-fit test accuracy ${mean(acc).toFixed(2)} ± ${std(acc).toFixed(2)} % over ${acc.length} seeds ` +
        `(authors' baseline.npy: ${AUTHORS_INITIAL[part.dataset]}%); ${mean(seconds).toFixed(1)} s per fit`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
