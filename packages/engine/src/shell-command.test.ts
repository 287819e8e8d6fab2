import { describe, expect, it } from "vitest";
import { attachCommand, startCommand, terminalName } from "./shell-command";

describe("terminal attach command", () => {
  it("uses the main terminal by default and attaches or creates it for writers", () => {
    const [shell, flag, script] = attachCommand({}, { cols: 80, rows: 24 });
    expect([shell, flag]).toEqual(["bash", "-c"]);
    expect(script).toContain("exec tmux new-session -A -s main");
    expect(script).toContain("seq 24");
  });

  it("starts a terminal's shell detached, and is content when it runs already", () => {
    expect(startCommand({ terminal: "build" })).toEqual([
      "bash",
      "-c",
      "tmux new-session -d -s build 2>/dev/null || tmux has-session -t build",
    ]);
    expect(() => startCommand({ terminal: "x;reboot" })).toThrow(/not a terminal name/);
  });

  it("attaches watchers read-only and without resizing the window", () => {
    const script = attachCommand({ terminal: "build", readOnly: true }, { cols: 80, rows: 30 })[2];
    expect(script).toContain("attach-session -t build -f read-only,ignore-size");
    expect(script).not.toContain("new-session -A");
  });

  it.each(["", "Main", "a b", "x;rm -rf /", "-flag", "a".repeat(33)])("refuses the terminal name %j", (name) => {
    expect(() => terminalName({ terminal: name })).toThrow(/not a terminal name/);
  });
});
