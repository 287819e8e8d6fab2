import { randomBytes } from "node:crypto";
import { DockerInDockerDriver, removeFleet, SANDBOX_REGISTRY } from "@drydock/engine";
import { createTestNetwork, type TestNetwork } from "@drydock/engine/testing";
import { AGENT_API, createLogger, mintToken, type Reply, type Right } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { type RunningAgent, startAgent } from "../agent";

/**
 * A real agent on a free port, with a real Docker-in-Docker driver, for
 * integration tests: sandboxes made through its HTTP API, sockets opened with
 * real socket.io clients. Everything made is removed by close().
 */
export interface AgentHarness {
  agent: RunningAgent;
  secret: string;
  driver: DockerInDockerDriver;
  /** The harness's own sandbox network; its gateway address serves the registry gateway on port 5000. */
  network: TestNetwork;
  manageHeaders(token?: string): Record<string, string>;
  createSandbox(owner?: string): Promise<string>;
  token(sandboxId: string, rights: Right, ttlSeconds?: number): string;
  connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers?: Record<string, string>): S;
  close(): Promise<void>;
}

export async function startAgentHarness(options: { poolSize?: number } = {}): Promise<AgentHarness> {
  const secret = "integration-secret-".padEnd(48, "x");
  // A fleet of its own: the harness never adopts or reaps another agent's sandboxes.
  const fleet = `test-${randomBytes(4).toString("hex")}`;
  // A network of its own too: its registry gateway then listens on its own address, beside a running
  // Drydock and other test runs, on the port the sandbox image expects.
  const network = await createTestNetwork();
  const driver = new DockerInDockerDriver({
    fleet,
    image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
    network: network.name,
    registryAddress: network.gateway,
    memoryBytes: 1024 * 1024 * 1024,
    nanoCpus: 1e9,
    pidsLimit: 1024,
  });
  const agent = await startAgent({
    driver,
    secret,
    host: "127.0.0.1",
    port: 0,
    policy: { poolSize: options.poolSize ?? 0, lifetimeSeconds: 3600, idleSeconds: 600, warnSeconds: 60 },
    sweepIntervalSeconds: 3600,
    registry: {
      address: network.gateway,
      port: SANDBOX_REGISTRY.port,
      upstream: process.env.REGISTRY_UPSTREAM ?? `http://127.0.0.1:${process.env.DRYDOCK_REGISTRY_PORT ?? 5000}`,
    },
    log: createLogger("agent-test", () => {}),
  });
  if (!agent.registryUrl) {
    await agent.close();
    await removeFleet(fleet);
    await network.remove();
    throw new Error(`the harness's registry gateway did not start on ${network.gateway}:${SANDBOX_REGISTRY.port}`);
  }
  const sockets: Socket[] = [];
  const manageHeaders = (token = mintToken(secret, { sub: "*", rights: "manage" }, 30)) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  });

  return {
    agent,
    secret,
    driver,
    network,
    manageHeaders,
    token: (sandboxId, rights, ttlSeconds = 30) => mintToken(secret, { sub: sandboxId, rights }, ttlSeconds),
    async createSandbox(owner = "agent-test") {
      const response = await fetch(`${agent.url}${AGENT_API.sandboxes}`, {
        method: "POST",
        headers: manageHeaders(),
        body: JSON.stringify({ owner }),
      });
      if (response.status !== 201 && response.status !== 202)
        throw new Error(`creating a sandbox answered ${response.status}: ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      await waitUntilReady(agent.url, id, manageHeaders);
      return id;
    },
    connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers: Record<string, string> = {}) {
      const socket = io(`${agent.url}${namespace}`, { auth, transports: ["websocket"], reconnection: false, extraHeaders: headers });
      sockets.push(socket);
      return socket as S;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await agent.close();
      // Everything of this harness's fleet: its sandboxes and its warm pool.
      await removeFleet(fleet);
      await network.remove();
    },
  };
}

async function waitUntilReady(agentUrl: string, sandboxId: string, headers: () => Record<string, string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${agentUrl}${AGENT_API.sandbox(sandboxId)}`, { headers: headers() });
    const info = (await response.json()) as { state: string; message: string };
    if (info.state === "ready") return;
    if (info.state === "failed") throw new Error(`sandbox ${sandboxId} failed: ${info.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sandbox ${sandboxId} was not ready within 60 s`);
}

/** Resolves with the refusal message, or fails if the connection is accepted. */
export function refusal(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.on("connect", () => reject(new Error("the connection was accepted")));
    socket.on("connect_error", (error) => resolve(error.message));
  });
}

/** Emits a request and resolves with the agent's Reply. */
export function request<T>(socket: Socket, event: string, payload: unknown, timeoutMs = 60_000): Promise<Reply<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Reply<T>>;
}
