import type { CheckOutcome } from "@drydock/protocol";
import type { TerminalIO } from "./learner-terminal";

/** The result of a script: exit 0 passes; `message` is the FAIL: lines (or a generic reason). The wire's shape, declared once. */
export type { CheckOutcome } from "@drydock/protocol";

/**
 * What the runner needs of a sandbox. Deliberately small and free of Drydock's
 * engine: the command line wires it to `@drydock/engine`, tests to a fake, and
 * any other host (an agent, a CI service) can provide it.
 */
export interface LessonSandbox extends TerminalIO {
  /**
   * Writes a file as the editor would (absolute path inside the sandbox),
   * creating its folders. `append` adds to the end instead of replacing.
   */
  writeFile(path: string, content: Uint8Array, options: { append: boolean; mode?: number }): Promise<void>;
  /** Runs a bash script inside the sandbox (a check or a setup script) with a time limit. */
  runCheck(script: string, options: { timeoutMs: number }): Promise<CheckOutcome>;
  /**
   * The terminal's whole history as text, when the sandbox keeps one (a tmux
   * session does). Optional: without it the transcript is what the runner's
   * own screen kept, which misses lines a full-screen program redrew away.
   */
  readTerminalHistory?(): Promise<string>;
}
