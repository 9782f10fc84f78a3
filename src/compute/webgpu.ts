// TensorFlow.js on WebGPU under Node: Google's Dawn from the `webgpu` npm package (prebuilt
// binaries in the package, no CUDA toolkit) drives any GPU with a Vulkan driver. Picked
// automatically only on a real GPU adapter; a software adapter (Mesa's lavapipe / llvmpipe,
// SwiftShader) runs only when forced with BAL_BACKEND=webgpu (CI checks correctness on lavapipe).
// Needs Dawn's Vulkan requirements: Debian 12's Mesa 22.3 lavapipe lacks
// shaderUniform*ArrayDynamicIndexing (no adapter); Mesa 25 (bookworm-backports) has it.
import { existsSync, readdirSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { registerWebGpuKernels } from "./webgpu-kernels";

export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** A CPU implementation of WebGPU/Vulkan: correct, but never what a user wants picked for speed. */
export function isSoftwareAdapter(info: WebGpuAdapterInfo): boolean {
  return info.architecture === "software" || /llvmpipe|lavapipe|swiftshader|softpipe|software/i.test(`${info.device} ${info.description}`);
}

export function describeAdapter(info: WebGpuAdapterInfo): string {
  return [info.description || info.device, info.vendor && `vendor ${info.vendor}`, info.architecture && `architecture ${info.architecture}`].filter(Boolean).join(", ");
}

// A real dynamic import from CommonJS output (tsc would turn `import()` into `require`, which cannot load an ES module).
const importModule = new Function("specifier", "return import(specifier)") as (s: string) => Promise<unknown>;

interface GpuLike {
  requestAdapter(options?: unknown): Promise<{ info?: Partial<WebGpuAdapterInfo> } | null>;
}

let adapterInfo: WebGpuAdapterInfo | null = null;

/** The adapter the webgpu backend runs on (null before it started). */
export function webGpuAdapter(): WebGpuAdapterInfo | null {
  return adapterInfo;
}

/**
 * Loads Dawn, asks for an adapter and starts tfjs' webgpu backend on it. `allowSoftware`: accept a
 * software adapter (forced choice). Throws with the adapter query's answer when nothing usable appears.
 */
export async function startWebGpu(allowSoftware: boolean): Promise<string> {
  // Without a GPU device node only a software adapter could appear: skip loading Dawn (and its log lines).
  if (!allowSoftware && !hasGpuDeviceNode()) {
    throw new Error("no GPU device node (/dev/nvidia*, /dev/dri/renderD*), so no hardware adapter; BAL_BACKEND=webgpu forces a software one");
  }
  // One Dawn instance per process (a second one aborts the process inside Dawn); later calls reuse it.
  probe ??= probeAdapter();
  const { info, gpu, dawn } = await probe;
  if (isSoftwareAdapter(info) && !allowSoftware) {
    throw new Error(`only a software adapter (${describeAdapter(info)}): not picked automatically; BAL_BACKEND=webgpu forces it`);
  }
  if (!adapterInfo) {
    Object.assign(globalThis, dawn.globals);
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
    require("@tensorflow/tfjs-backend-webgpu"); // registers the "webgpu" backend on the shared engine
  }
  if (!(await tf.setBackend("webgpu"))) throw new Error("backend 'webgpu' failed to initialise");
  adapterInfo = info;
  // Our kernels (./webgpu-kernels) on a GPU; on a software adapter, whose 2-4 CPU threads run tfjs' serial
  // loops well, tfjs' own. BAL_WEBGPU_KERNELS=ours|tfjs forces either (the gradient tests force ours on lavapipe).
  const ours = process.env.BAL_WEBGPU_KERNELS === "ours" || (process.env.BAL_WEBGPU_KERNELS !== "tfjs" && !isSoftwareAdapter(info));
  const kernels = ours ? registerWebGpuKernels() : [];
  return `adapter ${describeAdapter(info)}${isSoftwareAdapter(info) ? " (a software adapter: correctness checks, not speed)" : ""}; kernels replaced: ${kernels.join(", ") || "none (tfjs' own)"}`;
}

/** Whether the machine exposes a GPU to this process (NVIDIA's device nodes or a DRM render node). */
export function hasGpuDeviceNode(): boolean {
  const list = (dir: string) => { try { return readdirSync(dir); } catch { return []; } };
  return existsSync("/dev/nvidia0") || list("/dev").some((f) => /^nvidia\d+$/.test(f)) || list("/dev/dri").some((f) => f.startsWith("renderD"));
}

type Dawn = { create(options: string[]): GpuLike; globals: Record<string, unknown> };
let probe: Promise<{ info: WebGpuAdapterInfo; gpu: GpuLike; dawn: Dawn }> | null = null;

async function probeAdapter(): Promise<{ info: WebGpuAdapterInfo; gpu: GpuLike; dawn: Dawn }> {
  let dawn: Dawn;
  try {
    dawn = (await importModule("webgpu")) as Dawn;
  } catch (e) {
    throw new Error(`the 'webgpu' package does not load (${String((e as Error).message).split("\n")[0]})`);
  }
  // Dawn's Vulkan loader wants a runtime directory; without one it prints an error per start.
  process.env.XDG_RUNTIME_DIR ??= "/tmp";
  // BAL_DAWN_OPTIONS: Dawn's create() options, space-separated (e.g. "enable-dawn-features=allow_unsafe_apis",
  // which the kernel profile uses to get GPU timestamp queries).
  const gpu = dawn.create((process.env.BAL_DAWN_OPTIONS ?? "").split(/\s+/).filter(Boolean));
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error("Dawn found no WebGPU adapter (requestAdapter() returned null: no Vulkan driver / ICD, or one Dawn does not accept, e.g. Mesa < 23's lavapipe)");
  }
  // Dawn's GPUAdapterInfo exposes its fields as prototype getters: read them one by one (a spread copies nothing).
  const raw = adapter.info ?? {};
  const info: WebGpuAdapterInfo = { vendor: raw.vendor ?? "", architecture: raw.architecture ?? "", device: raw.device ?? "", description: raw.description ?? "" };
  return { info, gpu, dawn };
}

/**
 * GPU programs dispatched while `work` runs on the webgpu backend (every program, ours included: tfjs'
 * profiler lists registered kernels only), counted at tfjs-backend-webgpu's recordAndSubmit.
 */
export async function countDispatches(work: () => Promise<void> | void): Promise<number> {
  const backend = tf.backend() as unknown as { recordAndSubmit?: (...args: unknown[]) => unknown };
  if (tf.getBackend() !== "webgpu" || typeof backend.recordAndSubmit !== "function") throw new Error("countDispatches: needs the webgpu backend");
  const original = backend.recordAndSubmit;
  let count = 0;
  backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    backend.recordAndSubmit = original;
  }
  return count;
}
