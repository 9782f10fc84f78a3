// The CLI end to end on real MNIST (skipped, saying why, when the dataset folder is absent):
// kill -9 in the middle of a run, resume, and get results identical to an uninterrupted run;
// a malformed config is rejected naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataDir, PROJECT_ROOT } from "../src/data/files";
import { compareStores } from "../src/results/compare";

const CLI = join(PROJECT_ROOT, "build", "src", "cli.js");
const CONFIG = join(PROJECT_ROOT, "test", "fixtures", "gal-tiny.json");
const mnistMissing = !existsSync(join(dataDir(), "mnist", "train-images-idx3-ubyte.gz"))
  ? `MNIST not found under ${dataDir()} (set BAL_DATA_DIR)` : false;

function env(results: string): NodeJS.ProcessEnv {
  return { ...process.env, BAL_RESULTS_DIR: results, BAL_NO_DOWNLOAD: "1" };
}

function runCli(args: string[], results: string) {
  return spawnSync(process.execPath, [CLI, ...args], { env: env(results), encoding: "utf8", timeout: 600_000 });
}

test("kill -9 in the middle of a run, then resume: results equal an uninterrupted run", { skip: mnistMissing }, async () => {
  const root = mkdtempSync(join(tmpdir(), "bal-kill-"));
  const serial = join(root, "serial");
  const killed = join(root, "killed");
  const a = runCli(["run", "gal-mnist", "--config", CONFIG], serial);
  assert.equal(a.status, 0, a.stderr);

  const child = spawn(process.execPath, [CLI, "run", "gal-mnist", "--config", CONFIG], { env: env(killed), stdio: "ignore" });
  const store = join(killed, "gal-mnist", "ci-tiny");
  const killedAt = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const ckpt = existsSync(store) ? readdirSync(store).find((f) => f.endsWith(".checkpoint.json")) : undefined;
      if (!ckpt) return;
      let records = 0;
      try { records = JSON.parse(readFileSync(join(store, ckpt), "utf8")).records.length; } catch { return; }
      if (records >= 2) {
        clearInterval(timer);
        child.kill("SIGKILL");
        resolve(records);
      }
    }, 20);
    child.on("exit", () => { clearInterval(timer); reject(new Error("the run finished before it could be killed")); });
  });
  await new Promise((r) => child.on("exit", r));
  assert.equal(child.signalCode, "SIGKILL");
  assert.ok(readdirSync(store).some((f) => f.endsWith(".checkpoint.json")), "a checkpoint survives the kill");

  const resumed = runCli(["run", "gal-mnist", "--config", CONFIG], killed);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /resuming at step [2-9]/, `killed after ${killedAt} steps; output:\n${resumed.stdout}`);
  const c = compareStores(join(serial, "gal-mnist", "ci-tiny"), store);
  assert.deepEqual({ differ: c.differ, onlyInA: c.onlyInA, onlyInB: c.onlyInB, same: c.same.length }, { differ: [], onlyInA: [], onlyInB: [], same: 4 });
  // And the CLI's compare says the same.
  const cmp = spawnSync(process.execPath, [CLI, "compare", join(serial, "gal-mnist", "ci-tiny"), store], { encoding: "utf8" });
  assert.equal(cmp.status, 0, cmp.stdout);
});

test("a malformed config is rejected before any training, naming the field and the expected type", () => {
  const root = mkdtempSync(join(tmpdir(), "bal-badcfg-"));
  const bad = JSON.parse(readFileSync(CONFIG, "utf8"));
  bad.run.T = "twenty";
  const file = join(root, "bad.json");
  writeFileSync(file, JSON.stringify(bad));
  const r = runCli(["run", "gal-mnist", "--config", file], root);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /gal-mnist config\.run\.T: expected a positive integer, got the string "twenty"/);
  writeFileSync(file, "{ not json");
  const j = runCli(["run", "gal-mnist", "--config", file], root);
  assert.equal(j.status, 1);
  assert.match(j.stderr, /--config .*bad\.json: not valid JSON/);
  const u = runCli(["run", "no-such-experiment"], root);
  assert.match(u.stderr, /unknown experiment 'no-such-experiment' \(expected one of gal-mnist, softmax-repeated-mnist, deimos/);
});

test("an unknown flag or a flag without its value is an error before any work, naming the flag", () => {
  const results = mkdtempSync(join(tmpdir(), "bal-cli-flags-"));
  const cases: [string[], RegExp][] = [
    [["run", "gal-mnist", "--shrad", "0/4"], /unknown flag '--shrad' for 'run' \(expected --profile, --shard, --config\)/],
    [["run", "gal-mnist", "--shard"], /flag '--shard' needs a value/],
    [["run", "gal-mnist", "--profile", "--shard", "0/4"], /flag '--profile' needs a value/],
    [["status", "gal-mnist", "--shards", "4"], /unknown flag '--shards' for 'status'/],
    [["runn", "gal-mnist"], /unknown command 'runn'/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args, results);
    assert.notEqual(r.status, 0, `${args.join(" ")} exited 0`);
    assert.match(r.stderr, message, args.join(" "));
  }
  assert.deepEqual(readdirSync(results), []); // nothing was run or written
});
