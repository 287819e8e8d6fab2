import { describe, expect, it } from "vitest";
import type { RunBlock } from "../model";
import { FakeSandbox, sleep } from "../test-support/fake-sandbox";
import { LearnerTerminal, TerminalTimeoutError } from "./learner-terminal";

const at = { file: "steps/01-x.md", line: 1, column: 1 };
const run = (command: string, extra: Partial<RunBlock> = {}): RunBlock => ({
  kind: "run",
  command,
  interrupt: false,
  position: at,
  ...extra,
});
const fast = { quietMs: 60, pollMs: 10, commandTimeoutMs: 2000 };

describe("LearnerTerminal", () => {
  it("waits for the prompt after slow output with pauses, not for the first pause", async () => {
    const sandbox = new FakeSandbox({
      slow: async (shell) => {
        shell.emit("step 1\r\n");
        await sleep(150);
        shell.emit("step 2\r\n");
        await sleep(150);
        return "done\r\n";
      },
    });
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    const mark = terminal.mark();
    await terminal.run(run("slow"));
    expect(await terminal.transcriptSince(mark)).toBe("root@sandbox:~/lab# slow\nstep 1\nstep 2\ndone\nroot@sandbox:~/lab#");
    terminal.dispose();
  });

  it("types a block line by line, each once the shell waits again, including a here-document", async () => {
    const sandbox = new FakeSandbox({ echo: (_, args) => `${args}\r\n` });
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    await terminal.run(run("echo one\ncat > notes.txt <<EOF\nfirst line\nEOF\necho two"));
    expect(sandbox.typed).toEqual(["echo one\r", "cat > notes.txt <<EOF\r", "first line\r", "EOF\r", "echo two\r"]);
    expect(sandbox.files.get("notes.txt")).toBe("first line\n");
    terminal.dispose();
  });

  it("follows a shell started inside a container, with its own prompt, and back out", async () => {
    const sandbox = new FakeSandbox({
      enter: (shell) => {
        shell.prompt = "\x1b[?2004hroot@39deee206bbb:/# \r\x1b[K\rroot@39deee206bbb:/# ";
        return "Unable to find image locally\r\n";
      },
      exit: (shell) => {
        shell.prompt = "\x1b[1;32mroot@sandbox\x1b[0m:~/lab# ";
        return "exit\r\n";
      },
    });
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    await terminal.run(run("enter"));
    await terminal.run(run("exit"));
    expect(await terminal.transcript()).toContain("root@39deee206bbb:/# exit\nexit\nroot@sandbox:~/lab#");
    terminal.dispose();
  });

  it("goes on when a command that keeps running prints the awaited text, and Ctrl-C stops it", async () => {
    const sandbox = new FakeSandbox({
      logs: async (shell) => {
        await sleep(100);
        shell.emit(" * Serving Flask app 'app'\r\n");
        await sleep(100);
        return { output: " * Running on http://127.0.0.1:5000\r\n", keepsRunning: true };
      },
      ls: () => "app.py\r\n",
    });
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    await terminal.run(run("logs -f app", { until: "Running on" }));
    await terminal.run(run("ls", { interrupt: true }));
    expect(sandbox.typed).toEqual(["logs -f app\r", "\x03", "ls\r"]);
    expect(await terminal.transcript()).toContain("^C\nroot@sandbox:~/lab# ls\napp.py");
    terminal.dispose();
  });

  it("finds the prompt right after ^C when the stopped program printed no new line (a foreground docker run)", async () => {
    const sandbox = new FakeSandbox({
      serve: () => ({ output: " * Running on http://127.0.0.1:5000\r\n", keepsRunning: true }),
      ls: () => "app.py\r\n",
    });
    sandbox.interruptEcho = "^C";
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    await terminal.run(run("serve", { until: "Running on" }));
    await terminal.run(run("ls", { interrupt: true }));
    expect(await terminal.transcript()).toContain("^Croot@sandbox:~/lab# ls\napp.py");
    terminal.dispose();
  });

  it("sees a command end at the bottom of a screen that a full-screen program redraws (as tmux does)", async () => {
    const prompt = "root@sandbox:~/lab# ";
    const lines = ["one", "two", prompt];
    const listeners = new Set<(text: string) => void>();
    const redraw = () => {
      for (const listener of listeners) listener(`\x1b[H\x1b[2J${lines.slice(-3).join("\r\n")}`);
    };
    const io = {
      typeInTerminal: (keys: string) => {
        // Nothing echoes while the command runs; afterwards the whole screen is redrawn, the new prompt on the old one's row.
        lines[lines.length - 1] = `${prompt}${keys.trim()}`;
        lines.push(prompt);
        setTimeout(redraw, 30);
      },
      onTerminalOutput: (listener: (text: string) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const terminal = new LearnerTerminal(io, { ...fast, size: { cols: 40, rows: 3 } });
    redraw();
    await terminal.waitForPrompt(2000);
    await terminal.run(run("true"));
    await terminal.run(run("true"));
    expect(await terminal.transcript()).toBe("root@sandbox:~/lab# true\nroot@sandbox:~/lab# true\nroot@sandbox:~/lab#");
    terminal.dispose();
  });

  it("gives up after the block's time limit and shows the screen", async () => {
    const sandbox = new FakeSandbox({ hang: () => ({ output: "still going\r\n", keepsRunning: true }) });
    const terminal = new LearnerTerminal(sandbox, fast);
    await terminal.waitForPrompt(2000);
    const error = await terminal.run(run("hang", { timeoutSeconds: 1 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TerminalTimeoutError);
    expect((error as TerminalTimeoutError).message).toBe(
      'Waited 1 s for `hang` to finish (a prompt, then quiet); the cursor\'s line reads "".',
    );
    expect((error as TerminalTimeoutError).transcript).toBe("Welcome\nroot@sandbox:~/lab# hang\nstill going");
    terminal.dispose();
  });
});
