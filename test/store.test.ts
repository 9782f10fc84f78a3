import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configKey, lockStaleSeconds, releaseHeldLocks, RunLock, RunStore, thisOwner, writeFileAtomic } from "../src/results/store";
import { spawn } from "node:child_process";
import { loadResultsUnder } from "../src/report/learning-check";

const fresh = () => new RunStore(mkdtempSync(join(tmpdir(), "bal-store-"))).ensureWritable();

test("stored files are checked: null, {}, an array, another run's file are errors naming the file", () => {
  const store = fresh();
  const cases: [string, RegExp][] = [
    ["null", /k1\.json: not a stored result \(got null\)/],
    ["{}", /k1\.json: no 'key' field/],
    ["[1]", /k1\.json: not a stored result \(got an array\)/],
    [JSON.stringify({ key: "other", records: [] }), /k1\.json: holds the result of run "other", not of k1 \(copied under another run's name\?\)/],
    ["{ not json", /Cannot read .*k1\.json/],
  ];
  for (const [text, message] of cases) {
    writeFileSync(join(store.dir, "k1.json"), text);
    assert.throws(() => store.has("k1"), message, text);
    assert.throws(() => store.all(), message, text);
  }
  writeFileSync(join(store.dir, "k2.checkpoint.json"), JSON.stringify({ key: "k9" }));
  assert.throws(() => store.loadCheckpoint("k2"), /k2\.checkpoint\.json: holds the checkpoint of run "k9".*restart that run from its start|k2\.checkpoint\.json: holds the checkpoint of run "k9"/);
  const config = { steps: 2, seed: 1 };
  const k3 = configKey(config);
  const rec = (acc: number) => ({ testAccuracy: acc });
  store.save(k3, { key: k3, config, records: [rec(0.5), rec(0.6), rec(0.7)] });
  assert.equal(store.has(k3), true);
});

test("a stored result counts as finished only when whole: key-only, short, key-edited and accuracy-less results are errors naming the file", () => {
  const store = fresh();
  const config = { steps: 2, seed: 1 };
  const key = configKey(config);
  const rec = (acc: unknown) => ({ testAccuracy: acc });
  const cases: [unknown, RegExp][] = [
    [{ key }, /no 'config': not a finished run/],
    [{ key, config, records: [rec(0.5)] }, /1 step records, expected steps \+ 1 = 3 \(an unfinished or cut result\)/],
    [{ key, config: { ...config, seed: 2 }, records: [rec(0.5), rec(0.6), rec(0.7)] }, /its config hashes to [0-9a-f]{16}, not to its key/],
    [{ key, config }, /no 'records'/],
    [{ key, config, records: [rec(0.5), rec(null), rec(0.7)] }, /records\[1\] has no test accuracy in \[0, 1\]/],
    [{ key, config, records: [rec(0.5), rec(1.5), rec(0.7)] }, /records\[1\] has no test accuracy/],
  ];
  for (const [value, message] of cases) {
    writeFileSync(store.path(key, "result"), JSON.stringify(value));
    const named = new RegExp(`${key}\\.json: ${message.source}.*Delete it to recompute`);
    assert.throws(() => store.has(key), named, JSON.stringify(value));
    assert.throws(() => store.all(), named);
    assert.throws(() => loadResultsUnder(store.dir), named);
  }
});

test("one writer per run: a live holder keeps its lock, a dead one's lock is taken over, another machine's lock goes stale without heartbeats", () => {
  const store = fresh();
  const first = store.tryLock("run");
  assert.ok(first instanceof RunLock);
  const second = store.tryLock("run");
  assert.ok(!(second instanceof RunLock), "the lock was taken twice");
  assert.equal((second as { pid: number }).pid, process.pid);
  assert.equal(store.holder("run")?.pid, process.pid, "holder() names the live holder");
  (first as RunLock).release();
  assert.equal(store.holder("run"), null, "holder() after release");
  assert.ok(store.tryLock("run") instanceof RunLock);
  // A lock left by a process that no longer exists on this machine (same host and boot id).
  const me = thisOwner();
  const path = store.path("dead", "lock");
  writeFileSync(path, JSON.stringify({ ...me, pid: 2 ** 22 + 12345 }));
  assert.equal(store.holder("dead"), null, "a dead process holds nothing");
  assert.ok(store.tryLock("dead") instanceof RunLock, "a dead process's lock was not taken over");
  // The same hostname from another boot (a node sharing the name, or rebooted): not trusted, waits for the stale time.
  const bare = store.path("bare", "lock");
  writeFileSync(bare, JSON.stringify({ ...me, boot: "another-boot", pid: 2 ** 22 + 12345 }));
  assert.equal((store.tryLock("bare") as { boot: string }).boot, "another-boot");
  // Another host: alive while its heartbeat is recent, abandoned after BAL_LOCK_STALE_S.
  const remote = store.path("remote", "lock");
  writeFileSync(remote, JSON.stringify({ host: "node-17.cluster", pid: 1, since: "then" }));
  assert.equal((store.tryLock("remote") as { host: string }).host, "node-17.cluster");
  const old = new Date(Date.now() - 3600 * 1000);
  utimesSync(remote, old, old);
  process.env.BAL_LOCK_STALE_S = "600";
  try {
    assert.ok(store.tryLock("remote") instanceof RunLock, "a silent remote lock was not taken over");
  } finally {
    delete process.env.BAL_LOCK_STALE_S;
  }
  assert.ok(lockStaleSeconds() <= 15 * 60, "the default stale time is minutes, not hours");
});

test("pid reuse: a lock whose pid is alive on this machine but not a bal process is taken over", async () => {
  const store = fresh();
  const sleeper = spawn("sleep", ["30"]);
  try {
    writeFileSync(store.path("reused", "lock"), JSON.stringify({ ...thisOwner(), pid: sleeper.pid }));
    assert.ok(store.tryLock("reused") instanceof RunLock, "a lock held by an unrelated live process was not taken over");
  } finally {
    sleeper.kill();
  }
});

test("a lock is released only by its owner, and its heartbeat beats on a timer during long steps", async () => {
  const store = fresh();
  process.env.BAL_LOCK_HEARTBEAT_S = "0.05";
  let lock: RunLock;
  try {
    lock = store.tryLock("hb") as RunLock;
  } finally {
    delete process.env.BAL_LOCK_HEARTBEAT_S;
  }
  const path = store.path("hb", "lock");
  const old = new Date(Date.now() - 3600 * 1000);
  utimesSync(path, old, old);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(Date.now() - statSync(path).mtimeMs < 5000, "no heartbeat while the process waited");
  // Taken over meanwhile (another process judged it stale): our release must not delete their lock.
  writeFileSync(path, JSON.stringify({ host: "node-3", pid: 42, since: "now" }));
  lock.release();
  assert.ok(existsSync(path), "release deleted another process's lock");
  releaseHeldLocks(); // the earlier tests' locks
  const mine = store.tryLock("mine") as RunLock;
  mine.release();
  assert.ok(!existsSync(store.path("mine", "lock")));
  assert.equal(releaseHeldLocks(), 0, "released locks are no longer held");
});

test("lock race: processes taking and releasing one lock thousands of times never hold it together", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bal-race-"));
  const worker = `
    const { RunStore, RunLock } = require(${JSON.stringify(join(__dirname, "..", "src", "results", "store.js"))});
    const fs = require("node:fs");
    const store = new RunStore(${JSON.stringify(dir)});
    let taken = 0, overlaps = 0;
    for (let i = 0; i < 1500; i++) {
      const l = store.tryLock("race");
      if (!(l instanceof RunLock)) continue;
      taken++;
      try { fs.writeFileSync(${JSON.stringify(join(dir, "holder"))}, String(process.pid), { flag: "wx" }); }
      catch { overlaps++; }
      for (let k = 0; k < 200; k++) Math.sqrt(k);
      fs.rmSync(${JSON.stringify(join(dir, "holder"))}, { force: true });
      l.release();
    }
    console.log(JSON.stringify({ taken, overlaps }));
    process.exit(0);`;
  const runs = await Promise.all([0, 1, 2, 3].map(() => new Promise<{ taken: number; overlaps: number }>((resolve, reject) => {
    const p = spawn(process.execPath, ["-e", worker]);
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}`))));
  })));
  assert.equal(runs.reduce((s, r) => s + r.overlaps, 0), 0, `two holders at once: ${JSON.stringify(runs)}`);
  assert.ok(runs.reduce((s, r) => s + r.taken, 0) >= 100, `the lock was hardly ever taken: ${JSON.stringify(runs)}`);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes(".tmp-") || f.includes(".stale-")), [], "temporary files left");
});

test("a failed atomic write names the path and leaves no temporary file", () => {
  const store = fresh();
  const target = join(store.dir, "no-such-folder", "x.json");
  assert.throws(() => writeFileAtomic(target, "{}"), /cannot write .*no-such-folder\/x\.json/);
  assert.deepEqual(readdirSync(store.dir).filter((f) => f.includes(".tmp-")), []);
});

test("thread-script folders of killed processes are removed at the next start; live ones stay", async () => {
  const { removeStaleThreadFolders } = await import("../src/compute/wasm-threads");
  const dir = mkdtempSync(join(tmpdir(), "bal-tmp-"));
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(dir, `bal-wasm-threads-${2 ** 22 + 4321}-abc`)); // a pid that does not exist
  mkdirSync(join(dir, `bal-wasm-threads-${process.pid}-def`)); // this live process
  mkdirSync(join(dir, "bal-wasm-threads-old"));
  const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  utimesSync(join(dir, "bal-wasm-threads-old"), old, old);
  const removed = removeStaleThreadFolders(dir).map((p) => p.slice(dir.length + 1)).sort();
  assert.deepEqual(removed, [`bal-wasm-threads-${2 ** 22 + 4321}-abc`, "bal-wasm-threads-old"]);
  assert.deepEqual(readdirSync(dir), [`bal-wasm-threads-${process.pid}-def`]);
});

test("the profile config a notebook writes beside its runs is not read as a run (store, check-learning, reference folders)", async () => {
  const { mkdtempSync, writeFileSync: write } = await import("node:fs");
  const { tmpdir: tmp } = await import("node:os");
  const { join: j } = await import("node:path");
  const { isRunResultFile, PROFILE_CONFIG_FILE, RunStore: Store } = await import("../src/results/store");
  const { loadResultsUnder } = await import("../src/report/learning-check");
  assert.equal(isRunResultFile(PROFILE_CONFIG_FILE), false);
  assert.equal(isRunResultFile("0123456789abcdef.checkpoint.json"), false);
  assert.equal(isRunResultFile("0123456789abcdef.json"), true);
  const dir = mkdtempSync(j(tmp(), "bal-config-"));
  write(j(dir, PROFILE_CONFIG_FILE), JSON.stringify({ profile: "smoke", reduced: true, description: "x" }));
  assert.deepEqual(new Store(dir).all(), []);
  assert.deepEqual(loadResultsUnder(dir), []);
  // Any other stray JSON is still an error naming the file.
  write(j(dir, "stray.json"), "{}");
  assert.throws(() => loadResultsUnder(dir), /stray\.json/);
});
