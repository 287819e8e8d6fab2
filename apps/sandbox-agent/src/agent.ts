import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { applyNetworkPolicy, type NetworkPolicy, type SandboxDriver } from "@drydock/engine";
import { MAX_FILES_MESSAGE_BYTES } from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import { Server } from "socket.io";
import { checks } from "./features/checks";
import { fileBatches } from "./features/file-batches";
import { files } from "./features/files";
import { images } from "./features/images";
import { lifecycle } from "./features/lifecycle";
import { ports } from "./features/ports";
import { type FleetPolicy, SandboxFleet } from "./fleet";
import { createHttpApi } from "./http-api";
import { createMetrics } from "./metrics";
import { type PackageCacheSettings, servePackageCache } from "./package-cache-gateway";
import { servePreviews } from "./preview-proxy";
import { type RegistrySettings, serveRegistry } from "./registry-gateway";
import { serveSandboxChannel } from "./sandbox-channel";
import { ShellsAhead } from "./shells-ahead";
import { spreadInterval } from "./spread-interval";
import { type StartPacing, StartScheduler } from "./start-scheduler";
import { serveTerminals } from "./terminal-server";

export interface AgentOptions {
  driver: SandboxDriver;
  secret: string;
  host: string;
  port: number;
  policy: FleetPolicy;
  sweepIntervalSeconds: number;
  /** How many sandboxes may boot at once, and while learners type (learners' starts go first, pool refills wait). */
  startPacing: StartPacing;
  /** The registry gateway sandboxes push and pull through. */
  registry: RegistrySettings;
  /** The package-cache gateway sandboxes' apt-get goes through; none without it. */
  packageCache?: PackageCacheSettings;
  /** The sandbox network's host firewall (SECURITY.md), installed at start; rebuilt by every start. */
  networkPolicy: NetworkPolicy;
  log: Logger;
}

export interface RunningAgent {
  url: string;
  fleet: SandboxFleet;
  /** Where the registry gateway listens; undefined while it could not start (another agent of the host serves it). */
  registryUrl: string | undefined;
  /** Where the package-cache gateway listens; undefined when it is off or could not start. */
  packageCacheUrl: string | undefined;
  close(): Promise<void>;
}

/** The agent's one server: the control HTTP API and the socket.io channels on one port. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { driver, secret, log } = options;
  const metrics = createMetrics();
  const starts = new StartScheduler(options.startPacing);
  const fleet = new SandboxFleet(driver, options.policy, log, metrics, starts);
  await applyNetworkPolicy(options.networkPolicy);
  log.info("agent.network_policy", { ...options.networkPolicy });
  const registry = await serveRegistry(options.registry, secret, log);
  const packageCache = options.packageCache ? await servePackageCache(options.packageCache, log) : undefined;
  const http: HttpServer = createServer(createHttpApi({ fleet, metrics, secret, log, sandboxEnv: registry.sandboxEnv }));
  const io = new Server(http, {
    serveClient: false,
    // Only the web gateway talks to agents; a browser (which always sends an Origin) never may.
    allowRequest: (req, callback) => callback(null, req.headers.origin === undefined),
    // A saved file travels in one message; socket.io's default cap (1 MB) is below the files limit.
    maxHttpBufferSize: MAX_FILES_MESSAGE_BYTES,
  });
  // Last of the server's listeners: it takes preview traffic ahead of the API and socket.io.
  servePreviews(http, { driver, secret, log, onActivity: (sandboxId) => fleet.touch(sandboxId) });
  const ahead = new ShellsAhead(driver, log);
  fleet.onAssigned((sandboxId) => ahead.open(sandboxId));
  fleet.onStatus(({ sandboxId, state }) => {
    if (state === "gone" || state === "failed") ahead.discard(sandboxId);
  });
  serveTerminals(io, { driver, fleet, ahead, starts, metrics, secret, log });
  serveSandboxChannel(io, { driver, fleet, secret, log }, [lifecycle(fleet), checks, ports, files(), fileBatches, images]);

  // Watch first, then adopt, so no sandbox dies unnoticed in between; adopt before listening:
  // a restarted agent serves its running sandboxes again at once.
  fleet.watchSandboxes();
  await fleet.adopt();
  fleet.refill();
  // What a crash or an old `npm run stop` left on the host: disks and volumes of no container.
  fleet.removeOrphans().catch((error: unknown) => log.error("fleet.orphans_failed", { error }));
  const sweeper = spreadInterval(options.sweepIntervalSeconds * 1000, () => {
    fleet.sweep().catch((error: unknown) => log.error("fleet.sweep_failed", { error }));
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  log.info("agent.listening", { url });
  return {
    url,
    fleet,
    get registryUrl() {
      return registry.url;
    },
    get packageCacheUrl() {
      return packageCache?.url;
    },
    close: async () => {
      sweeper.dispose();
      fleet.dispose();
      ahead.dispose();
      await fleet.settled();
      await io.close();
      await registry.close();
      await packageCache?.close();
    },
  };
}
