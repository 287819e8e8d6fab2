import { AGENT_API, type SandboxStatus } from "@drydock/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";
import { until } from "./testing/agent-process";

let harness: AgentHarness;

beforeAll(async () => {
  // Two boots at once, so eight starts must wait their turn.
  harness = await startAgentHarness({ poolSize: 1, startPacing: { concurrency: 2 } });
});

afterAll(async () => {
  await harness.close();
});

describe("many starts at once on a busy machine", () => {
  it("all become ready, paced; the pooled seat is handed out while the others still boot; the pool refills", async () => {
    const { fleet } = harness.agent;
    await until(() => fleet.pooled.length === 1, "the pool to fill");
    const pooled = fleet.pooled[0];
    const statuses: SandboxStatus[] = [];
    const listening = fleet.onStatus((status) => statuses.push(status));

    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const response = await fetch(`${harness.agent.url}${AGENT_API.sandboxes}`, {
          method: "POST",
          headers: await harness.manageHeaders(),
          body: JSON.stringify({ owner: `learner-busy-${index}` }),
        });
        return { status: response.status, body: (await response.json()) as { id: string; state: string } };
      }),
    );
    const handedOut = answers.filter((answer) => answer.status === 201);
    const cold = answers.filter((answer) => answer.status === 202).map((answer) => answer.body.id);
    expect(handedOut.map((answer) => answer.body)).toEqual([expect.objectContaining({ id: pooled, state: "ready" })]);
    expect(cold).toHaveLength(7);
    // The pooled seat did not wait behind the boots: when it was ready, they were still starting.
    expect(cold.filter((id) => fleet.status(id)?.state === "starting").length).toBeGreaterThan(0);

    await until(() => cold.every((id) => fleet.status(id)?.state === "ready"), "every cold start to be ready", 600_000);
    listening.dispose();
    expect(cold.map((id) => fleet.status(id)?.state)).toEqual(Array(7).fill("ready"));
    expect(statuses.some((status) => status.state === "failed")).toBe(false);
    // Some waited for a free place and were told their place in line, with an estimate once boots had been measured;
    // a start's place only ever moved forward.
    const waits = statuses.filter((status) => status.message.startsWith("Waiting for a free start slot: "));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.some((status) => /: \d+(st|nd|rd|th) in line/.test(status.message))).toBe(true);
    expect(waits.some((status) => /, about \d+ (s|min)$/.test(status.message))).toBe(true);
    for (const id of cold) {
      const places = waits
        .filter((status) => status.sandboxId === id)
        .map((status) => (status.message.includes(": next") ? 1 : Number(/(\d+)(st|nd|rd|th) in line/.exec(status.message)?.[1])));
      expect(places).toEqual([...places].sort((a, b) => b - a));
    }
    await until(() => fleet.pooled.length === 1 && fleet.pooled[0] !== pooled, "the pool to refill", 300_000);
  });
});
