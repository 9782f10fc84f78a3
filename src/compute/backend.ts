// Picks the fastest TensorFlow.js backend that works on this machine, once per process.
// Order: tfjs-node-gpu (native, CUDA) -> webgpu (Dawn through the `webgpu` npm package, on a real
// GPU adapter only; see ./webgpu) -> tfjs-node (native CPU) -> wasm (XNNPACK, with the gradient
// kernels of ./wasm-gradients, multithreaded by ./wasm-threads) -> cpu (pure JS, slow).
// BAL_BACKEND forces one (BAL_BACKEND=webgpu also takes a software adapter such as lavapipe);
// BAL_WASM_THREADS sets wasm's thread count (default: every core).
import * as tf from "@tensorflow/tfjs";
import { registerBatchNormGradient } from "./batchnorm-gradient";
import { registerWasmGradientKernels } from "./wasm-gradients";
import { unrefWasmWorkers, wantedWasmThreads, withWasmThreadPatches } from "./wasm-threads";
import { startWebGpu } from "./webgpu";

export type BackendChoice = "node-gpu" | "webgpu" | "node" | "wasm" | "cpu";
export const BACKEND_CHOICES: readonly BackendChoice[] = ["node-gpu", "webgpu", "node", "wasm", "cpu"];

export interface BackendInfo {
  choice: BackendChoice;
  /** The tfjs backend name ("tensorflow", "wasm", "cpu"). */
  tfBackend: string;
  /** Why this one: what was tried before it and why it was passed over. */
  reason: string;
  /** Extra facts (wasm threads, GPU use). */
  detail: string;
  /** wasm threads in use (null for other backends). */
  threads: number | null;
}

let active: BackendInfo | null = null;

/** The package really present under a name (danfojs-node's override may alias tfjs-node to tfjs). */
function realPackageName(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { name: string }).name;
  } catch {
    return null;
  }
}

async function tryNative(pkg: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node"): Promise<string> {
  const real = realPackageName(pkg);
  if (real !== pkg) throw new Error(real == null ? "not installed" : `installed name is an alias of ${real}`);
  try {
    require(pkg); // registers the "tensorflow" backend on the shared tfjs engine
  } catch (e) {
    throw new Error(`does not load (${String((e as Error).message).split("\n")[0]})`);
  }
  if (!(await tf.setBackend("tensorflow"))) throw new Error("backend 'tensorflow' failed to initialise");
  const b = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  if (pkg === "@tensorflow/tfjs-node-gpu" && b.isUsingGpuDevice === false) {
    throw new Error("loaded but sees no GPU");
  }
  return pkg === "@tensorflow/tfjs-node-gpu" ? "native TensorFlow with CUDA" : "native TensorFlow CPU";
}

let wasmThreadsInUse: number | null = null;

/**
 * The threaded wasm start sometimes never finishes (tfjs-backend-wasm 4.22 under load: about 1 start
 * in 30 with 3 processes on 2 cores; its pthread workers never report "loaded"). tfjs then keeps that
 * pending start and every later setBackend waits on it, so no fallback can run in this process: the
 * start fails with this error, and the CLI starts itself again (src/cli.ts).
 */
export class BackendStartTimeout extends Error {
  constructor(seconds: number) {
    super(`the multithreaded wasm backend did not finish starting within ${seconds} s (an intermittent hang of tfjs-backend-wasm's thread pool); ` +
      "start the process again, or set BAL_WASM_THREADS=1 for the single-thread build");
    this.name = "BackendStartTimeout";
  }
}

export function backendStartTimeoutSeconds(): number {
  const raw = process.env.BAL_BACKEND_START_TIMEOUT_S;
  const s = raw == null || raw === "" ? 60 : Number(raw);
  if (!(Number.isFinite(s) && s > 0)) throw new Error(`BAL_BACKEND_START_TIMEOUT_S=${raw}: expected a positive number of seconds`);
  return s;
}

async function withTimeout<T>(p: Promise<T>): Promise<T> {
  const seconds = backendStartTimeoutSeconds();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new BackendStartTimeout(seconds)), seconds * 1000); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function tryWasm(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
  const threads = wantedWasmThreads();
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  let threadNote = "";
  if (threads > 1 && simd) {
    // The multithreaded build (see ./wasm-threads); if it cannot start, the single-thread one.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    wasm.setThreadsCount(threads);
    try {
      if (!(await withTimeout(withWasmThreadPatches(threads, () => tf.setBackend("wasm"))))) throw new Error("backend 'wasm' (threaded) failed to initialise");
      unrefWasmWorkers((tf.backend() as unknown as { wasm: unknown }).wasm);
    } catch (e) {
      if (e instanceof BackendStartTimeout) throw e;
      threadNote = ` (the multithreaded build did not start: ${(e as Error).message}; BAL_WASM_THREADS=1 skips it)`;
    }
  }
  if (tf.getBackend() !== "wasm") {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) throw new Error("backend 'wasm' failed to initialise");
  }
  const added = registerWasmGradientKernels();
  wasmThreadsInUse = wasm.getThreadsCount();
  return `XNNPACK ${simd ? "SIMD" : "scalar"}, ${wasm.getThreadsCount()} thread(s)${threadNote}; gradient kernels added: ${added.join(", ") || "none needed"}`;
}

async function tryCpu(): Promise<string> {
  if (!(await tf.setBackend("cpu"))) throw new Error("backend 'cpu' failed to initialise");
  return "pure JavaScript (slow for convnets)";
}

const attempts: Record<BackendChoice, () => Promise<string>> = {
  "node-gpu": () => tryNative("@tensorflow/tfjs-node-gpu"),
  // Automatic choice: a real GPU adapter only; forced (BAL_BACKEND=webgpu): any adapter.
  webgpu: () => startWebGpu(process.env.BAL_BACKEND === "webgpu" || forcedChoice === "webgpu"),
  node: () => tryNative("@tensorflow/tfjs-node"),
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Initialises the compute backend once. `force` (or env BAL_BACKEND) names one choice; a forced
 * choice that fails is an error, not a silent fallback.
 */
export async function initBackend(force?: BackendChoice): Promise<BackendInfo> {
  // The threaded wasm build waits for its pthread workers, which the bundle unref()s: with nothing
  // else pending, Node's event loop could empty mid-start and the process exit 0 having done
  // nothing (seen in 2 of 60 starts under load). A ref'd timer keeps the loop alive until the start ends.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    return await startBackend(force);
  } finally {
    clearInterval(keepAlive);
  }
}

let forcedChoice: BackendChoice | undefined;

async function startBackend(force?: BackendChoice): Promise<BackendInfo> {
  const wanted = force ?? (process.env.BAL_BACKEND as BackendChoice | undefined);
  forcedChoice = wanted;
  if (active && (wanted == null || wanted === active.choice)) return active;
  if (wanted != null && !BACKEND_CHOICES.includes(wanted)) {
    throw new Error(`BAL_BACKEND=${wanted}: expected one of ${BACKEND_CHOICES.join(", ")}`);
  }
  // An invalid thread count or start timeout is an error, not a silent fall back to the ~30x slower cpu backend.
  wantedWasmThreads();
  backendStartTimeoutSeconds();
  const order = wanted ? [wanted] : BACKEND_CHOICES;
  registerBatchNormGradient();
  const skipped: string[] = [];
  for (const choice of order) {
    try {
      const detail = await attempts[choice]();
      await tf.ready();
      const reason = wanted ? `forced by ${force ? "the caller" : "BAL_BACKEND"}` :
        skipped.length ? `best available; skipped ${skipped.join("; ")}` : "best available";
      active = { choice, tfBackend: tf.getBackend(), reason, detail, threads: choice === "wasm" ? wasmThreadsInUse : null };
      return active;
    } catch (e) {
      if (e instanceof BackendStartTimeout) throw e; // tfjs waits on the hung start forever: no fallback here
      if (wanted) throw new Error(`Backend '${choice}' was requested but ${(e as Error).message}`);
      skipped.push(`${choice}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${skipped.join("; ")}`);
}

/** The backend started by initBackend (null before it ran). */
export function activeBackend(): BackendInfo | null {
  return active;
}

export function describeBackend(info: BackendInfo): string {
  return `Compute backend: ${info.choice} (tfjs '${info.tfBackend}') — ${info.detail}. Why: ${info.reason}.`;
}

export { tf };
