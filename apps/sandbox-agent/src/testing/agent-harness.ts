import { randomBytes } from "node:crypto";
import {
  DockerInDockerDriver,
  packageCacheProxyUrl,
  removeFleet,
  removeNetworkPolicy,
  SANDBOX_ISOLATIONS,
  SANDBOX_PACKAGE_CACHE_PORT,
  SANDBOX_REGISTRY,
  type SandboxEgress,
  type SandboxIsolation,
} from "@drydock/engine";
import { createTestNetwork, type TestNetwork } from "@drydock/engine/testing";
import type { Reply } from "@drydock/protocol";
import { createLogger, mintToken, type Right } from "@drydock/server-kit";
import { io, type Socket } from "socket.io-client";
import { type RunningAgent, startAgent } from "../agent";
import { HOST_PACKAGE_CACHE } from "../package-cache-gateway";
import { machinePacing, type StartPacing } from "../start-scheduler";
import { createSandboxThroughApi } from "./agent-api";

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
  manageHeaders(token?: string): Promise<Record<string, string>>;
  createSandbox(owner?: string): Promise<string>;
  token(sandboxId: string, rights: Right, ttlSeconds?: number): Promise<string>;
  /** `auth`'s values may be promises (a token being minted): the handshake waits for them. */
  connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers?: Record<string, string>): S;
  close(): Promise<void>;
}

export interface AgentHarnessOptions {
  poolSize?: number;
  /** How the harness's fleet name starts (default "test"); a random suffix keeps the fleet its own. */
  fleetPrefix?: string;
  /** Default: $SANDBOX_ISOLATION, else the engine's default. */
  isolation?: SandboxIsolation;
  egress?: SandboxEgress;
  /** The deployment's limits (default 1 GiB, 1 CPU, 1024 pids). */
  memoryBytes?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  /** Each sandbox's data disk (default 4 GiB, as deployed). */
  diskBytes?: number;
  /** Sandboxes booting at once, and while learners type (default: as deployed, machinePacing). */
  startPacing?: StartPacing;
  /** Serve the host's package cache (drydock-apt-cache) to the sandboxes, as deployed; off by default. */
  packageCache?: boolean;
  /** The cache behind it (default: the host's, HOST_PACKAGE_CACHE). */
  packageCacheUpstream?: string;
  /** A Docker Hub mirror behind the registry gateway (an http:// URL). */
  hubMirror?: string;
}

export async function startAgentHarness(options: AgentHarnessOptions = {}): Promise<AgentHarness> {
  const secret = "integration-secret-".padEnd(48, "x");
  // A fleet of its own: the harness never adopts or reaps another agent's sandboxes.
  const fleet = `${options.fleetPrefix ?? "test"}-${randomBytes(4).toString("hex")}`;
  // A network of its own too: its registry gateway then listens on its own address, beside a running
  // Drydock and other test runs, on the port the sandbox image expects.
  const network = await createTestNetwork();
  const driver = new DockerInDockerDriver({
    fleet,
    image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
    network: network.name,
    registryAddress: network.gateway,
    packageCacheProxy: options.packageCache ? packageCacheProxyUrl(network.gateway) : undefined,
    isolation: options.isolation ?? isolationFromEnvironment(),
    memoryBytes: options.memoryBytes ?? 1024 * 1024 * 1024,
    nanoCpus: options.nanoCpus ?? 1e9,
    pidsLimit: options.pidsLimit ?? 1024,
    diskBytes: options.diskBytes ?? 4 * 1024 ** 3,
  });
  const networkPolicy = {
    network: network.name,
    gateway: network.gateway,
    registryPort: SANDBOX_REGISTRY.port,
    packageCachePort: options.packageCache ? SANDBOX_PACKAGE_CACHE_PORT : undefined,
    egress: options.egress ?? "internet",
  } as const;
  const agent = await startAgent({
    driver,
    secret,
    host: "127.0.0.1",
    port: 0,
    policy: { poolSize: options.poolSize ?? 0, lifetimeSeconds: 3600, idleSeconds: 600, warnSeconds: 60 },
    sweepIntervalSeconds: 3600,
    startPacing: options.startPacing ?? machinePacing(),
    registry: {
      address: network.gateway,
      port: SANDBOX_REGISTRY.port,
      upstream: process.env.REGISTRY_UPSTREAM ?? `http://127.0.0.1:${process.env.DRYDOCK_REGISTRY_PORT ?? 5000}`,
      hubMirror: options.hubMirror,
    },
    packageCache: options.packageCache
      ? { address: network.gateway, port: SANDBOX_PACKAGE_CACHE_PORT, upstream: options.packageCacheUpstream ?? HOST_PACKAGE_CACHE }
      : undefined,
    networkPolicy,
    log: createLogger("agent-test", () => {}),
  });
  const removeNetwork = async () => {
    await removeNetworkPolicy(network.name);
    await network.remove();
  };
  const missing = !agent.registryUrl
    ? `registry gateway on ${network.gateway}:${SANDBOX_REGISTRY.port}`
    : options.packageCache && !agent.packageCacheUrl
      ? `package-cache gateway on ${network.gateway}:${SANDBOX_PACKAGE_CACHE_PORT}`
      : undefined;
  if (missing) {
    await agent.close();
    await removeFleet(fleet);
    await removeNetwork();
    throw new Error(`the harness's ${missing} did not start`);
  }
  const sockets: Socket[] = [];
  const manageHeaders = async (token?: string) => ({
    authorization: `Bearer ${token ?? (await mintToken(secret, { sub: "*", rights: "manage" }, 30))}`,
    "content-type": "application/json",
  });

  return {
    agent,
    secret,
    driver,
    network,
    manageHeaders,
    token: (sandboxId, rights, ttlSeconds = 30) => mintToken(secret, { sub: sandboxId, rights }, ttlSeconds),
    createSandbox: (owner = "agent-test") => createSandboxThroughApi(agent.url, owner, manageHeaders, 60_000),
    connect<S extends Socket = Socket>(namespace: string, auth: Record<string, unknown>, headers: Record<string, string> = {}) {
      const socket = io(`${agent.url}${namespace}`, {
        auth: (callback) => void resolveValues(auth).then(callback),
        transports: ["websocket"],
        reconnection: false,
        extraHeaders: headers,
      });
      sockets.push(socket);
      return socket as S;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await agent.close();
      // Everything of this harness's fleet: its sandboxes and its warm pool.
      await removeFleet(fleet);
      await removeNetwork();
    },
  };
}

function isolationFromEnvironment(): SandboxIsolation | undefined {
  const value = process.env.SANDBOX_ISOLATION;
  if (!value) return undefined;
  const known: readonly string[] = SANDBOX_ISOLATIONS;
  if (!known.includes(value)) throw new Error(`SANDBOX_ISOLATION=${value}: use ${SANDBOX_ISOLATIONS.join(" or ")}`);
  return value as SandboxIsolation;
}

async function resolveValues(record: Record<string, unknown>): Promise<Record<string, unknown>> {
  return Object.fromEntries(await Promise.all(Object.entries(record).map(async ([key, value]) => [key, await value])));
}

/** The token with its signature replaced: its header and claims still read as valid. */
export function forgeSignature(token: string): string {
  return token.replace(/[^.]*$/, "AAAA");
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
