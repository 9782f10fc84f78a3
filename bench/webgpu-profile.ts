// Where a training step and an MC chunk spend their time, kernel by kernel, on the GPU path (webgpu):
// tfjs' profiler lists every kernel launched and, on webgpu, every GPU program recorded is counted too
// (the dispatch count; our own programs are not kernels tfjs profiles); where the adapter offers
// timestamp queries, its GPU time. Beside it the step's wall time without profiling, so the share of
// the step the GPU is busy shows how much is dispatch / CPU overhead rather than arithmetic.
//   node build/bench/webgpu-profile.js [--models lenet5,keras-cnn,...] [--batch 128] [--chunk 256] [--passes 20]
//                                      [--reps 5] [--top 12] [--json FILE]
// BAL_BACKEND picks the backend (default webgpu; on a machine without a GPU it needs BAL_BACKEND=webgpu
// and runs on lavapipe: the kernel list and dispatch counts are the same, the times mean little).
import { writeFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { BackendChoice, describeBackend, initBackend } from "../src/compute/backend";
import { countDispatches } from "../src/compute/webgpu";
import { AdamW } from "../src/training/adamw";
import { disposeModel, ImageModelName, MODEL_FACTORIES } from "../src/models/classifiers";
import { BayesianModel } from "../src/models/types";
import { Rng } from "../src/seeding/rng";
import { arg, median } from "./args";

const ALL_MODELS: ImageModelName[] = ["lenet5", "keras-cnn", "bayesian-mnist-cnn", "dbalhq-mnist", "dbalhq-cifar10", "resnet18-mnist", "resnet18-cifar"];

interface KernelRow { kernel: string; calls: number; gpuMs: number }
/** `dispatches`: kernels in tfjs' profile; `programs`: every GPU program recorded (ours included), on webgpu only. */
interface WorkProfile { wallMs: number; dispatches: number; programs: number | null; gpuMs: number; kernels: KernelRow[] }

/** Kernels of one profiled call, grouped by name, most GPU time first (then most calls). */
export function groupKernels(kernels: readonly { name: string; kernelTimeMs: number | { error: string } }[]): KernelRow[] {
  const by = new Map<string, KernelRow>();
  for (const k of kernels) {
    const row = by.get(k.name) ?? { kernel: k.name, calls: 0, gpuMs: 0 };
    row.calls++;
    if (typeof k.kernelTimeMs === "number") row.gpuMs += k.kernelTimeMs;
    by.set(k.name, row);
  }
  return [...by.values()].sort((a, b) => b.gpuMs - a.gpuMs || b.calls - a.calls);
}

async function measure(work: () => Promise<void>, reps: number): Promise<WorkProfile> {
  await work(); // shaders compiled, buffers allocated
  const walls: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await work();
    walls.push(performance.now() - t);
  }
  const programs = tf.getBackend() === "webgpu" ? await countDispatches(work) : null;
  const info = await tf.profile(work);
  // "<op>__op" entries wrap the kernels they call (counted again inside): kernels only.
  const launched = (info.kernels as unknown as { name: string; kernelTimeMs: number | { error: string } }[]).filter((k) => !k.name.endsWith("__op"));
  const kernels = groupKernels(launched);
  return { wallMs: median(walls), dispatches: launched.length, programs, gpuMs: kernels.reduce((s, k) => s + k.gpuMs, 0), kernels };
}

/** One optimiser step as src/training/train.ts takes it: the loss's gradients, then our AdamW. */
function trainStep(m: BayesianModel, x: tf.Tensor, y: tf.Tensor, opt: AdamW, vars: tf.Variable[]): () => Promise<void> {
  let seed = 1;
  return async () => {
    m.dropout.mode = "train";
    m.dropout.seed = seed++;
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
      opt.step(vars, grads);
      return value;
    });
    m.dropout.mode = "off";
    await loss.data(); // the step is done when its loss can be read
    loss.dispose();
  };
}

function mcChunk(m: BayesianModel, x: tf.Tensor, passes: number): () => Promise<void> {
  return async () => {
    m.dropout.mode = "mc";
    m.dropout.consistent = false;
    m.dropout.chunk = 0;
    const outs: tf.Tensor[] = [];
    for (let p = 1; p <= passes; p++) {
      m.dropout.seed = p;
      outs.push(tf.tidy(() => tf.softmax(m.net.apply(x, { training: false }) as tf.Tensor)));
    }
    m.dropout.mode = "off";
    const all = tf.stack(outs);
    await all.data();
    tf.dispose([...outs, all]);
  };
}

function printProfile(title: string, p: WorkProfile, top: number, timestamps: boolean): void {
  console.log(`\n### ${title}`);
  console.log(`wall ${p.wallMs.toFixed(1)} ms (median, not profiled); ${p.dispatches} kernels in tfjs' profile` +
    (p.programs === null ? "" : `, ${p.programs} GPU programs dispatched (ours included)`) +
    (timestamps ? `; kernel time ${p.gpuMs.toFixed(1)} ms = ${((100 * p.gpuMs) / p.wallMs).toFixed(0)}% of the wall time (GPU timestamps on webgpu, CPU timers elsewhere)` : "; no kernel timer on this backend (kernel list and counts only)"));
  console.log("| kernel | calls | kernel ms | share of kernel time |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const k of p.kernels.slice(0, top)) {
    console.log(`| ${k.kernel} | ${k.calls} | ${timestamps ? k.gpuMs.toFixed(2) : "-"} | ${timestamps && p.gpuMs > 0 ? `${((100 * k.gpuMs) / p.gpuMs).toFixed(1)}%` : "-"} |`);
  }
  if (p.kernels.length > top) console.log(`| (${p.kernels.length - top} more kernels) | ${p.kernels.slice(top).reduce((s, k) => s + k.calls, 0)} | | |`);
}

async function main(): Promise<void> {
  tf.env().set("PROD", true);
  process.env.BAL_DAWN_OPTIONS ??= "enable-dawn-features=allow_unsafe_apis"; // timestamp queries in Dawn
  const info = await initBackend((process.env.BAL_BACKEND as BackendChoice | undefined) ?? "webgpu");
  const models = arg("models", ALL_MODELS.join(",")).split(",") as ImageModelName[];
  for (const m of models) if (!MODEL_FACTORIES[m]) throw new Error(`--models: unknown model '${m}' (expected some of ${ALL_MODELS.join(", ")})`);
  const batch = Number(arg("batch", "128"));
  const chunk = Number(arg("chunk", "256"));
  const passes = Number(arg("passes", "20"));
  const reps = Number(arg("reps", "5"));
  const top = Number(arg("top", "12"));
  console.log(`# ${new Date().toISOString()}; ${describeBackend(info)}`);
  console.log(`# training step: batch ${batch}, our AdamW (device programs on webgpu unless BAL_WEBGPU_ADAMW=tfjs), softmax cross-entropy; MC chunk: ${chunk} images x ${passes} dropout passes (whole network each pass)`);
  const out: Record<string, { train: WorkProfile; mc: WorkProfile }> = {};
  for (const name of models) {
    const m = MODEL_FACTORIES[name](new Rng(1));
    const shape = m.inputShape;
    const x = tf.randomNormal([batch, ...shape], 0, 1, "float32", 1);
    const y = tf.oneHot(tf.randomUniform([batch], 0, m.numClasses, "int32", 2), m.numClasses).toFloat();
    const xm = tf.randomNormal([chunk, ...shape], 0, 1, "float32", 3);
    const opt = new AdamW({ lr: 1e-3, weightDecay: 0 });
    const vars = m.net.trainableWeights.map((w) => w.read() as tf.Variable);
    const train = await measure(trainStep(m, x, y, opt, vars), reps);
    const mc = await measure(mcChunk(m, xm, passes), reps);
    const timestamps = train.gpuMs > 0;
    printProfile(`${name}: one training step`, train, top, timestamps);
    printProfile(`${name}: one MC chunk`, mc, top, timestamps);
    out[name] = { train, mc };
    tf.dispose([x, y, xm]);
    opt.dispose();
    disposeModel(m);
  }
  const json = arg("json", "");
  if (json) writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), backend: describeBackend(info), batch, chunk, passes, reps, models: out }, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
