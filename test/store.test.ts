import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunLock, RunStore, writeFileAtomic } from "../src/results/store";

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
  store.save("k3", { key: "k3", records: [] });
  assert.equal(store.has("k3"), true);
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
