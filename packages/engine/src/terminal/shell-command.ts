import type { ShellOptions, TtySize } from "../driver";
import { EngineError } from "../errors";

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
 * resize the window. tmux passes the shell integration's marks (OSC 133,
 * wrapped for its passthrough) on to the attached clients only with
 * allow-passthrough on; it drops OSCs it does not know otherwise.
 */
export function attachCommand(options: ShellOptions, size: TtySize): string[] {
  const name = terminalName(options);
  const replayHistory = [
    `if tmux has-session -t ${name} 2>/dev/null; then`,
    `  tmux capture-pane -p -e -J -S -${HISTORY_LINES} -E -1 -t ${name} 2>/dev/null`,
    `  printf '\\n%.0s' $(seq ${size.rows})`,
    "fi",
  ].join("\n");
  const passthrough = "set-option -g allow-passthrough on";
  const attach = options.readOnly
    ? `tmux new-session -d -s ${name} 2>/dev/null; tmux ${passthrough}; exec tmux attach-session -t ${name} -f read-only,ignore-size`
    : `exec tmux new-session -A -s ${name} \\; ${passthrough}`;
  return ["bash", "-c", `${replayHistory}\n${attach}`];
}
