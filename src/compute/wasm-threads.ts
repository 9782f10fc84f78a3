// Starts tfjs-backend-wasm 4.22's multithreaded XNNPACK build under Node.js. Out of the box it
// cannot run there, for three reasons found by reading its bundle:
//   1. the WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever IS_NODE (tfjs issue 3830);
//   2. its pthread workers are started from Blob URLs (worker script and main script), which
//      Node's worker_threads cannot load: we write both scripts to files and hand out the paths
//      (the main script needs the bundle's module aliases: require$$0.., commonjsGlobal);
//   3. its C++ side caps the thread pool at half the logical cores reported by os.cpus(), so on a
//      2-core machine it asks for one thread whatever setThreadsCount says: during backend
//      initialisation only, os.cpus() reports twice the cores.
// Everything patched is restored once the backend is up; the scripts live in a temporary folder
// removed at exit. XNNPACK's pool threads stay busy-waiting Web Workers, which would keep Node
// alive after the program's end: they are unref'd (the main thread waits on them synchronously).
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The module object itself (not an import wrapper), so that patching cpus() reaches the bundle.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const os = require("node:os") as typeof import("node:os");

const MAIN_SCRIPT_MARK = "var WasmBackendModuleThreadedSimd";
const WORKER_SCRIPT_MARK = "ENVIRONMENT_IS_PTHREAD";
const BUNDLE_ALIASES =
  "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os'),commonjsGlobal=globalThis;\n";

/** Threads to use: BAL_WASM_THREADS, else every logical core. */
export function wantedWasmThreads(): number {
  const raw = process.env.BAL_WASM_THREADS;
  if (raw == null || raw === "") return Math.max(1, os.cpus().length);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BAL_WASM_THREADS=${raw}: expected a positive integer`);
  return n;
}

/**
 * Runs `init` (which must call tf.setBackend("wasm")) with the patches above in place, and
 * restores them afterwards whatever happens.
 */
/**
 * Removes the thread-script folders of processes that are gone (a killed process never runs its exit
 * hook): `bal-wasm-threads-<pid>-*` whose pid is dead, and unnamed ones from older builds after a day.
 */
export function removeStaleThreadFolders(dir = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith("bal-wasm-threads-"));
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^bal-wasm-threads-(\d+)-/.exec(name);
    const path = join(dir, name);
    let stale: boolean;
    if (m) {
      const pid = Number(m[1]);
      try {
        process.kill(pid, 0);
        stale = false;
      } catch (e) {
        stale = (e as NodeJS.ErrnoException).code === "ESRCH";
      }
    } else {
      try {
        stale = Date.now() - statSync(path).mtimeMs > 24 * 3600 * 1000;
      } catch {
        stale = false;
      }
    }
    if (stale) {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}

export async function withWasmThreadPatches<T>(threads: number, init: () => Promise<T>): Promise<T> {
  removeStaleThreadFolders();
  const dir = mkdtempSync(join(os.tmpdir(), `bal-wasm-threads-${process.pid}-`));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const texts = new WeakMap<Blob, string>();
  let mainPath: string | null = null;
  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  class RecordingBlob extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const text = (args[0] ?? []).map(String).join("");
      texts.set(this, text);
      if (text.startsWith(MAIN_SCRIPT_MARK)) {
        mainPath = join(dir, "main.js");
        writeFileSync(mainPath, BUNDLE_ALIASES + text + "\nglobalThis.WasmBackendModuleThreadedSimd = WasmBackendModuleThreadedSimd;\n");
      }
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text == null || !text.includes(WORKER_SCRIPT_MARK)) return realCreateObjectURL(blob);
    if (mainPath == null) throw new Error("wasm threads: the worker script was requested before the main script");
    const workerPath = join(dir, "worker.js");
    const patched = text
      .replace('if(typeof e.data.urlOrBlob=="string")', "if(true)")
      .replace("importScripts(e.data.urlOrBlob)", `importScripts(${JSON.stringify(mainPath)})`);
    if (patched === text) throw new Error("wasm threads: the worker script of this tfjs-backend-wasm version has an unexpected form");
    writeFileSync(workerPath, patched);
    return workerPath;
  };
  const cores = realCpus();
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => cores[i % cores.length]);
  try {
    return await init();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    (os as { cpus: typeof os.cpus }).cpus = realCpus;
  }
}

interface EmscriptenThreads { PThread?: { runningWorkers: { unref?: () => void }[] } }

/** Lets the process exit while the wasm thread pool's workers live (call after the backend is up). */
export function unrefWasmWorkers(module: unknown): void {
  for (const w of (module as EmscriptenThreads).PThread?.runningWorkers ?? []) w.unref?.();
}
