import type { CheckOutcome } from "@drydock/protocol";

/**
 * A lesson step's check: a shell script run inside the sandbox. Exit 0 passes;
 * lines on stdout starting "FAIL:" say why it did not. Its result is the
 * wire's `CheckOutcome`, declared once in @drydock/protocol.
 */

export interface CheckOptions {
  timeoutMs: number;
  maxOutputBytes: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { timeoutMs: 30_000, maxOutputBytes: 64 * 1024 };

/** Exit status of coreutils `timeout` when the command ran out of time. */
export const TIMEOUT_EXIT_CODE = 124;

/** The command that runs a check script from stdin under a time limit (coreutils `timeout` in the sandbox). */
export function checkCommand(timeoutMs: number): string[] {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ["timeout", "--kill-after=2", String(seconds), "bash", "-s"];
}

export function interpretCheck(
  run: { exitCode: number; stdout: string; stderr: string; truncated: boolean },
  options: CheckOptions,
  durationMs: number,
): CheckOutcome {
  const reasons = run.stdout
    .split(/\r?\n/)
    .filter((line) => line.startsWith("FAIL:"))
    .map((line) => line.slice("FAIL:".length).trim())
    .filter((line) => line.length > 0);
  const output = [run.stdout, run.stderr].filter(Boolean).join(run.stdout.endsWith("\n") || !run.stderr ? "" : "\n");
  const passed = run.exitCode === 0;
  let message: string;
  if (passed) message = "Passed";
  else if (run.exitCode === TIMEOUT_EXIT_CODE || run.exitCode === 137)
    message = `The check did not finish within ${Math.round(options.timeoutMs / 1000)} s.`;
  else if (reasons.length > 0) message = reasons.join("\n");
  else message = `The check failed (exit code ${run.exitCode}).`;
  return {
    passed,
    message,
    output: run.truncated ? `${output}\n[output truncated at ${options.maxOutputBytes} bytes]` : output,
    durationMs,
  };
}
