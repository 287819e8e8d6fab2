import type { Logger } from "@drydock/server-kit";
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
  /** Where the gateway listens, or undefined when it could not start. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * The agent's part of the package cache: the gateway sandboxes' apt-get (in
 * their containers and builds) goes through. One that cannot start is logged
 * and the agent serves on: apt-get then fails or goes to the archive directly,
 * nothing else depends on it.
 */
export async function servePackageCache(settings: PackageCacheSettings, log: Logger): Promise<AgentPackageCache> {
  const gateway = await startPackageCacheGateway({ host: settings.address, port: settings.port, upstream: settings.upstream, log }).catch(
    (error: unknown) => {
      log.error("package_cache_gateway.unavailable", {
        error,
        hint:
          "If another Drydock agent on this host holds the port, this agent's sandboxes use that gateway; otherwise apt-get in " +
          "sandboxes fails: free the port and restart the agent.",
      });
      return undefined;
    },
  );
  return { url: gateway?.url, close: async () => gateway?.close() };
}
