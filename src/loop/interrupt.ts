// Interrupting a sweep from Jupyter. The kernelspec asks for interrupt_mode "signal", so Jupyter's
// interrupt sends SIGINT to the kernel; tslab then ends the cell at once, but the sweep's promise
// would go on training in the background. In a notebook, watchInterrupts() makes the sweep stop
// too: at the end of the step in flight (training is synchronous, so the signal is seen between
// steps), after that step's checkpoint is written — finished runs stay, the interrupted run resumes
// there next time. The CLI keeps Node's default (Ctrl-C ends the process; checkpoints survive).
let watching = false;
let requested = false;

export class RunInterrupted extends Error {
  constructor(where: string) {
    super(`Interrupted (${where}): finished runs are kept and the interrupted run resumes at its next step when the sweep runs again`);
    this.name = "RunInterrupted";
  }
}

/** Installs the SIGINT watcher (idempotent; notebooks call it from their setup cell). */
export function watchInterrupts(): void {
  if (watching) return;
  watching = true;
  process.on("SIGINT", () => {
    requested = true;
  });
}

/** Forgets an interrupt that arrived before this sweep started. */
export function clearInterrupt(): void {
  requested = false;
}

/** Throws RunInterrupted if an interrupt arrived since the last check. */
export function throwIfInterrupted(where: string): void {
  if (!requested) return;
  requested = false;
  throw new RunInterrupted(where);
}
