import { once } from "node:events";
import { stripVTControlCharacters } from "node:util";
import { removeFleet } from "@drydock/engine";
import { AGENT_API, type SandboxInfo, TERMINAL_NAMESPACE } from "@drydock/protocol";
import { mintToken } from "@drydock/server-kit";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type AgentProcess, agentIdentity, freePort, startAgentProcess, until } from "./testing/agent-process";

const identity = agentIdentity("restart");
const { secret } = identity;
const agents: AgentProcess[] = [];

async function startAgent(port: number): Promise<AgentProcess> {
  const agent = await startAgentProcess(identity, port);
  agents.push(agent);
  return agent;
}

function terminalOutput(url: string, sandboxId: string): { socket: Socket; text: () => string } {
  let text = "";
  const socket = io(`${url}${TERMINAL_NAMESPACE}`, {
    auth: (callback) => void mintToken(secret, { sub: sandboxId, rights: "write" }, 30).then((token) => callback({ sandboxId, token })),
    transports: ["websocket"],
    reconnection: false,
  });
  socket.on("terminal:output", (data: Uint8Array, ack: () => void) => {
    text += Buffer.from(data).toString("utf8");
    ack();
  });
  return { socket, text: () => stripVTControlCharacters(text) };
}

/**
 * A test's agents end with it: a restarted agent left running would sweep the
 * next test's sandbox of the same fleet away as one it does not know (an
 * orphan), racing that test's pause, which once left CI waiting on a
 * removal of a frozen container.
 */
afterEach(async () => {
  await Promise.all(
    agents.splice(0).map(async (agent) => {
      if (agent.child.exitCode !== null || agent.child.signalCode !== null) return;
      agent.child.kill("SIGKILL");
      await once(agent.child, "exit");
    }),
  );
});

afterAll(async () => {
  await removeFleet(identity.fleet);
});

describe("an agent killed with SIGKILL", () => {
  it("loses no running sandbox: the restarted agent adopts it, with its shell and history", async () => {
    const port = await freePort();
    const first = await startAgent(port);
    const { url } = first;
    const sandboxId = await first.createSandbox("learner-restart");

    const before = terminalOutput(url, sandboxId);
    before.socket.emit("terminal:input", "export KEPT=value-$((6*7)); echo typed-before-$((1+1))\n");
    await until(() => before.text().includes("typed-before-2"), "the command's output");
    before.socket.close();

    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const second = await startAgent(port);

    expect(await second.statusOf(sandboxId)).toBe("ready");
    const after = terminalOutput(url, sandboxId);
    await until(() => after.text().includes("typed-before-2"), "the history replayed after the restart");
    after.socket.emit("terminal:input", 'echo "kept=$KEPT"\n');
    await until(() => after.text().includes("kept=value-42"), "the same shell, with its variables");
    after.socket.close();
  });

  it("keeps a paused seat paused, its time still stopped, and resumes it", async () => {
    const port = await freePort();
    const first = await startAgent(port);
    const sandboxId = await first.createSandbox("learner-paused-restart");
    const post = async (agent: AgentProcess, path: string) =>
      (await (await fetch(`${agent.url}${path}`, { method: "POST", headers: await agent.manageHeaders() })).json()) as SandboxInfo;
    const paused = await post(first, AGENT_API.pause(sandboxId));
    expect(paused.state).toBe("paused");

    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const second = await startAgent(port);

    expect(await second.statusOf(sandboxId)).toBe("paused");
    const resumed = await post(second, AGENT_API.resume(sandboxId));
    expect(resumed.state).toBe("ready");
    // The time it spent paused, the restart included, was given back.
    expect(Date.parse(resumed.expiresAt ?? "")).toBeGreaterThan(Date.parse(paused.expiresAt ?? ""));
    const after = terminalOutput(second.url, sandboxId);
    after.socket.emit("terminal:input", 'echo "thawed-$((6*7))"\n');
    await until(() => after.text().includes("thawed-42"), "the shell to answer after the resume");
    after.socket.close();
  });
});
