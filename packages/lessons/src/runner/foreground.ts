import type { RunBlock } from "../model";
import { type LearnerTerminal, TerminalTimeoutError } from "./learner-terminal";

/**
 * Commands that stay in the foreground: a server (`python app.py`), `sleep
 * 1000`, `docker logs -f`. A learner does not wait for them to end: they see
 * the step done (the check passes), and press Ctrl-C before typing the next
 * command. The runner does the same:
 *
 * - a block marked `keeps-running` is typed and the step's check is tried at
 *   once and then every few seconds until it passes (on a page without a
 *   check, until the command's output has settled); the command is left running;
 * - the step's last block, when its command is still running after
 *   `checkAfterMs`, gets the step's check tried the same way while it runs:
 *   when it passes and the command has printed nothing for `startedQuietMs`
 *   (a server waiting for requests, not an install still at work), the step
 *   is done and the command is left running, instead of waiting up to the
 *   block's time limit for it to end. Earlier blocks are waited for: what
 *   follows them needs the terminal;
 * - a command left running (also one an `until=` block followed) is
 *   interrupted with Ctrl-C before the next block is typed, as `interrupt`
 *   would.
 */
export interface ForegroundOptions {
  /** A typed command still running after this long gets the step's check tried while it runs. */
  checkAfterMs: number;
  /** Between two tries of the check while a command runs. */
  checkEveryMs: number;
  /** A keeps-running block on a page without a check counts as started once its output has been still this long. */
  startedQuietMs: number;
}

export const DEFAULT_FOREGROUND_OPTIONS: ForegroundOptions = { checkAfterMs: 10_000, checkEveryMs: 2_000, startedQuietMs: 2_000 };

/** How a run block ended: its command finished, or it was left running in the foreground. */
export type RunOutcome = "finished" | "left-running";

/** Tries the step's check: true once it passes. */
export type StepCheck = () => Promise<boolean>;

/** When to try the step's check while a block's command runs: after how long, and how often; never without a check. */
export function checkSchedule(
  block: RunBlock,
  hasCheck: boolean,
  options: ForegroundOptions,
): { firstAfterMs: number; everyMs: number } | undefined {
  if (!hasCheck || block.until !== undefined) return undefined;
  return { firstAfterMs: block.keepsRunning ? 0 : options.checkAfterMs, everyMs: options.checkEveryMs };
}

/** Whether a block leaves its command in the foreground when it is done (and the next block must interrupt it first). */
export function leavesForegroundBusy(block: RunBlock, outcome: RunOutcome): boolean {
  return outcome === "left-running" || block.until !== undefined;
}

/** Performs run blocks in one terminal, knowing whether a command was left running in its foreground. */
export class ForegroundRunner {
  private busy = false;

  constructor(
    private readonly terminal: LearnerTerminal,
    private readonly options: ForegroundOptions = DEFAULT_FOREGROUND_OPTIONS,
  ) {}

  async run(block: RunBlock, check: StepCheck | undefined): Promise<RunOutcome> {
    // A learner stops what runs in the foreground before typing the next command.
    if (this.busy && !block.interrupt) await this.terminal.interrupt();
    this.busy = false;
    // until=TEXT already says when to go on: the terminal waits for the text.
    const keepsRunning = block.keepsRunning === true && block.until === undefined;
    const outcome = keepsRunning ? await this.keepRunning(block, check) : await this.runWatching(block, check);
    this.busy = leavesForegroundBusy(block, outcome);
    return outcome;
  }

  /** Types every line but the last as usual, starts the last, and goes on once the check passes (or its output settled). */
  private async keepRunning(block: RunBlock, check: StepCheck | undefined): Promise<RunOutcome> {
    const lines = block.command.split("\n");
    const last = lines.pop() ?? "";
    const head: RunBlock = {
      kind: "run",
      command: lines.join("\n"),
      interrupt: block.interrupt,
      position: block.position,
      ...(block.timeoutSeconds !== undefined ? { timeoutSeconds: block.timeoutSeconds } : {}),
    };
    if (lines.length > 0) await this.terminal.run(head);
    else if (block.interrupt) await this.terminal.interrupt();
    const timeoutMs = this.terminal.timeoutOf(block);
    if (!check) {
      await this.terminal.start(last, { quietMs: this.options.startedQuietMs, timeoutMs });
      return "left-running";
    }
    await this.terminal.start(last, { quietMs: 0, timeoutMs });
    const passed = await this.pollCheck(check, 0, timeoutMs, new AbortController().signal);
    if (!passed) {
      throw new TerminalTimeoutError(
        `Waited ${Math.round(timeoutMs / 1000)} s for the step's check to pass while \`${last}\` kept running.`,
        await this.terminal.transcript(),
      );
    }
    return "left-running";
  }

  /** Runs the block as usual; meanwhile, once it has run for a while, tries the check: a pass ends the wait. */
  private async runWatching(block: RunBlock, check: StepCheck | undefined): Promise<RunOutcome> {
    const schedule = checkSchedule(block, check !== undefined, this.options);
    if (!schedule || !check) {
      await this.terminal.run(block);
      return "finished";
    }
    const stopWaiting = new AbortController();
    const stopPolling = new AbortController();
    const finished = this.terminal.run(block, stopWaiting.signal).then(() => "finished" as const);
    // Only a command that has gone quiet counts as left running: one still printing is at work and ends by itself.
    const quietAndPassing = async () => this.terminal.silentForMs() >= this.options.startedQuietMs && (await check());
    const checked = this.pollCheck(quietAndPassing, schedule.firstAfterMs, Number.POSITIVE_INFINITY, stopPolling.signal).then((passed) =>
      passed ? ("left-running" as const) : undefined,
    );
    try {
      const first = await Promise.race([finished, checked]);
      if (first === "left-running") {
        stopWaiting.abort(new Error("the step's check passed while the command ran"));
        await finished.catch(() => {});
        return "left-running";
      }
      return "finished";
    } finally {
      stopPolling.abort();
      await checked.catch(() => {});
    }
  }

  /** Tries the check after `firstAfterMs`, then every `checkEveryMs`, until it passes (true), the time is up or polling is stopped (false). */
  private async pollCheck(check: StepCheck, firstAfterMs: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const started = Date.now();
    let wait = firstAfterMs;
    while (!signal.aborted) {
      if (!(await pause(wait, signal))) return false;
      if (await check()) return true;
      if (Date.now() - started >= timeoutMs) return false;
      wait = this.options.checkEveryMs;
    }
    return false;
  }
}

/** Waits `ms`; false when stopped first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", stop, { once: true });
  });
}
