// The first cell of every notebook: start the compute backend and say which one and why, then
// print the profile (flagging reduced configurations) and its whole configuration.
import { BackendStartTimeout, describeBackend, initBackend } from "../compute/backend";
import { watchInterrupts } from "../loop/interrupt";

export interface ProfileHeader {
  profile: string;
  reduced: boolean;
  description: string;
}

/** The profile named by BAL_PROFILE (default smoke). */
export function profileFromEnv(fallback = "smoke"): string {
  return process.env.BAL_PROFILE ?? fallback;
}

export async function startNotebook(cfg: ProfileHeader): Promise<void> {
  watchInterrupts(); // Kernel > Interrupt stops a sweep at the end of the step in flight
  try {
    console.log(describeBackend(await initBackend()));
  } catch (e) {
    // Say it on stderr too: tslab's error reply carries no message, and the headless runners restart
    // the kernel when they read this one (tools/run-notebooks.py, tools/interrupt-test.py).
    if (e instanceof BackendStartTimeout) console.error(`${e.name}: ${e.message}`);
    throw e;
  }
  console.log(`Profile '${cfg.profile}'${cfg.reduced ? " — REDUCED configuration, not comparable to the paper" : ""}`);
  console.log(cfg.description);
  console.log(JSON.stringify(cfg, null, 1));
}
