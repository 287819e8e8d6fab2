import { describe, expect, it } from "vitest";
import { attachCommand, terminalName } from "./shell-command";

describe("terminal attach command", () => {
  it("uses the main terminal by default and attaches or creates it for writers", () => {
    const [shell, flag, script] = attachCommand({}, { cols: 80, rows: 24 });
    expect([shell, flag]).toEqual(["bash", "-c"]);
    expect(script).toContain("exec tmux new-session -A -s main \\; set-option -g allow-passthrough on");
    expect(script).toContain("seq 24");
  });

  it("attaches watchers read-only and without resizing the window", () => {
    const script = attachCommand({ terminal: "build", readOnly: true }, { cols: 80, rows: 30 })[2];
    expect(script).toContain("attach-session -t build -f read-only,ignore-size");
    expect(script).not.toContain("new-session -A");
    expect(script).toContain("tmux set-option -g allow-passthrough on;");
  });

  it.each(["", "Main", "a b", "x;rm -rf /", "-flag", "a".repeat(33)])("refuses the terminal name %j", (name) => {
    expect(() => terminalName({ terminal: name })).toThrow(/not a terminal name/);
  });
});
