// Compute benchmark (issue: fast tfjs path). For each model and each available backend, in one
// run: one training epoch (1,000 images, batch 128, Adam) and MC-dropout forward throughput
// (2,000 images x 20 passes), beside the PyTorch peer (bench/torch_peer.py) measured in the same run.
//   node build/bench/compute.js [--backends wasm,cpu] [--torch-threads 2]
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { BackendChoice, initBackend } from "../src/compute/backend";
import { BayesianModel, kerasCnn, lenet5, disposeModel } from "../src/models/classifiers";
import { mcProbabilities } from "../src/inference/mc";
import { readTidy } from "../src/compute/read";
import { PROJECT_ROOT } from "../src/data/files";
import { Rng } from "../src/seeding/rng";

/** mc_images_per_s: T whole passes; mc_split_images_per_s: deterministic layers once, the rest T times. */
interface Measure { epoch_s: number; mc_images_per_s: number; mc_split_images_per_s: number; note?: string }

/** The best of `repeats` runs (2 for wasm and the PyTorch peer; 1 for the slow cpu backend). */
function bestOf(repeats: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

const MODELS: Record<string, (r: Rng) => BayesianModel> = { lenet5: (r) => lenet5(r), "keras-cnn": (r) => kerasCnn(r) };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function measure(build: (r: Rng) => BayesianModel, trainN: number, mcN: number, passes: number, repeats: number): Measure {
  const m = build(new Rng(1));
  const x = tf.randomNormal([trainN, 28, 28, 1], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.randomUniform([trainN], 0, 10, "int32", 2), 10).toFloat();
  const vars = m.net.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-3);
  m.dropout.mode = "train";
  const epoch = () => {
    for (let s = 0; s < trainN; s += 128) {
      const n = Math.min(128, trainN - s);
      m.dropout.seed = s + 1;
      tf.tidy(() => {
        const xb = x.slice(s, n);
        const yb = y.slice(s, n);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, m.net.apply(xb, { training: true }) as tf.Tensor), false, vars);
      });
    }
  };
  epoch();
  const epochS = bestOf(repeats, epoch);
  const xm = tf.randomNormal([mcN, 28, 28, 1], 0, 1, "float32", 3);
  const seeds = Array.from({ length: passes }, (_, i) => i + 1);
  mcProbabilities(m, xm.slice(0, 64), { T: 1, consistent: false, passSeeds: [1] });
  // T whole passes (what baal and the PyTorch peer's first figure do) ...
  const wholeS = bestOf(repeats, () => {
    m.dropout.mode = "mc";
    m.dropout.consistent = false;
    for (const seed of seeds) {
      m.dropout.seed = seed;
      for (let s = 0; s < mcN; s += 1000) {
        m.dropout.chunk = s;
        readTidy(() => tf.softmax(m.net.apply(xm.slice(s, Math.min(1000, mcN - s)), { training: false }) as tf.Tensor));
      }
    }
    m.dropout.mode = "off";
  });
  // ... and mcProbabilities, which runs the layers before the first dropout once per input.
  const splitS = bestOf(repeats, () => mcProbabilities(m, xm, { T: passes, consistent: false, passSeeds: seeds, chunk: 1000 }));
  tf.dispose([x, y, xm]);
  opt.dispose();
  disposeModel(m);
  return { epoch_s: epochS, mc_images_per_s: (mcN * passes) / wholeS, mc_split_images_per_s: (mcN * passes) / splitS };
}

async function main(): Promise<void> {
  const backends = arg("backends", "wasm,cpu").split(",") as BackendChoice[];
  const rows: { backend: string; model: string; m: Measure }[] = [];
  for (const b of backends) {
    try {
      await initBackend(b);
    } catch (e) {
      console.log(`# backend ${b} unavailable: ${(e as Error).message.split("\n")[0]}`);
      continue;
    }
    for (const [name, build] of Object.entries(MODELS)) {
      // The pure-JS cpu backend needs ~30 min for one Keras CNN epoch: measure 1/8 of the work and scale.
      const scale = b === "cpu" ? 8 : 1;
      const m = measure(build, 1000 / scale, 2000 / scale, 20 / (scale > 1 ? 4 : 1), scale > 1 ? 1 : 2);
      if (scale > 1) m.epoch_s *= scale;
      if (scale > 1) m.note = "scaled from 1/8 of the epoch and 1/32 of the MC work";
      rows.push({ backend: b, model: name, m });
      console.log(`# ${b} ${name}: epoch ${m.epoch_s.toFixed(2)} s, MC ${m.mc_images_per_s.toFixed(0)} images/s whole passes, ${m.mc_split_images_per_s.toFixed(0)} split${m.note ? ` (${m.note})` : ""}`);
    }
  }
  let torch: Record<string, Measure> | null = null;
  try {
    const out = execFileSync("/usr/bin/python3", [join(PROJECT_ROOT, "bench", "torch_peer.py"), arg("torch-threads", "2")], { encoding: "utf8" });
    torch = JSON.parse(out.trim().split("\n").pop()!) as Record<string, Measure>;
    console.log(`# PyTorch ${(torch as unknown as { version: string }).version}, ${(torch as unknown as { threads: number }).threads} threads`);
  } catch (e) {
    console.log(`# PyTorch peer unavailable (run bench/setup.sh): ${(e as Error).message.split("\n")[0]}`);
  }
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "–");
  console.log("\nMC images/s counts image-passes (2,000 images x 20 passes). \"whole\": every pass runs the whole network;");
  console.log("\"split\": the layers before the first dropout run once per image, the rest per pass (same outputs; what");
  console.log("mcProbabilities does). Ratios compare like with like; the last column compares our split with PyTorch's whole passes.\n");
  console.log("| backend | model | epoch (s) | epoch / PyTorch | MC whole img/s | / PyTorch whole | MC split img/s | / PyTorch split | / PyTorch whole |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const p = torch?.[r.model];
    console.log(`| ${r.backend} | ${r.model} | ${r.m.epoch_s.toFixed(2)} | ${ratio(r.m.epoch_s, p?.epoch_s)} | ` +
      `${r.m.mc_images_per_s.toFixed(0)} | ${ratio(r.m.mc_images_per_s, p?.mc_images_per_s)} | ` +
      `${r.m.mc_split_images_per_s.toFixed(0)} | ${ratio(r.m.mc_split_images_per_s, p?.mc_split_images_per_s)} | ${ratio(r.m.mc_split_images_per_s, p?.mc_images_per_s)} |`);
  }
  if (torch) for (const [model, p] of Object.entries(MODELS).map(([k]) => [k, torch![k]] as const)) {
    console.log(`| PyTorch | ${model} | ${p.epoch_s.toFixed(2)} | 1.00x | ${p.mc_images_per_s.toFixed(0)} | 1.00x | ${p.mc_split_images_per_s.toFixed(0)} | 1.00x | ${ratio(p.mc_split_images_per_s, p.mc_images_per_s)} |`);
  }
  console.log("\nGoals: MC forward >= 2x PyTorch (LeNet-5), >= 1x (Keras CNN); epoch <= 1.5x PyTorch's time.");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
