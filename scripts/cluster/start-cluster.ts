/**
 * One machine plays the cluster: PostgreSQL, Redis, web nodes behind HAProxy
 * and agents as separate fleets on this host's Docker engine, started in
 * order (databases, migrations, web nodes, balancer, agents), each killable
 * and restartable by name. `npm run cluster` and the cluster's integration
 * tests both use it. Needs the web build and the Prisma client
 * (scripts/lib/prepare.sh), and the shared agent secret.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { removeFleet } from "@drydock/engine";
import { issueAgentCredential } from "./agent-credentials";
import { type ServiceInfo, type ServiceKind, writeRecord } from "./cluster-record";
import { type Balancer, prepareBalancer } from "./haproxy";
import type { ServerStates } from "./haproxy-config";
import { clusterLayout } from "./layout";
import { AGENT_MAIN, agentNodeProcess, ROOT, WEB_SERVER, webNodeProcess } from "./node-processes";
import { preparePostgres } from "./postgres";
import { prepareRedis } from "./redis";
import type { SupervisedProcess } from "./supervised-process";

const run = promisify(execFile);

export interface ClusterOptions {
  basePort: number;
  webNodes?: number;
  agents?: number;
  /** Agents' fleets are `<fleetPrefix>-a1`…; default "cluster". */
  fleetPrefix?: string;
  /**
   * Where the services keep their data, sockets and logs (`npm run cluster`:
   * .drydock/cluster, kept across runs). Default: a temporary folder,
   * removed by stop().
   */
  stateDir?: string;
  /**
   * The web nodes' database instead of the cluster's PostgreSQL (which is
   * then not started): e.g. another PostgreSQL, or one SQLite file
   * (`file:/abs/path.db`) the nodes share.
   */
  databaseUrl?: string;
  /** The web nodes' health path: their readiness and the balancer's check. Default /healthz. */
  webHealthPath?: string;
  /** More environment for the web nodes (limits). */
  webEnv?: Record<string, string>;
  /** More environment for the agents (POOL_SIZE, limits): the same for all, or each its own by name (a1…). */
  agentEnv?: Record<string, string> | ((agent: string) => Record<string, string>);
  /**
   * How web nodes reach agents: "tunnel" (default), through the tunnels each agent dials to every web
   * node, as on hosts without an inbound port; "direct", at each agent's own URL (AGENT_PUBLIC_URL).
   */
  agentReach?: "tunnel" | "direct";
  /** DRYDOCK_AGENT_SECRET shared by every web node and agent; default the environment's, else .drydock/agent-secret. */
  agentSecret?: string;
  /** One structured line per event (default: none). */
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface RunningCluster {
  /** The balancer's URL: where browsers and the agents' CONTROL_PLANE_URL go. */
  balancerUrl: string;
  databaseUrl: string;
  redisUrl: string;
  stateDir: string;
  fleets: string[];
  /** Every service, in start order, with its URL and current pid. */
  services(): ServiceInfo[];
  service(name: string): ServiceInfo;
  /** Signals the service's whole process group (SIGKILL: as if its machine died); resolves once it is gone for SIGKILL/SIGTERM. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts the service again (stopping it first if it runs) on the same port and data; resolves once it is ready. */
  restart(name: string): Promise<void>;
  /** The web nodes' states in the balancer (UP, DOWN, …). */
  balancerStates(): Promise<ServerStates>;
  /** The end of a service's log, for a failing test's message. */
  logTail(name: string, lines?: number): Promise<string>;
  /** Stops every service (agents first), removes the agents' fleets' sandboxes and a temporary state folder. */
  stop(): Promise<void>;
}

interface Member {
  kind: ServiceKind;
  url: string;
  metricsUrl?: string;
  command: string;
  process: SupervisedProcess;
}

async function sharedSecret(given: string | undefined): Promise<string> {
  const secret = given ?? process.env.DRYDOCK_AGENT_SECRET ?? (await readFile(join(ROOT, ".drydock/agent-secret"), "utf8").catch(() => ""));
  if (secret.trim().length < 32)
    throw new Error(
      "No agent secret: set DRYDOCK_AGENT_SECRET or create .drydock/agent-secret (npm start and npm run cluster do). " +
        "Every agent on this host must share it for the registry gateway.",
    );
  return secret.trim();
}

async function migrate(databaseUrl: string): Promise<void> {
  await run(process.execPath, ["--import", "tsx", join(ROOT, "prisma/migrate.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Migrating ${databaseUrl.replace(/:[^:@/]+@/, ":***@")} failed: ${error.stderr || error.message}`);
  });
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const layout = clusterLayout({
    basePort: options.basePort,
    webNodes: options.webNodes ?? 2,
    agents: options.agents ?? 3,
    fleetPrefix: options.fleetPrefix ?? "cluster",
  });
  const log = options.log ?? (() => {});
  const temporary = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), "drydock-cluster-")));
  // PostgreSQL runs as its own user: it must be able to pass through this folder to its own.
  await mkdir(join(stateDir, "logs"), { recursive: true });
  await chmod(stateDir, 0o711);
  const logFile = (name: string) => join(stateDir, "logs", `${name}.log`);
  const secret = await sharedSecret(options.agentSecret);
  const healthPath = options.webHealthPath ?? "/healthz";
  const fleets = layout.agents.map((agent) => agent.fleet);
  const members = new Map<string, Member>();

  const services = (): ServiceInfo[] =>
    [...members.entries()].map(([name, member]) => ({
      name,
      kind: member.kind,
      url: member.url,
      ...(member.metricsUrl ? { metricsUrl: member.metricsUrl } : {}),
      pid: member.process.pid(),
      command: member.command,
    }));
  const record = () => writeRecord(stateDir, { supervisorPid: process.pid, services: services(), fleets });
  const launch = async (name: string, member: Member) => {
    members.set(name, member);
    await member.process.start();
    await record();
    log("cluster.service_ready", { service: name, url: member.url, pid: member.process.pid() });
  };
  const member = (name: string) => {
    const found = members.get(name);
    if (!found) throw new Error(`No service "${name}" in this cluster; it has ${[...members.keys()].join(", ")}.`);
    return found;
  };

  let balancer: Balancer | undefined;
  const stop = async () => {
    const inOrder = (kinds: ServiceKind[]) =>
      Promise.all([...members.values()].filter((m) => kinds.includes(m.kind)).map((m) => m.process.stop()));
    await inOrder(["agent"]);
    const sandboxes = (await Promise.all(fleets.map((fleet) => removeFleet(fleet)))).flat();
    await inOrder(["web", "balancer"]);
    await inOrder(["postgres", "redis"]);
    await record();
    if (temporary) await rm(stateDir, { recursive: true, force: true });
    log("cluster.stopped", { sandboxesRemoved: sandboxes, stateDir: temporary ? undefined : stateDir });
  };

  let databaseUrl = options.databaseUrl;
  let redisUrl = "";
  try {
    const redis = await prepareRedis({ dir: join(stateDir, "redis"), port: layout.redis.port, logFile: logFile("redis") });
    redisUrl = redis.url;
    const postgres = databaseUrl
      ? undefined
      : await preparePostgres({ dir: join(stateDir, "postgres"), port: layout.postgres.port, logFile: logFile("postgres") });
    await Promise.all([
      postgres && launch("postgres", { kind: "postgres", url: postgres.url, command: "postgres", process: postgres }),
      launch("redis", { kind: "redis", url: redis.url, command: "redis-server", process: redis }),
    ]);
    databaseUrl ??= postgres?.url as string;
    await migrate(databaseUrl);
    log("cluster.migrated", {});

    const credentials = await Promise.all(layout.agents.map((agent) => issueAgentCredential(agent.name, databaseUrl as string)));

    await Promise.all(
      layout.webNodes.map((node) =>
        launch(node.name, {
          kind: "web",
          url: `http://127.0.0.1:${node.port}`,
          metricsUrl: `http://127.0.0.1:${node.metricsPort}/metrics`,
          command: WEB_SERVER,
          process: webNodeProcess({
            name: node.name,
            port: node.port,
            logFile: logFile(node.name),
            healthPath,
            env: {
              DATABASE_URL: databaseUrl as string,
              REDIS_URL: redis.url,
              DRYDOCK_AGENT_SECRET: secret,
              WEB_METRICS_PORT: String(node.metricsPort),
              ...options.webEnv,
            },
          }),
        }),
      ),
    );

    balancer = await prepareBalancer({
      dir: join(stateDir, "haproxy"),
      logFile: logFile("balancer"),
      port: layout.balancer.port,
      servers: layout.webNodes,
      healthPath,
    });
    await launch("balancer", { kind: "balancer", url: balancer.url, command: "haproxy", process: balancer });
    const balancerUrl = balancer.url;

    await Promise.all(
      layout.agents.map((agent, i) =>
        launch(agent.name, {
          kind: "agent",
          url: `http://127.0.0.1:${agent.port}`,
          command: AGENT_MAIN,
          process: agentNodeProcess({
            name: agent.name,
            port: agent.port,
            fleet: agent.fleet,
            logFile: logFile(agent.name),
            ...(options.agentReach === "direct" ? {} : { tunnelTo: layout.webNodes.map((node) => `http://127.0.0.1:${node.port}`) }),
            env: {
              DRYDOCK_AGENT_SECRET: secret,
              AGENT_LABELS: `zone=local,agent=${agent.name}`,
              CONTROL_PLANE_URL: balancerUrl,
              DRYDOCK_AGENT_CREDENTIAL: credentials[i] as string,
              ...(typeof options.agentEnv === "function" ? options.agentEnv(agent.name) : options.agentEnv),
            },
          }),
        }),
      ),
    );
  } catch (error) {
    await stop().catch((stopError: unknown) => log("cluster.stop_failed", { error: String(stopError) }));
    throw error;
  }

  const running = balancer;
  return {
    balancerUrl: running.url,
    databaseUrl,
    redisUrl,
    stateDir,
    fleets,
    services,
    service: (name) => {
      member(name);
      return services().find((service) => service.name === name) as ServiceInfo;
    },
    kill: async (name, signal = "SIGKILL") => {
      await member(name).process.kill(signal);
      await record();
      log("cluster.service_killed", { service: name, signal });
    },
    restart: async (name) => {
      const found = member(name);
      await found.process.stop();
      await found.process.start();
      await record();
      log("cluster.service_restarted", { service: name, pid: found.process.pid() });
    },
    balancerStates: () => running.serverStates(),
    logTail: (name, lines) => member(name).process.logTail(lines),
    stop,
  };
}
