import type { ShellOptions, TtySize } from "./driver";
import { EngineError } from "./errors";

const TERMINAL_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const HISTORY_LINES = 2000;

export function terminalName(options: ShellOptions): string {
  const name = options.terminal ?? "main";
  if (!TERMINAL_NAME.test(name)) {
    throw new EngineError(`"${name}" is not a terminal name.`, "Use 1-32 lowercase letters, digits and dashes.", "bad-request");
  }
  return name;
}

/**
 * The command that attaches a browser to a persistent terminal. The shell
 * lives in a tmux session, not in the connection: a reload or a second tab
 * attaches to the same shell. The session's history is printed first, then
 * pushed above the screen, so it lands in the browser's scrollback before
 * tmux redraws the visible screen. Watchers attach read-only and never
 * resize the window.
 */
export function attachCommand(options: ShellOptions, size: TtySize): string[] {
  const name = terminalName(options);
  // Only when there is history: a shell started ahead (startCommand) has none, and blank lines would fill the scrollback.
  const replayHistory = [
    `if tmux has-session -t ${name} 2>/dev/null; then`,
    `  history=$(tmux capture-pane -p -e -J -S -${HISTORY_LINES} -E -1 -t ${name} 2>/dev/null)`,
    `  if [ -n "$history" ]; then printf '%s\\n' "$history"; printf '\\n%.0s' $(seq ${size.rows}); fi`,
    "fi",
  ].join("\n");
  const attach = options.readOnly
    ? `tmux new-session -d -s ${name} 2>/dev/null; exec tmux attach-session -t ${name} -f read-only,ignore-size`
    : `exec tmux new-session -A -s ${name}`;
  return ["bash", "-c", `${replayHistory}\n${attach}`];
}

/**
 * The command that starts a persistent terminal's shell, detached, unless it
 * runs already (or starts meanwhile): the first attach then finds its prompt
 * drawn instead of waiting for tmux and the shell to start.
 */
export function startCommand(options: ShellOptions): string[] {
  const name = terminalName(options);
  return ["bash", "-c", `tmux new-session -d -s ${name} 2>/dev/null || tmux has-session -t ${name}`];
}
