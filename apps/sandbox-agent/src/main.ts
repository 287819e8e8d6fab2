import { totalmem } from "node:os";
import { DockerInDockerDriver, EngineError, networkGateway, packageCacheProxyUrl } from "@drydock/engine";
import { createLogger, logUnhandledRejections } from "@drydock/server-kit";
import { startAgent } from "./agent";
import { loadConfig } from "./config";
import { parseLabels, startHeartbeat } from "./control-plane-heartbeat";
import { startTunnels } from "./control-plane-tunnel";

const log = createLogger("sandbox-agent");
logUnhandledRejections(log);

try {
  const config = loadConfig();
  // Sandboxes reach the host, and so the registry gateway, at their network's gateway address.
  const registryAddress = await networkGateway(config.SANDBOX_NETWORK);
  const packageCachePort = config.PACKAGE_CACHE_GATEWAY_PORT || undefined;
  const driver = new DockerInDockerDriver({
    image: config.SANDBOX_IMAGE,
    network: config.SANDBOX_NETWORK,
    isolation: config.SANDBOX_ISOLATION,
    memoryBytes: config.SANDBOX_MEMORY_MIB * 1024 * 1024,
    nanoCpus: Math.round(config.SANDBOX_CPUS * 1e9),
    pidsLimit: config.SANDBOX_PIDS,
    diskBytes: config.SANDBOX_DISK_MIB * 1024 * 1024,
    fleet: config.AGENT_FLEET,
    engineReadyTimeoutMs: config.SANDBOX_READY_TIMEOUT_SECONDS * 1000,
    registryAddress,
    packageCacheProxy: packageCachePort ? packageCacheProxyUrl(registryAddress, packageCachePort) : undefined,
    // A sandbox the engine found frozen behind Docker's back, and thawed.
    onWarning: (event, fields) => log.warn(event, fields),
  });
  if (config.SANDBOX_ISOLATION === "privileged") {
    log.warn("agent.privileged_sandboxes", {
      warning:
        "SANDBOX_ISOLATION=privileged: every learner is root ON THIS HOST (all capabilities, the host's cgroups writable, " +
        "limits that do not bind what they start). Use it only on a disposable machine for trusted people.",
      hint: "Unset SANDBOX_ISOLATION (rootless is the default); see packages/engine/SECURITY.md.",
    });
  }
  const agent = await startAgent({
    driver,
    secret: config.DRYDOCK_AGENT_SECRET,
    host: config.AGENT_HOST,
    port: config.AGENT_PORT,
    policy: {
      poolSize: config.POOL_SIZE,
      lifetimeSeconds: config.SANDBOX_LIFETIME_SECONDS,
      idleSeconds: config.SANDBOX_IDLE_SECONDS,
      warnSeconds: config.SANDBOX_WARN_SECONDS,
    },
    sweepIntervalSeconds: config.SWEEP_INTERVAL_SECONDS,
    startPacing: { concurrency: config.SANDBOX_START_CONCURRENCY, whileTyping: config.SANDBOX_START_CONCURRENCY_WHILE_TYPING },
    registry: {
      address: registryAddress,
      port: config.REGISTRY_GATEWAY_PORT,
      upstream: config.REGISTRY_UPSTREAM,
      hubMirror: config.HUB_MIRROR_UPSTREAM || undefined,
    },
    packageCache: packageCachePort
      ? { address: registryAddress, port: packageCachePort, upstream: config.PACKAGE_CACHE_UPSTREAM }
      : undefined,
    networkPolicy: {
      network: config.SANDBOX_NETWORK,
      gateway: registryAddress,
      registryPort: config.REGISTRY_GATEWAY_PORT,
      packageCachePort,
      egress: config.SANDBOX_EGRESS,
    },
    log,
  });
  const tunneled = config.AGENT_TUNNEL_URLS.length > 0;
  const tunnels = tunneled
    ? startTunnels({
        webNodeUrls: config.AGENT_TUNNEL_URLS,
        credential: config.DRYDOCK_AGENT_CREDENTIAL,
        local: { host: config.AGENT_HOST, port: config.AGENT_PORT },
        log,
      })
    : undefined;
  const heartbeat = config.CONTROL_PLANE_URL
    ? startHeartbeat({
        controlPlaneUrl: config.CONTROL_PLANE_URL,
        credential: config.DRYDOCK_AGENT_CREDENTIAL,
        publicUrl: tunneled ? undefined : config.AGENT_PUBLIC_URL || `http://127.0.0.1:${config.AGENT_PORT}`,
        labels: parseLabels(config.AGENT_LABELS),
        counts: () => ({
          sandboxes: agent.fleet.assignedCount,
          readySeats: agent.fleet.pooled.length,
          maxSandboxes: config.MAX_SANDBOXES || Math.max(1, Math.floor(totalmem() / (config.SANDBOX_MEMORY_MIB * 1024 * 1024))),
        }),
        log,
      })
    : undefined;
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Handled every time: a second signal (a process group's and its parent's) must not cut the close short.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info("agent.stopping", { signal });
      heartbeat?.stop();
      tunnels?.stop();
      // Sandboxes keep running: a restarted agent adopts them again. A pool refill under way is finished and removed.
      void agent.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error("agent.stop_failed", { error });
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  log.error("agent.start_failed", { error, ...(error instanceof EngineError ? { hint: error.hint } : {}) });
  process.exit(1);
}
