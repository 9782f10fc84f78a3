// The first cell of every notebook: start the compute backend and say which one and why, then
// print the profile (flagging reduced configurations) and its whole configuration.
import { describeBackend, initBackend } from "../compute/backend";
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
  console.log(describeBackend(await initBackend()));
  console.log(`Profile '${cfg.profile}'${cfg.reduced ? " — REDUCED configuration, not comparable to the paper" : ""}`);
  console.log(cfg.description);
  console.log(JSON.stringify(cfg, null, 1));
}
