import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { AGENT_API } from "@drydock/protocol";
import { mintToken } from "@drydock/server-kit";
import { createSandboxThroughApi } from "./agent-api";

/**
 * The agent as operators run it (scripts/serve.sh): its own process,
 * configured by the environment, in a fleet of the test's own. For tests of
 * what only a real process shows: a SIGKILL, `npm run stop`.
 */
export interface AgentProcess {
  child: ChildProcess;
  url: string;
  fleet: string;
  secret: string;
  manageHeaders(): Promise<Record<string, string>>;
  /** Starts a sandbox for `owner` through the HTTP API and waits until it is ready; returns its id. */
  createSandbox(owner: string): Promise<string>;
  statusOf(sandboxId: string): Promise<string>;
}

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function agentIdentity(prefix: string): { fleet: string; secret: string } {
  return { fleet: `${prefix}-${randomBytes(4).toString("hex")}`, secret: randomBytes(32).toString("hex") };
}

/** Starts the agent's main.ts and resolves once it listens; `env` adds to (or overrides) the test's environment. */
export async function startAgentProcess(
  identity: { fleet: string; secret: string },
  port: number,
  env: Record<string, string> = {},
): Promise<AgentProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      AGENT_PORT: String(port),
      AGENT_FLEET: identity.fleet,
      DRYDOCK_AGENT_SECRET: identity.secret,
      POOL_SIZE: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"agent.listening"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the agent exited with ${code}: ${output}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const manageHeaders = async () => ({
    authorization: `Bearer ${await mintToken(identity.secret, { sub: "*", rights: "manage" }, 30)}`,
    "content-type": "application/json",
  });
  const statusOf = async (sandboxId: string) => {
    const response = await fetch(`${url}${AGENT_API.sandbox(sandboxId)}`, { headers: await manageHeaders() });
    return response.ok ? ((await response.json()) as { state: string }).state : `http ${response.status}`;
  };
  return {
    child,
    url,
    ...identity,
    manageHeaders,
    statusOf,
    createSandbox: (owner) => createSandboxThroughApi(url, owner, manageHeaders, 120_000),
  };
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
