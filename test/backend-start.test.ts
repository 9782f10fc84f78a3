// Starting the multithreaded wasm backend under load must never end in a silent exit 0 (issue: a
// Slurm task reported success having done nothing): a start either finishes, or fails loudly and
// the CLI starts itself again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/data/files";

const BACKEND = join(PROJECT_ROOT, "build", "src", "compute", "backend.js");
const CLI = join(PROJECT_ROOT, "build", "src", "cli.js");
const STARTER = `require(${JSON.stringify(BACKEND)}).initBackend().then((b) => console.log("READY " + b.choice + " " + b.threads))` +
  `.catch((e) => { console.error("FAILED " + e.message); process.exit(3); });`;

function start(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["-e", STARTER], { env: { ...process.env, BAL_WASM_THREADS: "2", BAL_BACKEND_START_TIMEOUT_S: "20" } });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code, out }));
  });
}

test("24 threaded backend starts, three at a time: each prints READY or fails with a message, never a silent exit 0", async () => {
  const outcomes: { code: number | null; out: string }[] = [];
  for (let round = 0; round < 8; round++) outcomes.push(...(await Promise.all([start(), start(), start()])));
  for (const o of outcomes) {
    if (o.code === 0) assert.match(o.out, /READY wasm 2/, `exit 0 without READY: ${JSON.stringify(o.out)}`);
    else assert.match(o.out, /did not finish starting within 20 s/, `failed without the start-timeout message: ${o.out}`);
  }
  // Guards against a vacuous pass (every start failing loudly). Not a measure of the hang rate: the
  // intermittent hang took 5 of 24 starts here beside other jobs (2026-11-29), so ">= 20" was flaky.
  const ready = outcomes.filter((o) => o.code === 0).length;
  assert.ok(ready >= 12, `at least half the starts should succeed: ${ready} of 24 did`);
});

test("a CLI whose backend start hangs starts itself again, then fails loudly after 3 attempts", () => {
  const results = mkdtempSync(join(tmpdir(), "bal-start-"));
  const r = spawnSync(process.execPath, [CLI, "run", "gal-mnist", "--profile", "smoke"], {
    env: { ...process.env, BAL_WASM_THREADS: "2", BAL_BACKEND_START_TIMEOUT_S: "0.001", BAL_RESULTS_DIR: results, BAL_NO_DOWNLOAD: "1" },
    encoding: "utf8", timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /starting again \(attempt 2 of 3\)/);
  assert.match(r.stderr, /starting again \(attempt 3 of 3\)/);
  assert.match(r.stderr, /bal: the multithreaded wasm backend did not finish starting within 0.001 s/);
});

test("BAL_WASM_THREADS=0 is an error, not a fall back to the cpu backend", () => {
  const r = spawnSync(process.execPath, ["-e", STARTER], { env: { ...process.env, BAL_WASM_THREADS: "0" }, encoding: "utf8" });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /BAL_WASM_THREADS=0: expected a positive integer/);
});
