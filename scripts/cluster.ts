/**
 * `npm run cluster`: one machine plays the cluster (scripts/cluster/README.md).
 *
 *   npm run cluster [-- --base-port 3500 --web-nodes 2 --agents 3 --no-provision
 *                       --database-url URL --health-path /healthz --fleet-prefix cluster]
 *   npm run cluster -- stop
 *
 * Prepares like npm test (host and code, scripts/lib/prepare.sh; with
 * --no-provision only the code), then starts PostgreSQL, Redis, the web nodes
 * behind HAProxy and the agents, printing one JSON line per service
 * ({service, url, pid}) and last {balancer: url} on stdout (progress goes to
 * stderr). Ctrl-C, SIGTERM or `npm run cluster -- stop` (from anywhere) stops
 * everything it started and removes its agents' sandboxes (fleets
 * cluster-a1…), nothing else. State and logs: .drydock/cluster.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { explainDockerError } from "@drydock/engine";
import { readRecord, runsCommand, stopRecorded } from "./cluster/cluster-record";
import { ROOT } from "./cluster/node-processes";
import { startCluster } from "./cluster/start-cluster";
import { HELP_FLAG, parseFlags, UsageError } from "./lib/command-line";

// DRYDOCK_STATE_DIR points at another state folder (tests use their own), as for npm run stop.
const STATE_DIR = join(process.env.DRYDOCK_STATE_DIR ?? join(ROOT, ".drydock"), "cluster");
const SELF = "scripts/cluster.ts";
const USAGE = `Usage:
  npm run cluster [-- --base-port PORT] [--web-nodes N] [--agents N] [--no-provision]
                     [--database-url URL] [--health-path PATH] [--fleet-prefix NAME]
  npm run cluster -- stop

Ports from PORT (default 3500, or CLUSTER_BASE_PORT): the balancer, then the web
nodes, the agents, PostgreSQL and Redis. --no-provision skips the host's
provisioning (packages, dockerd, images) when it is known to be done.
--database-url gives the web nodes that database instead of the cluster's
PostgreSQL (which is then not started), e.g. file:/abs/shared.db.
--health-path is what the balancer checks on each web node (default /healthz).
--fleet-prefix names the agents' fleets NAME-a1, NAME-a2… (default cluster).`;

const event = (name: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event: name, ...fields })}\n`);

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`--${flag} ${value}: a whole number is needed.`);
  return number;
}

/**
 * The host and the code, as npm test prepares them (--for-tests brings HAProxy, PostgreSQL and Redis
 * from Debian's packages: the cluster is the tests' rig); its progress goes to stderr, so stdout holds only the services.
 */
function prepare(provision: boolean): Promise<void> {
  const steps = provision ? "prepare_all --for-tests" : "prepare_environment && prepare_code";
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `source scripts/lib/prepare.sh && ${steps}`], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`preparation failed (exit ${code}); the lines above say why`)),
    );
  });
}

async function stopCommand(): Promise<void> {
  const record = await readRecord(STATE_DIR);
  if (!record) {
    event("cluster.not_running", { stateDir: STATE_DIR });
    return;
  }
  // A supervisor that still runs stops its cluster itself, in order.
  if (record.supervisorPid !== process.pid && runsCommand(record.supervisorPid, SELF)) {
    process.kill(record.supervisorPid, "SIGTERM");
    const deadline = Date.now() + 120_000;
    while (runsCommand(record.supervisorPid, SELF) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { stopped, sandboxes } = await stopRecorded(STATE_DIR);
  event("cluster.stopped", { leftovers: stopped, sandboxesRemoved: sandboxes });
}

async function startCommand(flags: Record<string, string | boolean | undefined>): Promise<void> {
  const record = await readRecord(STATE_DIR);
  if (record && runsCommand(record.supervisorPid, SELF))
    throw new UsageError(`A cluster already runs (pid ${record.supervisorPid}); stop it first: npm run cluster -- stop`);
  // What a killed supervisor left behind goes first.
  if (record) await stopRecorded(STATE_DIR);
  await prepare(flags["no-provision"] !== true);
  const cluster = await startCluster({
    basePort: positiveInteger("base-port", flags["base-port"] as string | undefined, Number(process.env.CLUSTER_BASE_PORT ?? 3500)),
    webNodes: positiveInteger("web-nodes", flags["web-nodes"] as string | undefined, 2),
    agents: positiveInteger("agents", flags.agents as string | undefined, 3),
    stateDir: STATE_DIR,
    databaseUrl: flags["database-url"] as string | undefined,
    webHealthPath: flags["health-path"] as string | undefined,
    fleetPrefix: flags["fleet-prefix"] as string | undefined,
    log: event,
  });
  for (const service of cluster.services())
    process.stdout.write(
      `${JSON.stringify({ service: service.name, url: service.url, metricsUrl: service.metricsUrl, pid: service.pid })}\n`,
    );
  process.stdout.write(`${JSON.stringify({ balancer: cluster.balancerUrl })}\n`);
  event("cluster.running", { open: cluster.balancerUrl, logs: join(STATE_DIR, "logs"), stop: "Ctrl-C or npm run cluster -- stop" });
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      event("cluster.stopping", { signal });
      void cluster.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          event("cluster.stop_failed", { error: String(error) });
          process.exit(1);
        },
      );
    });
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(argv, {
      ...HELP_FLAG,
      "base-port": { type: "string" },
      "web-nodes": { type: "string" },
      agents: { type: "string" },
      "no-provision": { type: "boolean" },
      "database-url": { type: "string" },
      "health-path": { type: "string" },
      "fleet-prefix": { type: "string" },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== "stop"))
      throw new UsageError(`Unknown command: ${positionals.join(" ")}`);
    if (positionals[0] === "stop") await stopCommand();
    else await startCommand(values);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const explained = explainDockerError(error, {});
    event("cluster.failed", { error: explained.message });
    return 1;
  }
}

const status = await main(process.argv.slice(2));
if (status !== 0 || process.argv[2] === "stop") process.exit(status);
