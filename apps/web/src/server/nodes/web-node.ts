import { hostname } from "node:os";
import type { Logger } from "@drydock/server-kit";
import { type RateLimiter, SlidingWindowRateLimiter } from "../budget/rate-limiter";
import type { WebConfig } from "../config";
import { type SpentGrants, SpentGrantsInMemory } from "../gateways/preview-grant";
import { connectRedis, type RedisConnections } from "./redis-connection";
import { RedisRateLimiter } from "./redis-rate-limiter";
import { RedisSpentGrants } from "./redis-spent-grants";

/**
 * What this web process shares with the other web nodes of the deployment:
 * nothing but the database without REDIS_URL (one node: rates and spent
 * grants in memory), and with it the Redis that holds them for all nodes
 * (socket.io's adapter uses the same Redis: see socket-server.ts).
 */
export interface WebNode {
  /** WEB_NODE_ID, or the host's name and the port: in every log line and in /healthz. */
  id: string;
  redis: RedisConnections | undefined;
  spentGrants: SpentGrants;
  /** A limit of `limit` attempts per key and `windowMs`, counted by every node together; `name` tells the limits apart. */
  rateLimiter(name: string, limit: number, windowMs: number): RateLimiter;
  close(): Promise<void>;
}

export function webNodeId(config: Pick<WebConfig, "WEB_NODE_ID" | "WEB_PORT">): string {
  return config.WEB_NODE_ID ?? `${hostname()}:${config.WEB_PORT}`;
}

export function createWebNode(config: WebConfig, log: Logger): WebNode {
  const id = webNodeId(config);
  if (!config.REDIS_URL) {
    return {
      id,
      redis: undefined,
      spentGrants: new SpentGrantsInMemory(),
      rateLimiter: (_name, limit, windowMs) => new SlidingWindowRateLimiter(limit, windowMs),
      close: async () => undefined,
    };
  }
  const redis = connectRedis(config.REDIS_URL, log);
  return {
    id,
    redis,
    spentGrants: new RedisSpentGrants(redis.state),
    rateLimiter: (name, limit, windowMs) => new RedisRateLimiter(redis.state, name, limit, windowMs),
    close: () => redis.close(),
  };
}
