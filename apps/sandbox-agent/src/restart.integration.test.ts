import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { removeFleet } from "@drydock/engine";
import { AGENT_API, TERMINAL_NAMESPACE } from "@drydock/protocol";
import { mintToken } from "@drydock/server-kit";
import { io, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";

const secret = randomBytes(32).toString("hex");
const fleet = `restart-${randomBytes(4).toString("hex")}`;
const agents: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The agent as operators run it: its own process, configured by the environment. */
async function startAgentProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/sandbox-agent/src/main.ts"], {
    env: { ...process.env, AGENT_PORT: String(port), AGENT_FLEET: fleet, DRYDOCK_AGENT_SECRET: secret, POOL_SIZE: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  agents.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"agent.listening"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the agent exited with ${code}: ${output}`)));
  });
  return child;
}

const manage = async () => ({
  authorization: `Bearer ${await mintToken(secret, { sub: "*", rights: "manage" }, 30)}`,
  "content-type": "application/json",
});

async function statusOf(url: string, sandboxId: string): Promise<string> {
  const response = await fetch(`${url}${AGENT_API.sandbox(sandboxId)}`, { headers: await manage() });
  return response.ok ? ((await response.json()) as { state: string }).state : `http ${response.status}`;
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
  return { socket, text: () => text };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(async () => {
  for (const agent of agents) agent.kill("SIGKILL");
  await removeFleet(fleet);
});

describe("an agent killed with SIGKILL", () => {
  it("loses no running sandbox: the restarted agent adopts it, with its shell and history", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await startAgentProcess(port);
    const created = await fetch(`${url}${AGENT_API.sandboxes}`, {
      method: "POST",
      headers: await manage(),
      body: JSON.stringify({ owner: "learner-restart" }),
    });
    const { id: sandboxId } = (await created.json()) as { id: string };
    await until(async () => (await statusOf(url, sandboxId)) === "ready", "the sandbox to be ready");

    const before = terminalOutput(url, sandboxId);
    before.socket.emit("terminal:input", "export KEPT=value-$((6*7)); echo typed-before-$((1+1))\n");
    await until(() => before.text().includes("typed-before-2"), "the command's output");
    before.socket.close();

    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    await startAgentProcess(port);

    expect(await statusOf(url, sandboxId)).toBe("ready");
    const after = terminalOutput(url, sandboxId);
    await until(() => after.text().includes("typed-before-2"), "the history replayed after the restart");
    after.socket.emit("terminal:input", 'echo "kept=$KEPT"\n');
    await until(() => after.text().includes("kept=value-42"), "the same shell, with its variables");
    after.socket.close();
  });
});
