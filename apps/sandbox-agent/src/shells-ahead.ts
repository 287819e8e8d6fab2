import type { Disposable, SandboxDriver, TtySession, TtySize } from "@drydock/engine";
import type { Logger } from "@drydock/server-kit";

/** How long a terminal opened ahead waits for its learner before it is closed (the shell stays). */
const KEEP_MS = 60_000;
/** Its size until the learner's terminal, which sets its own, takes it. */
const AHEAD_SIZE: TtySize = { cols: 80, rows: 24 };

interface Parked {
  session: Promise<TtySession>;
  timer: NodeJS.Timeout;
}

/**
 * The main terminal of a sandbox just handed to a learner, opened ahead:
 * while their page connects, the shell starts and the attachment is made, so
 * the prompt shows without waiting for an exec, tmux and bash. Taken by the
 * first writer to attach; closed when nobody does in time, or when the
 * sandbox goes.
 */
export class ShellsAhead implements Disposable {
  private readonly parked = new Map<string, Parked>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly log: Logger,
  ) {}

  open(sandboxId: string): void {
    this.discard(sandboxId);
    const session = this.driver.openShell(sandboxId, AHEAD_SIZE);
    const timer = setTimeout(() => this.discard(sandboxId), KEEP_MS);
    timer.unref();
    const parked: Parked = { session, timer };
    this.parked.set(sandboxId, parked);
    session.catch((error: unknown) => {
      this.log.warn("terminal.ahead_failed", { sandboxId, error });
      if (this.parked.get(sandboxId) === parked) this.forget(sandboxId);
    });
  }

  /** The terminal opened ahead, if it is still open: the caller owns it then. */
  async take(sandboxId: string): Promise<TtySession | undefined> {
    const parked = this.parked.get(sandboxId);
    if (!parked) return undefined;
    this.forget(sandboxId);
    const session = await parked.session.catch(() => undefined);
    if (session && (session.stream.destroyed || session.stream.readableEnded)) {
      session.dispose();
      return undefined;
    }
    return session;
  }

  discard(sandboxId: string): void {
    const parked = this.parked.get(sandboxId);
    if (!parked) return;
    this.forget(sandboxId);
    parked.session.then(
      (session) => session.dispose(),
      () => {},
    );
  }

  dispose(): void {
    for (const sandboxId of [...this.parked.keys()]) this.discard(sandboxId);
  }

  private forget(sandboxId: string): void {
    clearTimeout(this.parked.get(sandboxId)?.timer);
    this.parked.delete(sandboxId);
  }
}
