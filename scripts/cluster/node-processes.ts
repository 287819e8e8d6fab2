/**
 * Drydock's own processes in the cluster: a web node (apps/web/server.ts on
 * the production build, as scripts/serve.sh runs it) and an agent
 * (apps/sandbox-agent/src/main.ts) in a fleet of its own.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_API } from "@drydock/protocol";
import { type SupervisedProcess, superviseProcess } from "./supervised-process";

export const ROOT = join(import.meta.dirname, "../..");
export const WEB_SERVER = join(ROOT, "apps/web/server.ts");
export const AGENT_MAIN = join(ROOT, "apps/sandbox-agent/src/main.ts");
const PROVISION_ENV = "/var/lib/drydock/provision.env";

export interface WebNodeOptions {
  name: string;
  port: number;
  logFile: string;
  /** Its readiness probe, and the balancer's health check. */
  healthPath: string;
  env: Record<string, string>;
}

export interface AgentNodeOptions {
  name: string;
  port: number;
  fleet: string;
  logFile: string;
  env: Record<string, string>;
  /** The web nodes the agent dials its tunnels to: then it has no address of its own for them (AGENT_PUBLIC_URL). */
  tunnelTo?: string[];
}

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.ok;
}

export function webNodeProcess(options: WebNodeOptions): SupervisedProcess {
  if (!existsSync(join(ROOT, "apps/web/.next/BUILD_ID")))
    throw new Error(
      "The web app has no production build (apps/web/.next/BUILD_ID). npm run cluster builds it; " +
        "tests: source scripts/lib/prepare.sh; prepare_web_build (npm test does).",
    );
  return superviseProcess({
    name: options.name,
    command: process.execPath,
    args: ["--import", "tsx", WEB_SERVER],
    cwd: join(ROOT, "apps/web"),
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      WEB_HOST: "127.0.0.1",
      WEB_PORT: String(options.port),
      WEB_NODE_ID: options.name,
      // HAProxy on this host: the learner's address is the one it puts in X-Forwarded-For.
      TRUSTED_PROXIES: "127.0.0.1",
      ...options.env,
    },
    logFile: options.logFile,
    ready: () => answers(`http://127.0.0.1:${options.port}${options.healthPath}`),
    readyTimeoutMs: 180_000,
  });
}

/** The Docker Hub mirror that provisioning made, for the agents' registry gateway (as scripts/serve.sh hands it on). */
export function provisionedHubMirror(): string | undefined {
  try {
    return (
      readFileSync(PROVISION_ENV, "utf8")
        .match(/^HUB_MIRROR_URL=(.*)$/m)?.[1]
        ?.trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export function agentNodeProcess(options: AgentNodeOptions): SupervisedProcess {
  const hubMirror = provisionedHubMirror();
  return superviseProcess({
    name: options.name,
    command: process.execPath,
    args: ["--import", "tsx", AGENT_MAIN],
    cwd: ROOT,
    env: {
      ...process.env,
      ...(hubMirror && !process.env.HUB_MIRROR_UPSTREAM ? { HUB_MIRROR_UPSTREAM: hubMirror } : {}),
      AGENT_HOST: "127.0.0.1",
      AGENT_PORT: String(options.port),
      AGENT_FLEET: options.fleet,
      // The contract names the fleet DRYDOCK_FLEET; the agent reads AGENT_FLEET today. Both say the same.
      DRYDOCK_FLEET: options.fleet,
      ...(options.tunnelTo
        ? { AGENT_TUNNEL_URLS: options.tunnelTo.join(","), AGENT_PUBLIC_URL: "" }
        : { AGENT_PUBLIC_URL: `http://127.0.0.1:${options.port}` }),
      ...options.env,
    },
    logFile: options.logFile,
    ready: () => answers(`http://127.0.0.1:${options.port}${AGENT_API.health}`),
    readyTimeoutMs: 180_000,
  });
}
