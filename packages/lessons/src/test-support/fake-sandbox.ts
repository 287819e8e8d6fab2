import type { CheckOutcome, LessonSandbox } from "../runner/lesson-sandbox";

/** What a made-up command prints; `keepsRunning` leaves it in the foreground (no prompt) until Ctrl-C. */
type CommandOutput = string | { output: string; keepsRunning: true };
type CommandHandler = (shell: FakeSandbox, args: string) => CommandOutput | Promise<CommandOutput>;

/**
 * A pretend sandbox for unit tests: a shell that echoes what is typed, runs a
 * few made-up commands against an in-memory file system, prints a coloured
 * prompt like the real one, and can "enter a container" (another prompt).
 * Checks are JavaScript predicates over the same state.
 */
export class FakeSandbox implements LessonSandbox {
  readonly files = new Map<string, string>();
  readonly typed: string[] = [];
  prompt = "\x1b[?2004h\x1b[1;32mroot@sandbox\x1b[0m:\x1b[1;34m~/lab\x1b[0m# ";
  /** What Ctrl-C prints before the prompt: a program that handles SIGINT and exits (docker run) leaves no new line. */
  interruptEcho = "^C\r\n";
  private readonly listeners = new Set<(text: string) => void>();
  private line = "";
  private busy: Promise<void> = Promise.resolve();
  private heredoc: { path: string; end: string; lines: string[] } | undefined;

  constructor(
    private readonly commands: Record<string, CommandHandler> = {},
    private readonly checks: Record<string, (shell: FakeSandbox) => boolean> = {},
  ) {
    setTimeout(() => this.emit(`Welcome\r\n${this.prompt}`), 5);
  }

  typeInTerminal(keys: string): void {
    this.typed.push(keys);
    if (keys === "\x03") {
      this.busy = this.busy.then(() => this.emit(`${this.interruptEcho}${this.prompt}`));
      return;
    }
    this.line += keys;
    if (!this.line.endsWith("\r")) return;
    const command = this.line.slice(0, -1);
    this.line = "";
    this.busy = this.busy.then(() => this.execute(command));
  }

  onTerminalOutput(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async writeFile(path: string, content: Uint8Array, options: { append: boolean }): Promise<void> {
    const text = new TextDecoder().decode(content);
    this.files.set(path, options.append ? (this.files.get(path) ?? "") + text : text);
  }

  async runCheck(script: string): Promise<CheckOutcome> {
    const name = script.trim();
    const predicate = this.checks[name];
    if (!predicate) return { passed: false, message: `no fake check named ${name}`, output: "", durationMs: 1 };
    const passed = predicate(this);
    return {
      passed,
      message: passed ? "Passed" : `${name} is not done`,
      output: passed ? "" : `FAIL: ${name} is not done\n`,
      durationMs: 1,
    };
  }

  emit(text: string): void {
    for (const listener of this.listeners) listener(text);
  }

  private async execute(command: string): Promise<void> {
    this.emit(`${command}\r\n\x1b[?2004l\r`);
    if (this.heredoc) {
      if (command === this.heredoc.end) {
        this.files.set(this.heredoc.path, `${this.heredoc.lines.join("\n")}\n`);
        this.heredoc = undefined;
        this.emit(this.prompt);
      } else {
        this.heredoc.lines.push(command);
        this.emit("> ");
      }
      return;
    }
    const heredoc = /^cat > (\S+) <<(\w+)$/.exec(command);
    if (heredoc) {
      this.heredoc = { path: heredoc[1] ?? "", end: heredoc[2] ?? "", lines: [] };
      this.emit("> ");
      return;
    }
    const [name = "", ...rest] = command.split(" ");
    const handler = this.commands[name];
    const output = handler ? await handler(this, rest.join(" ")) : name === "" ? "" : `bash: ${name}: command not found\r\n`;
    if (typeof output === "string") {
      this.emit(output);
      this.emit(this.prompt);
    } else {
      this.emit(output.output);
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
