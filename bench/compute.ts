// Compute benchmark: our default fast path (wasm) against a PyTorch peer written as a PyTorch user
// would (bench/torch_peer.py: same models, same work, same threads, inference_mode), measured in one
// run with the two sides interleaved rep by rep, so that a load change hits both.
//   node build/bench/compute.js [--backends wasm[,webgpu,cpu]] [--reps 5] [--threads 2] [--python PATH] [--peer-device cpu|cuda] [--force]
// Backends default to the real ones here: wasm, plus webgpu where a GPU device node exists (lavapipe, the
// software adapter, only when asked: --backends wasm,webgpu). The peer runs on CUDA beside webgpu where
// torch.cuda.is_available(), else on the CPU beside every backend; --peer-device forces one. The peer's
// python is --python, else $BAL_TORCH_PYTHON, else the first of python3 on PATH, /usr/bin/python3,
// /opt/torch/.venv/bin/python3 that imports torch.
// Every ratio is ours / PyTorch TIME for the same work: below 1 we are faster. Medians over the
// repetitions, with [min-max]. The machine's load average is checked before and after.
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { BackendChoice, initBackend } from "../src/compute/backend";
import { hasGpuDeviceNode } from "../src/compute/webgpu";
import { BayesianModel, kerasCnn, lenet5, disposeModel } from "../src/models/classifiers";
import { mcProbabilities } from "../src/inference/mc";
import { readTidy } from "../src/compute/read";
import { PROJECT_ROOT } from "../src/data/files";
import { Rng } from "../src/seeding/rng";
import { arg, median } from "./args";

const MODELS: Record<string, (r: Rng) => BayesianModel> = { lenet5: (r) => lenet5(r), "keras-cnn": (r) => kerasCnn(r) };
const TRAIN_N = 1000;
const BATCH = 128;
const MC_IMAGES = 2000;
const PASSES = 20;
const CHUNKS = [128, 256, 512, 1000];
/** The MC chunk both sides use for the ratios (like for like); each side's best chunk is reported beside. */
const COMMON_CHUNK = 256;

/** Our side of one model: the same three workloads as the peer's. */
class Ours {
  private m: BayesianModel;
  private x: tf.Tensor;
  private y: tf.Tensor;
  private xm: tf.Tensor;
  private opt = tf.train.adam(1e-3);
  private vars: tf.Variable[];
  constructor(build: (r: Rng) => BayesianModel) {
    this.m = build(new Rng(1));
    this.x = tf.randomNormal([TRAIN_N, 28, 28, 1], 0, 1, "float32", 1);
    this.y = tf.oneHot(tf.randomUniform([TRAIN_N], 0, 10, "int32", 2), 10).toFloat();
    this.xm = tf.randomNormal([MC_IMAGES, 28, 28, 1], 0, 1, "float32", 3);
    this.vars = this.m.net.trainableWeights.map((w) => w.read() as tf.Variable);
  }
  /** One epoch and one pass of each MC mode first: kernels compiled (webgpu shaders), memory allocated. */
  async warmUp(): Promise<void> {
    await this.epoch();
    await this.mc("whole", 128, 256, 1);
    await this.mc("split", 128, 256, 1);
  }
  async epoch(): Promise<number> {
    const t = performance.now();
    this.m.dropout.mode = "train";
    for (let s = 0; s < TRAIN_N; s += BATCH) {
      const n = Math.min(BATCH, TRAIN_N - s);
      this.m.dropout.seed = s + 1;
      tf.tidy(() => {
        const xb = this.x.slice(s, n);
        const yb = this.y.slice(s, n);
        this.opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, this.m.net.apply(xb, { training: true }) as tf.Tensor), false, this.vars);
      });
    }
    this.m.dropout.mode = "off";
    // A GPU backend queues the work: the time counts until the last weights are readable.
    await this.vars[this.vars.length - 1].data();
    return (performance.now() - t) / 1000;
  }
  /** "whole": every pass runs the whole network; "split": mcProbabilities (deterministic prefix once per image). */
  async mc(mode: "whole" | "split", chunk: number, images = MC_IMAGES, passes = PASSES): Promise<number> {
    const seeds = Array.from({ length: passes }, (_, i) => i + 1);
    const xm = images === MC_IMAGES ? this.xm : this.xm.slice(0, images);
    const t = performance.now();
    if (mode === "split") await mcProbabilities(this.m, xm, { T: passes, consistent: false, passSeeds: seeds, chunk });
    else {
      this.m.dropout.mode = "mc";
      this.m.dropout.consistent = false;
      for (const seed of seeds) {
        this.m.dropout.seed = seed;
        for (let s = 0; s < images; s += chunk) {
          this.m.dropout.chunk = s;
          await readTidy(() => tf.softmax(this.m.net.apply(xm.slice(s, Math.min(chunk, images - s)), { training: false }) as tf.Tensor));
        }
      }
      this.m.dropout.mode = "off";
    }
    const s = (performance.now() - t) / 1000;
    if (xm !== this.xm) xm.dispose();
    return s;
  }
  dispose(): void {
    tf.dispose([this.x, this.y, this.xm]);
    this.opt.dispose();
    disposeModel(this.m);
  }
}

/** The PyTorch peer as a child process answering one JSON line per command. */
class Peer {
  private lines: string[] = [];
  private waiting: ((l: string) => void) | null = null;
  private constructor(private readonly p: ChildProcessWithoutNullStreams) {
    let buf = "";
    p.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (this.waiting) { const w = this.waiting; this.waiting = null; w(line); } else this.lines.push(line);
      }
    });
  }
  /** The python that runs the peer: the first candidate that imports torch (an error lists those tried). */
  static python(): string {
    const given = arg("python", process.env.BAL_TORCH_PYTHON ?? "");
    const candidates = given ? [given] : ["python3", "/usr/bin/python3", "/opt/torch/.venv/bin/python3"];
    for (const py of candidates) {
      if (spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0) return py;
    }
    throw new Error(`bench: no python with torch among ${candidates.join(", ")} (bench/setup.sh installs Debian's; --python PATH or BAL_TORCH_PYTHON picks one)`);
  }
  static async start(threads: number): Promise<{ peer: Peer; version: string; threads: number; cuda: boolean; gpu: string | null; python: string }> {
    const python = Peer.python();
    const p = spawn(python, [join(PROJECT_ROOT, "bench", "torch_peer.py"), String(threads)]);
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    const peer = new Peer(p);
    const ready = await Promise.race([peer.next(), new Promise<string>((_, rej) => p.on("exit", () => rej(new Error(err.split("\n").filter(Boolean).pop() ?? "exited"))))]);
    const info = JSON.parse(ready) as { version: string; threads: number; cuda: boolean; gpu: string | null };
    return { peer, version: info.version, threads: info.threads, cuda: info.cuda, gpu: info.gpu, python };
  }
  private next(): Promise<string> {
    const l = this.lines.shift();
    return l !== undefined ? Promise.resolve(l) : new Promise((r) => (this.waiting = r));
  }
  async ask<T>(cmd: Record<string, unknown>): Promise<T> {
    this.p.stdin.write(JSON.stringify(cmd) + "\n");
    return JSON.parse(await this.next()) as T;
  }
  stop(): void {
    this.p.stdin.end();
  }
}

const spread = (xs: number[]) => `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}]`;

async function main(): Promise<void> {
  tf.env().set("PROD", true); // no console banner, no debug checks
  // webgpu: the GPU path (lavapipe, a software Vulkan driver, where no GPU is; labelled so in the table).
  const backends = arg("backends", hasGpuDeviceNode() ? "wasm,webgpu" : "wasm").split(",") as BackendChoice[];
  const reps = Number(arg("reps", "7"));
  const threads = Number(arg("threads", "2"));
  const cores = cpus().length;
  const load = loadavg()[0];
  console.log(`# ${new Date().toISOString().slice(0, 10)}, ${cores} cores (${cpus()[0].model}), load average ${load.toFixed(2)} before the run`);
  if (load > 0.75 * cores && !process.argv.includes("--force")) {
    console.error(`bench: the 1-minute load average is ${load.toFixed(2)} on ${cores} cores: other work is running and would distort every ratio. Wait, or pass --force.`);
    process.exit(2);
  }
  if (load > 0.3 * cores) console.log(`# WARNING: load average ${load.toFixed(2)}: the machine is not quiet`);
  const { peer, version, threads: peerThreads, cuda, gpu, python } = await Peer.start(threads);
  const forcedDevice = arg("peer-device", "");
  if (forcedDevice && !["cpu", "cuda"].includes(forcedDevice)) throw new Error(`--peer-device '${forcedDevice}': expected cpu or cuda`);
  const peerDevice = (b: BackendChoice) => forcedDevice || (b === "webgpu" && cuda ? "cuda" : "cpu");
  console.log(`# PyTorch ${version} (${python}), ${peerThreads} threads, CUDA ${cuda ? `available (${gpu})` : "not available"}; ours: ${backends.join(", ")}; ${reps} interleaved repetitions`);
  const rows: string[] = [];
  const goals: string[] = [];
  const chunkLines: string[] = [];
  for (const b of backends) {
    let info;
    try {
      info = await initBackend(b);
    } catch (e) {
      rows.push(`| ${b} | (skipped: ${(e as Error).message}) | | | | | | | | | | |`);
      continue;
    }
    for (const [name, build] of Object.entries(MODELS)) {
      const ours = new Ours(build);
      await ours.warmUp();
      await peer.ask({ op: "setup", model: name, device: peerDevice(b) });
      const check = await peer.ask<{ max_abs_diff: number }>({ op: "check" });
      if (!(check.max_abs_diff < 1e-5)) throw new Error(`PyTorch peer: split passes differ from whole passes by ${check.max_abs_diff}`);
      // Each side's best MC chunk (median of 3 short split runs per chunk), stated; the ratios use COMMON_CHUNK on both sides.
      const sweep: { chunk: number; ours: number; peer: number }[] = [];
      for (const c of CHUNKS) {
        const o: number[] = [];
        const p: number[] = [];
        for (let k = 0; k < 3; k++) {
          o.push(await ours.mc("split", c, 1000, 5));
          p.push((await peer.ask<{ s: number }>({ op: "mc", mode: "split", chunk: c, images: 1000, passes: 5 })).s);
        }
        sweep.push({ chunk: c, ours: median(o), peer: median(p) });
      }
      const bestOurs = sweep.reduce((a, b) => (b.ours < a.ours ? b : a));
      const bestPeer = sweep.reduce((a, b) => (b.peer < a.peer ? b : a));
      chunkLines.push(`${name}: MC split time per chunk (ms for 1,000 images x 5 passes), ours / PyTorch: ` +
        sweep.map((s) => `${s.chunk}: ${(s.ours * 1000).toFixed(0)} / ${(s.peer * 1000).toFixed(0)}`).join(", ") +
        `; best chunk ours ${bestOurs.chunk}, PyTorch ${bestPeer.chunk}; best against best: time ratio ${(bestOurs.ours / bestPeer.peer).toFixed(2)}`);
      const ourChunk = COMMON_CHUNK;
      const peerChunk = COMMON_CHUNK;
      const r = { epoch: [] as number[], whole: [] as number[], split: [] as number[], splitVsWhole: [] as number[], oursT: { epoch: [] as number[], whole: [] as number[], split: [] as number[] }, peerT: { epoch: [] as number[], whole: [] as number[], split: [] as number[] } };
      for (let k = 0; k < reps; k++) {
        const oe = await ours.epoch();
        const pe = (await peer.ask<{ s: number }>({ op: "epoch" })).s;
        const ow = await ours.mc("whole", ourChunk);
        const pw = (await peer.ask<{ s: number }>({ op: "mc", mode: "whole", chunk: peerChunk })).s;
        const os_ = await ours.mc("split", ourChunk);
        const ps = (await peer.ask<{ s: number }>({ op: "mc", mode: "split", chunk: peerChunk })).s;
        r.epoch.push(oe / pe); r.whole.push(ow / pw); r.split.push(os_ / ps); r.splitVsWhole.push(os_ / pw);
        r.oursT.epoch.push(oe); r.oursT.whole.push(ow); r.oursT.split.push(os_);
        r.peerT.epoch.push(pe); r.peerT.whole.push(pw); r.peerT.split.push(ps);
      }
      ours.dispose();
      const perK = (s: number) => ((s / (MC_IMAGES * PASSES)) * 1e6).toFixed(1); // µs per image-pass -> ms per 1,000
      const backendLabel = info.choice === "webgpu" ? `webgpu (${/software/.test(info.detail) ? "SOFTWARE adapter, " : ""}${info.detail.replace(/^adapter /, "").split(",")[0]})` : `${info.choice} (${info.threads ?? "-"} thr)`;
      rows.push(`| ${backendLabel} vs PyTorch ${peerDevice(b)} | ${name} | ${median(r.oursT.epoch).toFixed(3)} | ${median(r.peerT.epoch).toFixed(3)} | ${spread(r.epoch)} | ` +
        `${perK(median(r.oursT.whole))} | ${perK(median(r.peerT.whole))} | ${spread(r.whole)} | ${perK(median(r.oursT.split))} | ${perK(median(r.peerT.split))} | ${spread(r.split)} | ${spread(r.splitVsWhole)} |`);
      const mcGoal = name === "lenet5" ? 0.5 : 1;
      const verdict = (x: number, goal: number) => (x <= goal ? "met" : "not met");
      goals.push(`${info.choice} ${name}: epoch time ratio ${median(r.epoch).toFixed(2)} (goal <= 1.5: ${verdict(median(r.epoch), 1.5)}); ` +
        `MC time ratio whole ${median(r.whole).toFixed(2)} / split ${median(r.split).toFixed(2)} (goal <= ${mcGoal}, i.e. >= ${1 / mcGoal}x PyTorch's speed: ` +
        `${verdict(median(r.whole), mcGoal)} whole, ${verdict(median(r.split), mcGoal)} split)`);
    }
  }
  peer.stop();
  const after = loadavg()[0];
  console.log("\nRatios: ours / PyTorch time for the same work (below 1 = we are faster); median [min-max] over the repetitions.");
  console.log(`Epoch: ${TRAIN_N} images, batch ${BATCH}, Adam. MC: ${MC_IMAGES} images x ${PASSES} dropout passes, in ms per 1,000 image-passes; "whole" runs`);
  console.log("the whole network every pass, \"split\" runs the layers before the first dropout once per image (same outputs, checked on");
  console.log("the peer); the last ratio compares our split with PyTorch's whole passes (what most PyTorch code does).\n");
  console.log("| backend | model | epoch ours (s) | epoch PyTorch (s) | epoch time ratio | MC whole ours | MC whole PyTorch | MC whole time ratio | MC split ours | MC split PyTorch | MC split time ratio | our split / PyTorch whole |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  rows.forEach((r) => console.log(r));
  console.log(`\nMC chunk ${COMMON_CHUNK} images on both sides in the table. Chunk sweep:\n  ${chunkLines.join("\n  ")}`);
  console.log("\nGoals (time ratios): " + goals.join("\n  "));
  console.log(`# load average ${after.toFixed(2)} after the run${after > 0.3 * cores + threads ? " — WARNING: other work ran meanwhile" : ""}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
