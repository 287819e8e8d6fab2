import { AGENT_API, type SandboxStatus, TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";
import { until } from "./testing/agent-process";
import { outputUntil } from "./testing/terminal-output";

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

let harness: AgentHarness;

beforeAll(async () => {
  // Two boots at once, one while a learner types; no pool, so every start boots.
  harness = await startAgentHarness({ poolSize: 0, startPacing: { concurrency: 2, whileTyping: 1 } });
});

afterAll(async () => {
  await harness.close();
});

async function startThroughApi(owner: string): Promise<string> {
  const response = await fetch(`${harness.agent.url}${AGENT_API.sandboxes}`, {
    method: "POST",
    headers: await harness.manageHeaders(),
    body: JSON.stringify({ owner }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

function waitedForASlot(statuses: readonly SandboxStatus[], sandboxId: string): boolean {
  return statuses.some((status) => status.sandboxId === sandboxId && status.message.startsWith("Waiting for a free start slot"));
}

describe("starts while a learner types", () => {
  it("boot one at a time, so the other core answers the keystrokes; two at once when no one types", async () => {
    const { fleet } = harness.agent;
    const statuses: SandboxStatus[] = [];
    const listening = fleet.onStatus((status) => statuses.push(status));

    const quietPair = await Promise.all([startThroughApi("learner-quiet-1"), startThroughApi("learner-quiet-2")]);
    await until(() => quietPair.every((id) => fleet.status(id)?.state === "ready"), "both starts to be ready", 600_000);
    expect(quietPair.filter((id) => waitedForASlot(statuses, id))).toEqual([]);

    const typist = quietPair[0] ?? "";
    const terminal = harness.connect<TerminalClient>(TERMINAL_NAMESPACE, { sandboxId: typist, token: harness.token(typist, "write") });
    await outputUntil(terminal, "@sandbox");
    const typing = setInterval(() => terminal.emit("terminal:input", "x"), 500);
    try {
      // The typist's keystrokes reach the agent (their echo comes back) before the starts are asked for.
      await outputUntil(terminal, "xx");
      const typingPair = await Promise.all([startThroughApi("learner-late-1"), startThroughApi("learner-late-2")]);
      await until(() => typingPair.every((id) => fleet.status(id)?.state === "ready"), "both starts to be ready", 600_000);
      // The later start waited for the earlier one's boot.
      expect(typingPair.filter((id) => waitedForASlot(statuses, id))).toHaveLength(1);
    } finally {
      clearInterval(typing);
      terminal.disconnect();
      listening.dispose();
    }
  });
});
