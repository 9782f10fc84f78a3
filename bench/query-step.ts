// Wall time of one query step (train / evaluate / acquire) of any experiment's profile, on the
// run configs of its sweep: the first run of each listed strategy at the given acquisition size,
// from its initial set. Results go to a scratch store and are thrown away.
//   node build/bench/query-step.js --experiment softmax-repeated-mnist --profile paper --strategies bald,softmax-bald,batchbald --size 10
//   node build/bench/query-step.js --experiment deimos --profile paper --strategies deimos,bald --size 25 --dataset "mnist"
//   node build/bench/query-step.js --experiment survey --profile paper --strategies random,badge --size 100 --dataset mnist
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../src/compute/backend";
import { strategyByName } from "../src/acquisition/strategy";
import { experimentByName } from "../src/experiments/registry";
import { runActiveLearning, runKey, StepRecord } from "../src/loop/active-learning";
import { RunStore } from "../src/results/store";
import { arg } from "./args";

async function main(): Promise<void> {
  console.log(describeBackend(await initBackend()));
  const experiment = arg("experiment");
  const profile = arg("profile", "paper");
  const size = Number(arg("size"));
  const dataset = arg("dataset", "");
  const { sweep } = experimentByName(experiment).load(profile);
  // Commas inside a strategy's parameters do not separate strategies: "adversarial-bim(eps=0.05,iters=100),bald".
  for (const strategy of arg("strategies").split(/,(?![^(]*\))/)) {
    const base = sweep.runs.find((r) => r.strategy === strategy && r.acquireSize === size && (!dataset || r.dataset === dataset));
    if (!base) throw new Error(`${experiment} / ${profile}: no run of '${strategy}' at acquisition size ${size}${dataset ? ` on ${dataset}` : ""}`);
    // --pool-subset N: fewer candidates than the profile scores (a REDUCED measurement, said so in the output line).
    const subset = arg("pool-subset", "");
    const cfg = { ...base, experiment: `bench-${experiment}`, ...(subset ? { poolSubset: Number(subset) } : {}) };
    const ds = await sweep.dataset(cfg.dataset);
    const store = new RunStore(mkdtempSync(join(tmpdir(), "bal-qstep-"))).ensureWritable();
    const t0 = performance.now();
    await runActiveLearning(ds, sweep.model(cfg.model, cfg.modelOptions), strategyByName(strategy, cfg.strategyOptions), cfg, { store, maxStepsThisCall: 1 });
    const wall = (performance.now() - t0) / 1000;
    const rec = store.loadCheckpoint<{ records: StepRecord[] }>(runKey(cfg))!.records[0];
    const scored = cfg.poolSubset > 0 ? `${cfg.poolSubset} candidates` : `the whole pool (${ds.train.n - cfg.validationSize - rec.labelled} points)`;
    console.log(`${subset ? `REDUCED (${subset} candidates instead of the profile's ${base.poolSubset || "whole pool"}) ` : ""}${experiment} / ${profile}, ${strategy} b=${size} on ${cfg.dataset}, ${rec.labelled} labelled, ${scored}, K=${cfg.T}: ${wall.toFixed(1)} s wall ` +
      `(train ${rec.seconds.train.toFixed(1)} s for ${rec.trainEpochs} epochs, evaluate ${rec.seconds.evaluate.toFixed(1)} s, ` +
      `score + select ${rec.seconds.acquire.toFixed(1)} s${rec.seconds.score !== undefined ? `: score ${rec.seconds.score.toFixed(1)} s, select ${rec.seconds.select!.toFixed(1)} s` : ""}); test acc ${(rec.testAccuracy * 100).toFixed(2)}%`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
