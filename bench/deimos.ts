// DEIMOS scaling (issue: DEIMOS): time and memory of one greedy batch in the dense form (builds
// V, cS x cS) and in the low-rank Gram form (J x cS predictions + r x r Gram), in the same run.
//   node build/bench/deimos.js [--J 50] [--batch 10] [--sizes 250,500,1000,2000] [--classes 1,10] [--dense-max 4000]
import { centrePredictions, deimosGreedyBlocks, deimosGreedyDense, denseCovariance } from "../src/acquisition/deimos";
import { Rng } from "../src/seeding/rng";
import { arg } from "./args";

const J = Number(arg("J", "50"));
const k = Number(arg("batch", "10"));
const sizes = arg("sizes", "250,500,1000,2000").split(",").map(Number);
const classes = arg("classes", "1,10").split(",").map(Number);
const denseMax = Number(arg("dense-max", "4000"));
const rng = new Rng("bench-deimos");
console.log(`DEIMOS greedy batch of ${k}, J=${J} masks; dense form skipped above cS = ${denseMax}`);
console.log("| c | S | cS | dense s | dense V MB | low-rank s | low-rank MB | dense / low-rank time | same picks |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const c of classes) {
  for (const S of sizes) {
    const n = S * c;
    const P = centrePredictions(Float64Array.from({ length: J * n }, () => rng.normal()), J, n);
    const tauInv = c === 1 ? 0.1 : 0;
    const tauS = c === 1 ? 0 : 0.01;
    let t = performance.now();
    const low = deimosGreedyBlocks(P, J, S, c, tauInv, tauS, k);
    const lowS = (performance.now() - t) / 1000;
    const lowMb = ((J + c * k) * n * 8) / 2 ** 20;
    let dense = "–", denseMb = "–", ratio = "–", same = "–";
    if (n <= denseMax) {
      t = performance.now();
      const d = deimosGreedyDense(denseCovariance(P, J, n, tauInv), S, k, c, tauS);
      const denseS = (performance.now() - t) / 1000;
      dense = denseS.toFixed(2);
      denseMb = ((n * n * 8 * 2) / 2 ** 20).toFixed(0); // V and its working copy
      ratio = `${(denseS / lowS).toFixed(1)}x`;
      same = String(d.picked.every((p, i) => p === low.picked[i]));
    }
    console.log(`| ${c} | ${S} | ${n} | ${dense} | ${denseMb} | ${lowS.toFixed(2)} | ${lowMb.toFixed(1)} | ${ratio} | ${same} |`);
  }
}
