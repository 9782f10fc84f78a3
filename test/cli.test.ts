// The CLI end to end on real MNIST (skipped, saying why, when the dataset folder is absent):
// kill -9 in the middle of a run, resume, and get results identical to an uninterrupted run;
// a malformed config is rejected naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

  // Its own process group, killed as a whole (as Slurm kills a task): a CLI that restarted itself after a
  // hung backend start runs the work in a child process.
  const child = spawn(process.execPath, [CLI, "run", "gal-mnist", "--config", CONFIG], { env: env(killed), stdio: "ignore", detached: true });
  const store = join(killed, "gal-mnist", "ci-tiny");
  const killedAt = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const ckpt = existsSync(store) ? readdirSync(store).find((f) => f.endsWith(".checkpoint.json")) : undefined;
      if (!ckpt) return;
      let records = 0;
      try { records = JSON.parse(readFileSync(join(store, ckpt), "utf8")).records.length; } catch { return; }
      if (records >= 2) {
        clearInterval(timer);
        process.kill(-child.pid!, "SIGKILL");
        resolve(records);
      }
    }, 20);
    child.on("exit", () => { clearInterval(timer); reject(new Error("the run finished before it could be killed")); });
  });
  await new Promise((r) => child.on("exit", r));
  assert.equal(child.signalCode, "SIGKILL");
  assert.ok(readdirSync(store).some((f) => f.endsWith(".checkpoint.json")), "a checkpoint survives the kill");
  // `bal status` says where the killed run stands: its checkpoint, and nobody working on it (the holder is dead).
  const status = runCli(["status", "gal-mnist", "--config", CONFIG], killed);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /missing: .* \(checkpoint after step \d+ of \d+ \(resumes with step \d+\)\)\n/);
  assert.doesNotMatch(status.stdout, /in progress/);

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

test("a null config, a repeated flag, --profile beside --config, an empty BAL_RESULTS_DIR and a zero start timeout are errors naming what is wrong", () => {
  const root = mkdtempSync(join(tmpdir(), "bal-holes-"));
  const nullCfg = join(root, "null.json");
  writeFileSync(nullCfg, "null");
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["run", "gal-mnist", "--config", nullCfg], {}, /--config .*null\.json: expected a JSON object .*got null/],
    [["status", "gal-mnist", "--profile", "smoke", "--profile", "paper"], {}, /flag '--profile' given twice \('smoke' and 'paper'\)/],
    [["status", "gal-mnist", "--profile", "smoke", "--config", CONFIG], {}, /--config and --profile name two configurations/],
    [["status", "gal-mnist", "--profile", "smoke"], { BAL_RESULTS_DIR: "" }, /BAL_RESULTS_DIR is set but empty/],
    [["run", "gal-mnist", "--config", CONFIG], { BAL_BACKEND_START_TIMEOUT_S: "0" }, /BAL_BACKEND_START_TIMEOUT_S=0: expected a positive number of seconds/],
  ];
  for (const [args, extra, message] of cases) {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...env(join(root, "results")), ...extra }, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 1, `${args.join(" ")}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
});

test("an unknown flag or a flag without its value is an error before any work, naming the flag", () => {
  const results = mkdtempSync(join(tmpdir(), "bal-cli-flags-"));
  const cases: [string[], RegExp][] = [
    [["run", "gal-mnist", "--shrad", "0/4"], /unknown flag '--shrad' for 'run' \(expected --profile, --shard, --config\)/],
    [["run", "gal-mnist", "--shard"], /flag '--shard' needs a value/],
    [["run", "gal-mnist", "--profile", "--shard", "0/4"], /flag '--profile' needs a value/],
    [["status", "gal-mnist", "--shards", "4"], /unknown flag '--shards' for 'status'/],
    [["runn", "gal-mnist"], /unknown command 'runn'/],
    [["next", "--hours", "x"], /next: expected '\[--hours H\] \[--only EXPERIMENT\[\/PROFILE\]\] \[--run\]' with H > 0 core-hours, got '--hours x'/],
    [["next", "--hour", "2"], /next: expected '\[--hours H\] \[--only EXPERIMENT\[\/PROFILE\]\] \[--run\]'/],
    [["next", "--run", "--hours", "0"], /next: expected .* with H > 0 core-hours, got '--run --hours 0'/],
    [["next", "--only", "--run"], /next: expected .*, got '--only --run'/],
    [["next", "--only", "constructor"], /next --only: no experiment \/ reference profile 'constructor' \(expected an experiment, or one of gal-mnist\/reference, .*softmax-repeated-mnist\/reference/],
    [["next", "--run", "--only", "gal-mnist/paper"], /next --only: no experiment \/ reference profile 'gal-mnist\/paper'/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args, results);
    assert.notEqual(r.status, 0, `${args.join(" ")} exited 0`);
    assert.match(r.stderr, message, args.join(" "));
  }
  assert.deepEqual(readdirSync(results), []); // nothing was run or written
});

test("bal next --only: the missing runs of one experiment, or of one of its reference profiles, and no others", () => {
  const refs = mkdtempSync(join(tmpdir(), "bal-next-only-")); // no committed runs: every reference run is missing
  const rows = (only: string) => {
    const r = spawnSync(process.execPath, [CLI, "next", "--only", only], { env: { ...env(join(refs, "results")), BAL_REFERENCE_DIR: refs }, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return { first: r.stdout.split("\n")[0], where: r.stdout.split("\n").filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split(" | ")[1]) };
  };
  const own = rows("gal-mnist/reference-gal-original");
  assert.match(own.first, /^12 missing reference run\(s\)/);
  assert.deepEqual([...new Set(own.where)], ["gal-mnist / reference-gal-original"]);
  const all = rows("gal-mnist");
  assert.deepEqual([...new Set(all.where)].sort(), ["gal-mnist / reference", "gal-mnist / reference-gal-original"]);
  assert.equal(all.where.filter((w) => w.endsWith("gal-original")).length, 12);
});

test("two concurrent `bal run` on one config: every run is trained by exactly one process, results equal a serial run", { skip: mnistMissing }, async () => {
  const root = mkdtempSync(join(tmpdir(), "bal-two-"));
  const serial = join(root, "serial");
  const shared = join(root, "shared");
  assert.equal(runCli(["run", "gal-mnist", "--config", CONFIG], serial).status, 0);
  const runOne = () => new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(process.execPath, [CLI, "run", "gal-mnist", "--config", CONFIG], { env: env(shared) });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code, out }));
  });
  const [a, b] = await Promise.all([runOne(), runOne()]);
  // Each exits 0, or 3 when runs it skipped (held by the other) were still unfinished when it ended.
  for (const p of [a, b]) {
    assert.ok(p.code === 0 || (p.code === 3 && /run\(s\) skipped, held by another process/.test(p.out)), `exit ${p.code}\n${p.out}`);
  }
  // A run is trained where its step-0 line appears: exactly one of the two processes, for each of the 4 runs.
  for (const run of ["bald seed 1", "random seed 1", "bald seed 2", "random seed 2"]) {
    const trained = [a.out, b.out].filter((o) => o.includes(`${run} step 0/5`)).length;
    assert.equal(trained, 1, `${run} trained ${trained} times\n--- A ---\n${a.out}\n--- B ---\n${b.out}`);
  }
  const c = compareStores(join(serial, "gal-mnist", "ci-tiny"), join(shared, "gal-mnist", "ci-tiny"));
  assert.deepEqual({ differ: c.differ, onlyInA: c.onlyInA, onlyInB: c.onlyInB, same: c.same.length }, { differ: [], onlyInA: [], onlyInB: [], same: 4 });
  assert.deepEqual(readdirSync(join(shared, "gal-mnist", "ci-tiny")).filter((f) => /\.lock$|\.tmp-/.test(f)), [], "locks and temp files are gone");
});

test("bad configs fail before any training, naming the field, the value and what was expected", { skip: mnistMissing }, () => {
  const root = mkdtempSync(join(tmpdir(), "bal-badcfgs-"));
  const base = JSON.parse(readFileSync(CONFIG, "utf8"));
  const cases: [string, (c: Record<string, any>) => void, RegExp][] = [
    ["string learning rate", (c) => { c.run.train.optimizer.lr = "0.001"; }, /config\.run\.train\.optimizer\.lr: expected a positive number, got the string "0.001"/],
    ["negative learning rate", (c) => { c.run.train.optimizer.lr = -1; }, /optimizer\.lr: expected a positive number, got number -1/],
    ["empty strategies", (c) => { c.strategies = []; }, /config\.strategies: expected a non-empty array of strings/],
    ["empty seeds", (c) => { c.seeds = []; }, /config\.seeds: expected a non-empty array of seeds/],
    ["repeated seed", (c) => { c.seeds = [1, 1]; }, /config\.seeds\[1\] 1 \(repeats an earlier element: one result would count twice\)/],
    ["seeds equal as doubles", (c) => { c.seeds = [2 ** 53, 2 ** 53 + 1]; }, /config\.seeds\[0\]: expected a seed, an integer from 0 to 2147483647, got number 9007199254740992/],
    ["fractional seed", (c) => { c.seeds = [1.5]; }, /config\.seeds\[0\]: expected a seed.*got number 1\.5/],
    ["negative seed", (c) => { c.seeds = [-1]; }, /config\.seeds\[0\]: expected a seed.*got number -1/],
    ["huge seed", (c) => { c.seeds = [1e300]; }, /config\.seeds\[0\]: expected a seed.*got number 1e\+300/],
    ["string seeds", (c) => { c.seeds = ["1", "2"]; }, /config\.seeds\[0\]: expected a seed.*got the string "1"/],
    ["repeated strategy", (c) => { c.strategies = ["bald", "bald"]; }, /config\.strategies\[1\] "bald" \(repeats an earlier element/],
    ["T beyond memory", (c) => { c.run.T = 1e9; }, /run config\.T: 1000000000 is above the limit 10,000/],
    ["endless training", (c) => { c.run.train.epochs = 1e12; }, /run config\.train\.epochs: 1000000000000 is above the limit 100,000/],
    ["a class cannot supply the initial set", (c) => { c.run.initialPerClass = 5500; c.run.validationSize = 1; c.run.steps = 0; c.run.poolSubset = 0; c.run.testSubset = 0; }, /initialPerClass 5500 but class \d has only \d+ training examples/],
    ["unknown field", (c) => { c.run.poolSubet = 10; }, /config\.run\.poolSubet: unknown field/],
    ["unknown optimiser field", (c) => { c.run.train.optimizer.momentum = 0.9; }, /optimizer\.momentum: unknown field/],
    ["acquisition larger than the pool subset", (c) => { c.run.acquireSize = 100; }, /acquireSize 100 is larger than poolSubset 60/],
    ["validation larger than the data", (c) => { c.run.validationSize = 70000; }, /validationSize 70000 \+ initial set 20 .* exceed the 60000 training examples/],
    ["test subset larger than the test set", (c) => { c.run.testSubset = 20000; }, /testSubset 20000 exceeds the 10000 test examples/],
    ["consistent MC needed", (c) => { c.strategies = ["random", "batchbald"]; }, /strategy 'batchbald' needs consistent MC dropout/],
    ["profile name escaping the results folder", (c) => { c.profile = "../../elsewhere"; }, /config\.profile: expected a profile name/],
  ];
  for (const [name, edit, message] of cases) {
    const cfg = structuredClone(base);
    edit(cfg);
    const file = join(root, "cfg.json");
    writeFileSync(file, JSON.stringify(cfg));
    const results = join(root, name.replace(/\W+/g, "-"));
    const r = runCli(["run", "gal-mnist", "--config", file], results);
    assert.equal(r.status, 1, `${name}: exit ${r.status}\n${r.stdout}`);
    assert.match(r.stderr, message, name);
    assert.doesNotMatch(r.stdout, /step 0\//, `${name}: training started`);
  }
});

test("a restarted command stops when the process that started it is gone (no orphan keeps training or holding locks)", { skip: mnistMissing }, () => {
  const results = mkdtempSync(join(tmpdir(), "bal-orphan-"));
  // BAL_PARENT_PID names a process that is not this one's parent: as if the parent had been killed.
  const r = spawnSync(process.execPath, [CLI, "run", "gal-mnist", "--config", CONFIG], {
    env: { ...env(results), BAL_START_ATTEMPT: "2", BAL_PARENT_PID: String(process.pid + 999999) }, encoding: "utf8", timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the process that started this attempt \(\d+\) is gone; stopping/);
});

test("SIGTERM (a Slurm time limit, scancel) releases the run's lock at once, keeps the checkpoint, and exits 143", { skip: mnistMissing }, async () => {
  const results = mkdtempSync(join(tmpdir(), "bal-term-"));
  const store = join(results, "gal-mnist", "ci-tiny");
  const child = spawn(process.execPath, [CLI, "run", "gal-mnist", "--config", CONFIG], { env: env(results), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const files = existsSync(store) ? readdirSync(store) : [];
      if (files.some((f) => f.endsWith(".lock")) && files.some((f) => f.endsWith(".checkpoint.json"))) {
        clearInterval(timer);
        child.kill("SIGTERM");
        resolve();
      }
    }, 20);
    child.on("exit", () => { clearInterval(timer); reject(new Error("the run finished before SIGTERM")); });
  });
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  assert.equal(code, 143, stderr);
  assert.match(stderr, /SIGTERM: stopping, 1 run lock\(s\) released/);
  const files = readdirSync(store);
  assert.deepEqual(files.filter((f) => f.endsWith(".lock")), [], "the lock outlived SIGTERM");
  assert.ok(files.some((f) => f.endsWith(".checkpoint.json")), "the checkpoint survives");
});

test("runs held by another live process are skipped and the command exits 3, not 0", { skip: mnistMissing }, async () => {
  const { experimentByName } = await import("../src/experiments/registry");
  const { runKey } = await import("../src/loop/active-learning");
  const { RunStore } = await import("../src/results/store");
  const results = mkdtempSync(join(tmpdir(), "bal-held-"));
  const store = new RunStore(join(results, "gal-mnist", "ci-tiny")).ensureWritable();
  const { sweep } = experimentByName("gal-mnist").load("ci-tiny", JSON.parse(readFileSync(CONFIG, "utf8")));
  const locks = sweep.runs.map((rc) => store.tryLock(runKey(rc))); // this test process holds every run
  const r = runCli(["run", "gal-mnist", "--config", CONFIG], results);
  for (const l of locks) (l as { release(): void }).release();
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${sweep.runs.length} run\\(s\\) skipped, held by another process`));
  assert.match(r.stdout, /skipped, run [0-9a-f]{16} is in progress in process \d+/);
});

test("bal sbatch: --time and --shards checked, paths quoted for the shell, results folder absolute, unwritable folders named", () => {
  const root = mkdtempSync(join(tmpdir(), "bal-sbatch-"));
  const odd = join(root, "a $USER b");
  mkdirSync(odd);
  const cfg = join(odd, "cfg.json");
  writeFileSync(cfg, readFileSync(CONFIG, "utf8"));
  const sb = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [CLI, "sbatch", "gal-mnist", "--config", cfg, "--out", join(root, "x.sbatch"), ...args], { env: { ...env(join(root, "results")), ...extra }, cwd: root, encoding: "utf8" });
  const bad: [string[], RegExp][] = [
    [["--shards", "2", "--time", "00:20:00\n#SBATCH --mem=1T"], /--time "00:20:00\\n#SBATCH --mem=1T": expected a Slurm time limit/],
    [["--shards", "1e6"], /--shards: expected a positive integer, got '1e6'/],
    [["--shards", "0x10"], /--shards: expected a positive integer, got '0x10'/],
    [["--shards", "5"], /--shards 5: the sweep has 4 run\(s\), so at most 4 shards/],
  ];
  for (const [args, message] of bad) {
    const r = sb(args);
    assert.equal(r.status, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const ok = sb(["--shards", "4", "--time", "1-00:00:00"], { BAL_RESULTS_DIR: "rel-results" });
  assert.equal(ok.status, 0, ok.stderr);
  const script = readFileSync(join(root, "x.sbatch"), "utf8");
  assert.match(script, new RegExp(`#SBATCH --output=${join(root, "rel-results", "slurm")}/`), "the log folder is absolute");
  assert.match(script, new RegExp(`export BAL_RESULTS_DIR='${join(root, "rel-results")}'`));
  // The shell reads the config path literally ($USER and the spaces stay as written).
  const execLine = script.split("\n").find((l) => l.startsWith("exec node"))!;
  const words = spawnSync("bash", ["-c", execLine.replace(/^exec node build\/src\/cli\.js/, "printf '%s\\n'")], { encoding: "utf8", env: { ...process.env, SLURM_ARRAY_TASK_ID: "0", USER: "someone" } });
  assert.ok(words.stdout.split("\n").includes(cfg), words.stdout);
  // A results folder that cannot be made (under a plain file: ENOTDIR; as root, permissions do not stop mkdir).
  writeFileSync(join(root, "a-file"), "");
  const ro = sb(["--shards", "2"], { BAL_RESULTS_DIR: join(root, "a-file", "results") });
  assert.equal(ro.status, 1);
  assert.match(ro.stderr, /cannot create the Slurm log folder .*a-file\/results\/slurm \(ENOTDIR\): set BAL_RESULTS_DIR to a writable folder/);
});

test("verify-reference: a committed run's first steps recompute to the same bits; a hand-edited accuracy fails, naming the field", { skip: mnistMissing }, async () => {
  const { recordDifferences } = await import("../src/loop/verify-reference");
  const rec = (acc: number, loss: number) => ({ step: 0, labelled: 10, testAccuracy: acc, valAccuracy: acc, testMeanMI: NaN, acquired: [3], trainEpochs: 5, bestEpoch: -1, finalTrainLoss: loss, valLoss: NaN, seconds: { train: 1, evaluate: 1, acquire: 1 } });
  assert.deepEqual(recordDifferences([rec(0.9, 0.5)], [rec(0.9, 0.5 * (1 + 1e-8))]), [], "NaN equals NaN; the loss diagnostic within 1e-6");
  assert.deepEqual(recordDifferences([rec(0.9, 0.5)], [rec(0.9001, 0.5)]), ["records[0].testAccuracy: 0.9 committed, 0.9001 recomputed", "records[0].valAccuracy: 0.9 committed, 0.9001 recomputed"]);

  // A copy of a committed DEIMOS run (DEIMOS seed 1, with its App. E tuning), alone in a scratch reference folder.
  const refs = mkdtempSync(join(tmpdir(), "bal-verify-"));
  mkdirSync(join(refs, "deimos"));
  const file = join(refs, "deimos", "617537556c77f1ce.json");
  const original = readFileSync(join(PROJECT_ROOT, "reference-results", "deimos", "617537556c77f1ce.json"), "utf8");
  writeFileSync(file, original);
  const verify = (run = "6175") => spawnSync(process.execPath, [CLI, "verify-reference", "deimos", "--steps", "1", "--run", run], { env: { ...env(join(refs, "results")), BAL_REFERENCE_DIR: refs }, encoding: "utf8", timeout: 300_000 });
  const none = verify("ffff");
  assert.equal(none.status, 1, none.stdout + none.stderr);
  assert.match(none.stdout, /deimos: no committed reference runs with a key starting 'ffff'/);
  assert.match(none.stderr, /no committed run could be checked here/);
  const good = verify();
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /617537556c77f1ce \(deimos b=1 seed 1\): first 1 step\(s\) identical/);
  const edited = JSON.parse(original);
  edited.records[0].testAccuracy += 0.001; // the key hashes the config only: the edit passes every other check
  writeFileSync(file, JSON.stringify(edited));
  const bad = verify();
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /records\[0\]\.testAccuracy: [\d.]+ committed, [\d.]+ recomputed/);
});
