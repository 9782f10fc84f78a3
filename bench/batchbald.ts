// BatchBALD cost (issue: stochastic batch acquisition): time per acquisition over a 5,000-point
// pool with K = 100 consistent MC samples and C = 10, for acquisition sizes 5/10/20/50, beside
// the baselines measured in the same run (top-k BALD and SoftmaxBALD on the same probabilities).
//   node build/bench/batchbald.js [--pool 5000] [--K 100] [--M 10000] [--sizes 5,10,20,50]
import { batchBald } from "../src/acquisition/batchbald";
import { bald, topK } from "../src/acquisition/scores";
import { stochasticBatch } from "../src/acquisition/stochastic";
import { McProbs } from "../src/acquisition/types";
import { describeBackend, initBackend } from "../src/compute/backend";
import { Rng } from "../src/seeding/rng";
import { arg } from "./args";

/** MNIST-like MC predictions: mostly confident, a share of points ambiguous between two classes. */
function syntheticProbs(K: number, N: number, C: number, rng: Rng): McProbs {
  const data = new Float32Array(K * N * C);
  const logits = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const a = rng.int(C);
    const b = rng.int(C);
    const ambiguity = rng.uniform() * 6;
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < C; c++) logits[c] = rng.normal();
      logits[a] += 6;
      logits[b] += ambiguity + rng.normal() * 2;
      const max = Math.max(...logits);
      let z = 0;
      for (let c = 0; c < C; c++) z += Math.exp(logits[c] - max);
      for (let c = 0; c < C; c++) data[(k * N + n) * C + c] = Math.exp(logits[c] - max) / z;
    }
  }
  return { T: K, N, C, data };
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(describeBackend(info));
  const N = Number(arg("pool", "5000"));
  const K = Number(arg("K", "100"));
  const M = Number(arg("M", "10000"));
  const sizes = arg("sizes", "5,10,20,50").split(",").map(Number);
  const rng = new Rng("bench-batchbald");
  const p = syntheticProbs(K, N, 10, rng);
  const mem0 = process.memoryUsage().rss;
  let t = performance.now();
  const scores = bald(p);
  topK(scores, 50);
  const baldS = (performance.now() - t) / 1000;
  t = performance.now();
  stochasticBatch("softmax", scores, 1, 50, rng);
  const softmaxS = baldS + (performance.now() - t) / 1000;
  console.log(`pool ${N}, K ${K}, C 10, M ${M} (exact while 10^(n-1) <= M, then M sampled configurations)`);
  console.log(`baseline: top-k BALD ${baldS.toFixed(3)} s, SoftmaxBALD ${softmaxS.toFixed(3)} s per acquisition`);
  console.log("| acquisition size | BatchBALD s | per point s | vs top-k BALD | peak RSS MB |");
  console.log("|---|---|---|---|---|");
  for (const b of sizes) {
    t = performance.now();
    await batchBald(p, b, { maxConfigs: M, rng });
    const s = (performance.now() - t) / 1000;
    const rss = Math.max(process.memoryUsage().rss, mem0) / 2 ** 20;
    console.log(`| ${b} | ${s.toFixed(1)} | ${(s / b).toFixed(2)} | ${(s / baldS).toFixed(0)}x | ${rss.toFixed(0)} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
