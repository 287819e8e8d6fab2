/**
 * Keeps a sandbox's exec starts and its pause apart. A process runc starts
 * while the cgroup freezes (cgroup v1) is frozen half-started: its exec
 * never becomes ready, and Docker's lock on the container stays taken, so
 * every later call on it (inspect, unpause, remove) waits. This is how a
 * workshop seat paused just as the agent opened its terminal ahead of the
 * learner hung CI. An exec start enters the gate until Docker has its
 * process running; a pause waits until no start is under way, and starts
 * wait while it runs (and then find the sandbox paused, which Docker refuses
 * cleanly).
 */
export class FreezeGate {
  private starting = 0;
  private drained: (() => void) | undefined;
  /** Pauses and resumes, one after the other, and how many are waiting or running. */
  private changes: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Waits out the pauses under way, then holds the gate until the returned function is called. */
  async enter(): Promise<() => void> {
    while (this.pending > 0) await this.changes.catch(() => {});
    this.starting += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.starting -= 1;
      if (this.starting === 0) this.drained?.();
    };
  }

  /** Runs a pause (or resume) once no exec start is under way, holding new starts back meanwhile. */
  async freeze<T>(change: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const run = this.changes
      .catch(() => {})
      .then(async () => {
        while (this.starting > 0) {
          await new Promise<void>((resolve) => {
            this.drained = resolve;
          });
        }
        return change();
      });
    this.changes = run;
    try {
      return await run;
    } finally {
      this.pending -= 1;
    }
  }
}
