import type { Logger } from "@drydock/server-kit";
import { createClient } from "redis";

export type RedisClient = ReturnType<typeof newClient>;

/** Waits between attempts to reach Redis again: quick at first, then every 2 s, and never gives up. */
export const reconnectDelayMs = (retries: number): number => Math.min(100 * 2 ** retries, 2_000);

/** A state command that gets no answer in this long fails (and the caller falls back) instead of holding a request. */
const COMMAND_TIMEOUT_MS = 2_000;
/** The adapter's stream reader blocks up to this long on Redis (its XREAD BLOCK, socket.io's default). */
export const ADAPTER_BLOCK_MS = 5_000;
/** Longer than the reader's block (the client's default, 5 s, would cut it), yet a queued broadcast does not wait forever. */
const ADAPTER_COMMAND_TIMEOUT_MS = 3 * ADAPTER_BLOCK_MS;

export interface RedisConnections {
  /**
   * socket.io's adapter's client (it opens its own subscriber and stream
   * reader from it): while Redis is away its commands wait in the client's
   * queue for the reconnection, so no broadcast is dropped and the adapter's
   * stream reader waits instead of spinning.
   */
  adapter: RedisClient;
  /**
   * The shared state's client (rates, spent grants, health): while Redis is
   * away a command fails at once, so no request waits on it.
   */
  state: RedisClient;
  close(): Promise<void>;
}

/**
 * Connects to REDIS_URL without waiting for it: a web node starts (and
 * answers /healthz with 503) while Redis is still away, and both clients
 * reconnect by themselves whenever it goes away later. Only the changes are
 * logged (lost, back), never each failed attempt.
 */
export function connectRedis(url: string, log: Logger): RedisConnections {
  const shown = withoutPassword(url);
  const open = (role: "adapter" | "state", failFast: boolean): RedisClient => {
    const client = newClient(url, failFast);
    let reachable: boolean | undefined;
    client.on("ready", () => {
      if (reachable !== true) log.info("redis.ready", { role, url: shown });
      reachable = true;
    });
    client.on("error", (error: unknown) => {
      if (reachable === false) return;
      reachable = false;
      log.warn("redis.unreachable", {
        role,
        url: shown,
        error,
        hint: "Retrying every 2 s; meanwhile this node answers /healthz with 503 and counts rates in its own memory.",
      });
    });
    client.connect().catch(() => undefined);
    return client;
  };
  const adapter = open("adapter", false);
  const state = open("state", true);
  return {
    adapter,
    state,
    async close() {
      await Promise.all([adapter, state].map((client) => client.close().catch(() => undefined)));
    },
  };
}

function newClient(url: string, failFast: boolean) {
  return createClient({
    url,
    // socket.io's adapter reads the replies of redis 4 and 5, which speak RESP2 (redis 6 defaults to RESP3).
    RESP: 2,
    disableOfflineQueue: failFast,
    socket: { reconnectStrategy: reconnectDelayMs, connectTimeout: COMMAND_TIMEOUT_MS },
    commandOptions: { timeout: failFast ? COMMAND_TIMEOUT_MS : ADAPTER_COMMAND_TIMEOUT_MS },
  });
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
