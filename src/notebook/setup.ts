// The first cell of every notebook: start the compute backend and say which one and why, then
// print the profile (flagging reduced configurations) in a few lines, and write its whole
// configuration beside its results (the notebook cell stays short).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BackendStartTimeout, describeBackend, initBackend } from "../compute/backend";
import { PROJECT_ROOT } from "../data/files";
import { watchInterrupts } from "../loop/interrupt";
import { resultsRoot } from "../loop/sweep";
import { PROFILE_CONFIG_FILE } from "../results/store";

export interface ProfileHeader {
  profile: string;
  reduced: boolean;
  description: string;
  seeds?: number[];
}

/** The profile named by BAL_PROFILE (default smoke). */
export function profileFromEnv(fallback = "smoke"): string {
  return process.env.BAL_PROFILE ?? fallback;
}

/** Writes the whole configuration to <results>/<experiment>/<profile>/config.json; returns the path. */
export function writeConfig(experiment: string, cfg: ProfileHeader): string {
  const dir = join(resultsRoot(), experiment, cfg.profile);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, PROFILE_CONFIG_FILE);
  writeFileSync(path, `${JSON.stringify(cfg, null, 1)}\n`);
  return path;
}

export async function startNotebook(cfg: ProfileHeader, experiment: string): Promise<void> {
  watchInterrupts(); // Kernel > Interrupt stops a sweep at the end of the step in flight
  try {
    console.log(describeBackend(await initBackend()));
  } catch (e) {
    // Say it on stderr too: tslab's error reply carries no message, and the headless runners restart
    // the kernel when they read this one (tools/run-notebooks.py, tools/interrupt-test.py).
    if (e instanceof BackendStartTimeout) console.error(`${e.name}: ${e.message}`);
    throw e;
  }
  console.log(`Profile '${cfg.profile}'${cfg.reduced ? " — REDUCED configuration, not comparable to the paper" : " (not reduced)"}`);
  console.log(cfg.description);
  if (cfg.seeds) console.log(`Seeds: ${cfg.seeds.join(", ")}`);
  const path = writeConfig(experiment, cfg);
  const shown = path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path;
  console.log(`Whole configuration: ${shown} (the protocol table below reads every field of it)`);
}
