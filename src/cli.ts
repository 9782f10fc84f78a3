#!/usr/bin/env node
// bal: run experiments outside notebooks, shard them, and generate Slurm job arrays.
//   bal run <experiment> [--profile P] [--shard i/n]
//   bal status <experiment> [--profile P]
//   bal plan <experiment> [--profile P] [--measure K]   the missing runs, their estimated cost and the claims each one decides
//   bal next [--hours H] [--only EXP[/PROFILE]] [--run]   missing reference runs, the most claims decided per core-hour first; --run makes them
//   bal sbatch <experiment> [--profile P] --shards N [--out FILE] [--time HH:MM:SS]
//   bal compare <results-dir-a> <results-dir-b>
//   bal reproduced [README.md]   the claims table from reference-results/ (printed, or written into the README)
//   bal verify-reference [EXPERIMENT] [--steps K] [--sample N] [--run KEY]   re-run the first K steps of N committed runs (or run KEY), compare exactly
// --config FILE (run, status, sbatch): a JSON experiment config instead of a named profile.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { BackendStartTimeout, describeBackend, initBackend } from "./compute/backend";
import { PROJECT_ROOT } from "./data/files";
import { EXPERIMENTS, experimentByName } from "./experiments/registry";
import { parseShard } from "./loop/shard";
import { collectRuns, isReferenceProfile, REFERENCE_PROFILE, resultsRoot, runLabel, runSweep } from "./loop/sweep";
import { firstStepsSeconds, verifyCommittedRun } from "./loop/verify-reference";
import { referenceStatus } from "./report/reference";
import { nextCommand, planCommand, statusCommand } from "./cli-plan";
import { AlRunConfig, runKey } from "./loop/active-learning";
import { closeRenderer, svgTitleFits } from "./figures/render";
import { checkNotebooks, dataCheck } from "./cli-checks";
import { checkLearning, loadResultsUnder } from "./report/learning-check";
import { compareStores } from "./results/compare";
import { lockStaleSeconds, releaseHeldLocks } from "./results/store";
import { reproducedMarkdown, writeReproducedSection } from "./experiments/reproduced";

function listSvgs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listSvgs(join(dir, e.name)) : e.name.endsWith(".svg") ? [join(dir, e.name)] : []);
}

function readConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`--config ${path}: cannot read (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`--config ${path}: expected a JSON object (an experiment config with profile, description, ...), got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  return value;
}

function usage(): never {
  console.error(`usage:
  bal run <experiment> [--profile P] [--shard i/n]
  bal status <experiment> [--profile P]
  bal plan <experiment> [--profile P] [--measure K]
                                      (missing runs, estimated core-hours, claims each run decides; --measure: run the
                                       first K steps of each kind of run nothing (or only other strategies) measured yet, in a scratch folder)
  bal next [--hours H] [--only EXPERIMENT[/PROFILE]] [--run]
                                      (every experiment's missing reference runs, cheapest undecided claim first;
                                       --hours: those whose cumulative estimate fits in H core-hours; --only: one
                                       experiment's (or one reference profile's); --run: a lane that makes them in
                                       that order, planning again after each, skipping held runs)
  bal sbatch <experiment> [--profile P] --shards N [--out FILE] [--time HH:MM:SS]
  bal compare <results-dir-a> <results-dir-b>
  bal reproduced [README.md]
  bal verify-reference [experiment] [--steps K] [--sample N] [--run KEY]
                                      (re-run the first K steps (2) of the N (1) cheapest committed reference runs
                                       per reference profile (reference, reference-<name>) and compare every recorded number exactly; --sample all: every run;
                                       --run: only the runs whose key starts with KEY)
  bal check-figures <figures-dir>     (every exported title fits its figure)
  bal check-notebooks <executed-notebooks-dir> [--screenshots DIR]
                                      (renders each executed notebook, saves a screenshot, fails on raw JSON / float noise in a table)
  bal data-check [--profile P] <experiment>...
                                      (the dataset files those runs read are all in BAL_DATA_DIR, else one list and the fix; exit 2)
  bal check-learning <results-dir>    (every finished run beats chance by a clear margin)
  bal backend                         (the compute backend that would run here, and why; BAL_BACKEND forces one)
  --config FILE replaces --profile with a JSON experiment config (its "profile" field names the results folder)
experiments: ${Object.keys(EXPERIMENTS).join(", ")}`);
  process.exit(2);
}

/** The flags each command takes: anything else is an error, never a silently ignored typo (--shrad). */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  run: ["profile", "shard", "config"],
  status: ["profile", "config"],
  sbatch: ["profile", "shards", "out", "time", "config"],
  plan: ["profile", "config", "measure"],
};

function parseArgs(argv: string[]): { cmd: string; experiment: string; flags: Record<string, string> } {
  const [cmd, experiment, ...rest] = argv;
  if (!cmd || !experiment) usage();
  const allowed = COMMAND_FLAGS[cmd];
  if (!allowed) throw new Error(`unknown command '${cmd}' (expected run, status, plan, sbatch or compare)`);
  experimentByName(experiment);
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(rest[i]);
    if (!m) throw new Error(`unexpected argument '${rest[i]}'`);
    if (!allowed.includes(m[1])) throw new Error(`unknown flag '--${m[1]}' for '${cmd}' (expected ${allowed.map((f) => `--${f}`).join(", ")})`);
    const value = m[2] ?? rest[++i];
    if (value === undefined || value === "" || (m[2] === undefined && value.startsWith("--"))) throw new Error(`flag '--${m[1]}' needs a value`);
    if (m[1] in flags) throw new Error(`flag '--${m[1]}' given twice ('${flags[m[1]]}' and '${value}')`);
    flags[m[1]] = value;
  }
  if (flags.config !== undefined && flags.profile !== undefined) throw new Error(`--config and --profile name two configurations: give one (--config's file names its own profile)`);
  return { cmd, experiment, flags };
}

/** Where array tasks write their logs (created when the script is generated: Slurm opens it first). */
function slurmLogDir(): string {
  return join(resultsRoot(), "slurm");
}

/** `bal verify-reference [EXPERIMENT] [--steps K] [--sample N|all] [--run KEY]`: exit 1 on any difference. */
async function verifyReference(args: string[]): Promise<void> {
  let experiment: string | undefined;
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--(steps|sample|run)(?:=(.*))?$/.exec(args[i]);
    if (m) {
      const v = m[2] ?? args[++i];
      if (v === undefined || v === "") throw new Error(`flag '--${m[1]}' needs a value`);
      if (m[1] in opts) throw new Error(`flag '--${m[1]}' given twice`);
      opts[m[1]] = v;
    } else if (args[i].startsWith("--")) throw new Error(`unknown flag '${args[i]}' for 'verify-reference' (expected --steps, --sample, --run)`);
    else if (experiment === undefined) experiment = args[i];
    else throw new Error(`unexpected argument '${args[i]}'`);
  }
  const steps = Number(opts.steps ?? "2");
  if (!/^[1-9]\d*$/.test(opts.steps ?? "2")) throw new Error(`--steps: expected a positive integer, got '${opts.steps}'`);
  const sample = opts.sample === "all" ? Infinity : Number(opts.sample ?? "1");
  if (opts.sample !== undefined && opts.sample !== "all" && !/^[1-9]\d*$/.test(opts.sample)) throw new Error(`--sample: expected a positive integer or 'all', got '${opts.sample}'`);
  const names = experiment ? [experiment] : Object.keys(EXPERIMENTS).filter((n) => EXPERIMENTS[n].profiles.includes(REFERENCE_PROFILE));
  const info = await initBackend();
  console.log(describeBackend(info));
  let failed = 0;
  let checked = 0;
  // Every reference profile of each experiment (`reference`, then any `reference-<name>`), each its own sample.
  const targets = names.flatMap((n) => {
    const entry = experimentByName(n);
    if (!entry.profiles.includes(REFERENCE_PROFILE)) throw new Error(`verify-reference: '${n}' has no reference profile`);
    return entry.profiles.filter(isReferenceProfile).map((profile) => ({ profile, entry, name: profile === REFERENCE_PROFILE ? n : `${n}/${profile}` }));
  });
  for (const { name, entry, profile } of targets) {
    const { sweep } = entry.load(profile);
    const runs = referenceStatus(sweep).current.filter((r) => opts.run === undefined || r.key.startsWith(opts.run)).sort((a, b) => firstStepsSeconds(a, steps) - firstStepsSeconds(b, steps));
    if (runs.length === 0) { console.log(`${name}: no committed reference runs${opts.run === undefined ? "" : ` with a key starting '${opts.run}'`}`); continue; }
    for (const r of runs.slice(0, sample)) {
      const made = r.provenance?.backend;
      if (made && made !== info.choice) {
        console.log(`${name} ${r.key}: made on '${made}', this process runs '${info.choice}': bitwise checks need the same backend (BAL_BACKEND=${made}); skipped`);
        continue;
      }
      const v = await verifyCommittedRun(sweep, r, steps);
      checked++;
      if (v.differences.length) {
        failed++;
        console.log(`${name} ${v.key} (${v.label}): first ${v.steps} step(s) DIFFER from the committed run (${v.seconds.toFixed(0)} s):`);
        for (const d of v.differences.slice(0, 20)) console.log(`  ${d}`);
      } else console.log(`${name} ${v.key} (${v.label}): first ${v.steps} step(s) identical to the committed run (${v.seconds.toFixed(0)} s)`);
    }
  }
  if (checked === 0) throw new Error("verify-reference: no committed run could be checked here");
  console.log(`verify-reference: ${checked - failed} of ${checked} runs identical`);
  if (failed) process.exitCode = 1;
}

/** Exit status of `bal run` when runs were skipped because another process holds them. */
export const EXIT_HELD = 3;

/** A word for a POSIX shell: single-quoted, embedded single quotes escaped ($USER or spaces in a path stay literal). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Slurm's --time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
export function checkSlurmTime(time: string): string {
  if (!/^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+(:\d{2}){0,2})$/.test(time)) {
    throw new Error(`--time ${JSON.stringify(time)}: expected a Slurm time limit (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS)`);
  }
  return time;
}

/** --shards: a plain positive decimal integer, at most the sweep's run count (an empty shard would do nothing). */
export function checkShards(text: string | undefined, runs: number): number {
  if (!text || !/^[1-9]\d*$/.test(text)) throw new Error(`--shards: expected a positive integer, got '${text ?? ""}'`);
  const n = Number(text);
  if (n > runs) throw new Error(`--shards ${n}: the sweep has ${runs} run(s), so at most ${runs} shards (more would leave tasks with nothing to do)`);
  return n;
}

export function sbatchScript(experiment: string, profile: string, shards: number, time: string, configFile?: string): string {
  const source = configFile ? `--config ${shellQuote(configFile)}` : `--profile ${shellQuote(profile)}`;
  const logDir = slurmLogDir();
  // #SBATCH lines are not parsed by a shell: a path Slurm would split or misread is refused.
  if (/[\s'"\\$`%]/.test(logDir)) throw new Error(`the Slurm log folder ${JSON.stringify(logDir)} has spaces, quotes, '$', '%' or backslashes, which #SBATCH --output cannot hold: set BAL_RESULTS_DIR to a plain path`);
  const results = process.env.BAL_RESULTS_DIR !== undefined ? `export BAL_RESULTS_DIR=${shellQuote(resultsRoot())}\n` : "";
  return `#!/bin/bash
#SBATCH --job-name=bal-${experiment}-${profile}
#SBATCH --array=0-${shards - 1}
#SBATCH --cpus-per-task=2
#SBATCH --time=${checkSlurmTime(time)}
#SBATCH --output=${logDir}/%x-%A_%a.out
# Generated by: bal sbatch ${experiment} ${source} --shards ${shards}
# Each array task runs one shard; finished runs are skipped, killed runs resume from their checkpoint
# (a time limit or scancel sends SIGTERM: the task releases its runs' locks; kill -9 leaves them, taken over
# after BAL_LOCK_STALE_S without a heartbeat). Exit status ${EXIT_HELD}: some runs were held by another
# process, so this shard is not complete: resubmit once they finish.
set -euo pipefail
cd ${shellQuote(PROJECT_ROOT)}
${results}exec node build/src/cli.js run ${experiment} ${source} --shard "\${SLURM_ARRAY_TASK_ID}/${shards}"
`;
}

async function main(): Promise<void> {
  if (process.argv[2] === "reproduced") {
    const target = process.argv[3];
    if (target) {
      writeReproducedSection(resolve(target));
      console.log(`rewrote the 'What this workspace reproduced' section of ${target}`);
    } else console.log(reproducedMarkdown());
    return;
  }
  if (process.argv[2] === "check-notebooks") {
    if (!process.argv[3]) usage();
    await checkNotebooks(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "data-check") {
    if (!dataCheck(process.argv.slice(3))) usage();
    return;
  }
  if (process.argv[2] === "next") {
    if ((await nextCommand(process.argv.slice(3))).held > 0) process.exitCode = EXIT_HELD;
    return;
  }
  if (process.argv[2] === "verify-reference") {
    await verifyReference(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "check-figures") {
    // Every exported SVG under a folder: its title and subtitle must lie within the figure.
    const dir = process.argv[3];
    if (!dir) usage();
    const files = listSvgs(resolve(dir));
    if (!files.length) throw new Error(`check-figures: no .svg files under ${dir}`);
    const bad: string[] = [];
    for (const f of files) {
      const fits = await svgTitleFits(readFileSync(f, "utf8"));
      if (!fits.length) bad.push(`${f}: no title`);
      for (const t of fits.filter((x) => !x.fits)) bad.push(`${f}: '${t.text}' spans ${t.left.toFixed(0)}..${t.right.toFixed(0)} px of ${t.width.toFixed(0)}`);
    }
    await closeRenderer();
    if (bad.length) throw new Error(`titles cut at the figure's edges:\n  ${bad.join("\n  ")}`);
    console.log(`check-figures: the titles of all ${files.length} figures fit`);
    return;
  }
  if (process.argv[2] === "backend") {
    // Exits non-zero when a forced backend (BAL_BACKEND) cannot start: `make webgpu-smoke` skips on that.
    console.log(describeBackend(await initBackend()));
    return;
  }
  if (process.argv[2] === "check-learning") {
    // Every finished run under a folder must beat chance by a clear margin (smoke profiles in make test).
    const dir = process.argv[3];
    if (!dir) usage();
    const results = loadResultsUnder(resolve(dir));
    if (!results.length) throw new Error(`check-learning: no finished runs under ${dir}`);
    const checks = checkLearning(results);
    for (const c of checks) {
      console.log(`check-learning: ${c.group}: ${c.runs} runs, mean final test accuracy ${(100 * c.meanFinal).toFixed(1)}% ` +
        `(worst ${c.worst.strategy} seed ${c.worst.seed}: ${(100 * c.worst.accuracy).toFixed(1)}%), chance ${(100 * c.chance).toFixed(1)}%`);
    }
    const failures = checks.flatMap((c) => c.failures);
    if (failures.length) throw new Error(`runs that do not learn:\n  ${failures.join("\n  ")}`);
    return;
  }
  if (process.argv[2] === "compare") {
    const [a, b] = process.argv.slice(3);
    if (!a || !b) usage();
    const c = compareStores(resolve(a), resolve(b));
    console.log(`same: ${c.same.length}, different: ${c.differ.length}, only in ${a}: ${c.onlyInA.length}, only in ${b}: ${c.onlyInB.length}`);
    for (const k of c.differ) console.log(`  differs: ${k}`);
    for (const k of c.onlyInA) console.log(`  only in ${a}: ${k}`);
    for (const k of c.onlyInB) console.log(`  only in ${b}: ${k}`);
    process.exitCode = c.differ.length || c.onlyInA.length || c.onlyInB.length || c.same.length === 0 ? 1 : 0;
    return;
  }
  const { cmd, experiment, flags } = parseArgs(process.argv.slice(2));
  const configFile = flags.config ? resolve(flags.config) : undefined;
  const config = configFile ? readConfig(configFile) : undefined;
  const profile = config ? String((config as { profile?: unknown }).profile ?? "custom") : flags.profile ?? "smoke";
  const { description, sweep, claims } = experimentByName(experiment).load(profile, config);
  if (cmd === "run") {
    const info = await initBackend();
    console.log(describeBackend(info));
    console.log(`${experiment} / ${profile}: ${description}`);
    const shard = flags.shard ? parseShard(flags.shard) : undefined;
    // Some sweeps grow once earlier runs exist (the hybrid study's extended part uses the best
    // hybrids of its search part): re-plan after each pass until nothing new appears.
    let current = sweep;
    const held: AlRunConfig[] = [];
    for (;;) {
      await runSweep(current, { shard, held });
      const next = experimentByName(experiment).load(profile, config).sweep;
      if (next.runs.length === current.runs.length) break;
      current = next;
    }
    const { results, missing } = collectRuns(current);
    console.log(`${results.length} finished runs in the store; ${missing.length} missing`);
    // Runs skipped because another process held them, and still unfinished: not a finished sweep.
    const missingKeys = new Set(missing.map(runKey));
    const stillHeld = [...new Map(held.map((rc) => [runKey(rc), rc])).values()].filter((rc) => missingKeys.has(runKey(rc)));
    if (stillHeld.length > 0) {
      console.error(`bal: ${stillHeld.length} run(s) skipped, held by another process: ${stillHeld.map((rc) => `${runLabel(rc)} (${runKey(rc)})`).join("; ")}. ` +
        `Run this command again once they finish, or after BAL_LOCK_STALE_S (${lockStaleSeconds()} s) without a heartbeat if their holder is gone; exit status ${EXIT_HELD}.`);
      process.exitCode = EXIT_HELD;
    }
  } else if (cmd === "plan") {
    await planCommand(sweep, claims, flags.measure);
  } else if (cmd === "status") {
    statusCommand(sweep);
  } else if (cmd === "sbatch") {
    const shards = checkShards(flags.shards, sweep.runs.length);
    const out = resolve(flags.out ?? `${experiment}-${profile}.sbatch`);
    const script = sbatchScript(experiment, profile, shards, flags.time ?? "48:00:00", configFile);
    try {
      mkdirSync(slurmLogDir(), { recursive: true });
    } catch (e) {
      throw new Error(`cannot create the Slurm log folder ${slurmLogDir()} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): set BAL_RESULTS_DIR to a writable folder`);
    }
    try {
      writeFileSync(out, script);
    } catch (e) {
      throw new Error(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): pass --out with a writable path`);
    }
    console.log(`wrote ${out}; submit with: sbatch ${out}`);
  } else usage();
}

const MAX_START_ATTEMPTS = 3;

/** Runs this same command again in a fresh process (after a hung backend start); returns its exit code. */
function startAgain(attempt: number): number {
  const r = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: "inherit", env: { ...process.env, BAL_START_ATTEMPT: String(attempt + 1), BAL_PARENT_PID: String(process.pid) },
  });
  return r.status ?? 1;
}

// A restarted command must not outlive the process that started it: a `kill -9` of that process (a
// cancelled Slurm task, a test) would otherwise leave it training and holding its runs' locks. Node has
// no parent-death signal, so the restarted process watches its parent id and stops when it changes.
const parentPid = Number(process.env.BAL_PARENT_PID ?? "0");
if (parentPid > 0) {
  setInterval(() => {
    if (process.ppid !== parentPid) {
      releaseHeldLocks();
      console.error(`bal: the process that started this attempt (${parentPid}) is gone; stopping (finished runs and checkpoints are kept, run locks released)`);
      process.exit(1);
    }
  }, 500).unref();
}

// A time limit / scancel (SIGTERM) or Ctrl-C (SIGINT): release this process's run locks so a resubmitted task can
// take the runs at once (the step in flight is lost, its checkpoint is not), then exit as killed by the signal.
for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  process.on(signal, () => {
    const n = releaseHeldLocks();
    console.error(`bal: ${signal}: stopping${n ? `, ${n} run lock(s) released` : ""} (finished runs and checkpoints are kept)`);
    process.exit(code);
  });
}

// Never exit 0 without having finished: if the event loop empties while main() is still pending
// (a promise that can never settle), say so and fail, so a Slurm task cannot report success having done nothing.
let finished = false;
process.on("exit", (code) => {
  if (!finished && code === 0) {
    console.error("bal: the process ran out of work before the command finished (nothing left to wait on); treating this as a failure");
    process.exitCode = 70;
  }
});

main().then(() => { finished = true; return closeRenderer(); }).catch((e) => {
  finished = true;
  const attempt = Number(process.env.BAL_START_ATTEMPT ?? "1");
  if (e instanceof BackendStartTimeout && attempt < MAX_START_ATTEMPTS) {
    console.error(`bal: ${(e as Error).message}; starting again (attempt ${attempt + 1} of ${MAX_START_ATTEMPTS})`);
    process.exit(startAgain(attempt));
  }
  console.error(`bal: ${(e as Error).message}`);
  process.exit(1);
});
