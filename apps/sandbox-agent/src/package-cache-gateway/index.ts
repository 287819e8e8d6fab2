import type { Logger } from "@drydock/server-kit";
import { startOrStandBy } from "../standby";
import { startPackageCacheGateway } from "./gateway";

/** The host's package cache for tools beside the agent (tests, the lessons runner): scripts/provision.sh publishes it on 127.0.0.1. */
export const HOST_PACKAGE_CACHE = process.env.PACKAGE_CACHE_UPSTREAM ?? `http://127.0.0.1:${process.env.DRYDOCK_APT_CACHE_PORT ?? 3142}`;

export interface PackageCacheSettings {
  /** The sandbox network's gateway address. */
  address: string;
  port: number;
  /** apt-cacher-ng on this host (scripts/provision.sh publishes it on 127.0.0.1:$DRYDOCK_APT_CACHE_PORT). */
  upstream: string;
}

export interface AgentPackageCache {
  /** Where the gateway listens, or undefined while it could not start (another agent of the host may serve it). */
  readonly url: string | undefined;
  close(): Promise<void>;
}

/**
 * The agent's part of the package cache: the gateway sandboxes' apt-get (in
 * their containers and builds) goes through. One that cannot start is logged
 * and the agent serves on: apt-get then fails or goes to the archive directly,
 * nothing else depends on it. Where another agent of the host holds the port,
 * this one takes over if that one stops.
 */
export async function servePackageCache(settings: PackageCacheSettings, log: Logger): Promise<AgentPackageCache> {
  const gateway = await startOrStandBy(
    () => startPackageCacheGateway({ host: settings.address, port: settings.port, upstream: settings.upstream, log }),
    {
      log,
      event: "package_cache_gateway",
      hint:
        "If another Drydock agent on this host holds the port, this agent's sandboxes use that gateway and this agent takes over " +
        "if that one stops; otherwise apt-get in sandboxes fails: free the port.",
    },
  );
  return {
    get url() {
      return gateway.current()?.url;
    },
    close: () => gateway.close(),
  };
}
