import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configKey, RunLock, RunStore, writeFileAtomic } from "../src/results/store";
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

test("one writer per run: a live holder keeps its lock, a dead one's lock is taken over, another host's lock goes stale without heartbeats", () => {
  const store = fresh();
  const first = store.tryLock("run");
  assert.ok(first instanceof RunLock);
  const second = store.tryLock("run");
  assert.ok(!(second instanceof RunLock), "the lock was taken twice");
  assert.equal((second as { pid: number }).pid, process.pid);
  (first as RunLock).release();
  assert.ok(store.tryLock("run") instanceof RunLock);
  // A lock left by a process that no longer exists on this host.
  const path = store.path("dead", "lock");
  writeFileSync(path, JSON.stringify({ host: require("node:os").hostname(), pid: 2 ** 22 + 12345, since: "then" }));
  assert.ok(store.tryLock("dead") instanceof RunLock, "a dead process's lock was not taken over");
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
});

test("a failed atomic write names the path and leaves no temporary file", () => {
  const store = fresh();
  const target = join(store.dir, "no-such-folder", "x.json");
  assert.throws(() => writeFileAtomic(target, "{}"), /cannot write .*no-such-folder\/x\.json/);
  assert.deepEqual(readdirSync(store.dir).filter((f) => f.includes(".tmp-")), []);
});
