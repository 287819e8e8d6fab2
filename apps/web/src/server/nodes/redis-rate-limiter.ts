import { randomBytes } from "node:crypto";
import { type RateLimiter, type RateVerdict, SlidingWindowRateLimiter } from "../budget/rate-limiter";
import type { RedisClient } from "./redis-connection";

/**
 * The sliding window of SlidingWindowRateLimiter as one atomic step in Redis:
 * a sorted set of the key's attempts scored by time. Answers -1 when the
 * attempt is counted, else the milliseconds until the oldest one leaves the
 * window. Refused attempts are not counted, as in memory.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return -1
`;

/**
 * Counts attempts per key across every web node that shares the Redis. While
 * Redis cannot be asked, this node counts in its own memory (the limit then
 * holds per node), so a request is neither held nor let through unlimited.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: SlidingWindowRateLimiter;

  constructor(
    private readonly redis: RedisClient,
    /** Which limit this is ("starts", "joins"): part of the Redis key. */
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.fallback = new SlidingWindowRateLimiter(limit, windowMs);
  }

  async take(key: string, now = Date.now()): Promise<RateVerdict> {
    let wait: number;
    try {
      wait = Number(
        await this.redis.eval(TAKE, {
          keys: [`drydock:rate:${this.name}:${key}`],
          arguments: [String(now), String(this.windowMs), String(this.limit), `${now}:${randomBytes(6).toString("hex")}`],
        }),
      );
    } catch {
      return this.fallback.take(key, now);
    }
    return wait < 0 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
  }
}
