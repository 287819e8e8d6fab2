import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";
import { outputUntil } from "./testing/terminal-output";

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

let harness: AgentHarness;

const writer = (sandboxId: string, size = { cols: 100, rows: 30 }) =>
  harness.connect<TerminalClient>(TERMINAL_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "write"), size });

/** What tmux says about the main terminal's window, without attaching to it. */
async function tmux(sandboxId: string, format: string): Promise<string> {
  return (await harness.driver.exec(sandboxId, ["tmux", "display-message", "-p", "-t", "main", format])).stdout;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until the sandbox's main tmux session runs, without attaching to it. */
async function untilShellRuns(sandboxId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await harness.driver.exec(sandboxId, ["tmux", "has-session", "-t", "main"])).exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no shell in ${sandboxId} within ${timeoutMs} ms`);
}

beforeAll(async () => {
  harness = await startAgentHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe("a learner's first terminal, opened ahead", () => {
  it("runs its shell before anyone connects, and hands it to the first writer at their size", async () => {
    const sandboxId = await harness.createSandbox("ahead-1");
    await untilShellRuns(sandboxId);
    const socket = writer(sandboxId);
    const prompt = outputUntil(socket, "@sandbox");
    await prompt;
    const done = outputUntil(socket, "size-done");
    socket.emit("terminal:input", 'stty size; echo "size-""done"\r');
    expect(await done).toMatch(/30 100[\s\S]*size-done/);
    socket.close();
  });

  it("is taken once: the next writer attaches anew to the same shell, at its own size", async () => {
    const sandboxId = await harness.createSandbox("ahead-2");
    const first = writer(sandboxId);
    const set = outputUntil(first, "set-done");
    first.emit("terminal:input", 'echo "set-""done"\r');
    await set;
    first.close();
    const second = writer(sandboxId, { cols: 90, rows: 20 });
    // The same shell's screen, at the new writer's size.
    await outputUntil(second, "set-done");
    await until(async () => (await tmux(sandboxId, "#{window_width}x#{window_height}")) === "90x20\n");
    second.close();
  });
});
