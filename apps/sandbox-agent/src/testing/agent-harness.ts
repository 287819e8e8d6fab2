import { DockerInDockerDriver } from "@drydock/engine";
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
  manageHeaders(token?: string): Record<string, string>;
  createSandbox(owner?: string): Promise<string>;
  token(sandboxId: string, rights: Right, ttlSeconds?: number): string;
  connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers?: Record<string, string>): S;
  close(): Promise<void>;
}

export async function startAgentHarness(): Promise<AgentHarness> {
  const secret = "integration-secret-".padEnd(48, "x");
  const driver = new DockerInDockerDriver({
    image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
    network: process.env.SANDBOX_NETWORK ?? "drydock",
    memoryBytes: 1024 * 1024 * 1024,
    nanoCpus: 1e9,
    pidsLimit: 1024,
  });
  const agent = await startAgent({
    driver,
    secret,
    host: "127.0.0.1",
    port: 0,
    lifetimeSeconds: 600,
    reaperIntervalSeconds: 3600,
    log: createLogger("agent-test", () => {}),
  });
  const created: string[] = [];
  const sockets: Socket[] = [];
  const manageHeaders = (token = mintToken(secret, { sub: "*", rights: "manage" }, 30)) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  });

  return {
    agent,
    secret,
    driver,
    manageHeaders,
    token: (sandboxId, rights, ttlSeconds = 30) => mintToken(secret, { sub: sandboxId, rights }, ttlSeconds),
    async createSandbox(owner = "agent-test") {
      const response = await fetch(`${agent.url}${AGENT_API.sandboxes}`, {
        method: "POST",
        headers: manageHeaders(),
        body: JSON.stringify({ owner }),
      });
      if (response.status !== 201) throw new Error(`creating a sandbox answered ${response.status}: ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      created.push(id);
      return id;
    },
    connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers: Record<string, string> = {}) {
      const socket = io(`${agent.url}${namespace}`, { auth, transports: ["websocket"], reconnection: false, extraHeaders: headers });
      sockets.push(socket);
      return socket as S;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await Promise.all(created.map((id) => driver.destroy(id)));
      await agent.close();
    },
  };
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
