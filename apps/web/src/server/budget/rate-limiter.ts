import { HttpError } from "../http/http-error";

/** The answer to one start attempt: allowed, or refused until a slot of the window frees up. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts attempts per key (a client address) within a window: in this
 * process (SlidingWindowRateLimiter) for one web node, in Redis
 * (nodes/redis-rate-limiter.ts) for several, which then count together.
 */
export interface RateLimiter {
  take(key: string, now?: number): Promise<RateVerdict>;
}

/**
 * Takes one attempt of `key`: undefined while within its rate, else a 429 with
 * Retry-After in whole seconds (at least 1), worded by `say` with that wait.
 */
export async function rateRefusal(
  limiter: RateLimiter,
  key: string,
  say: (seconds: number) => string,
  now = Date.now(),
): Promise<HttpError | undefined> {
  const verdict = await limiter.take(key, now);
  if (verdict.allowed) return undefined;
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  return new HttpError(say(seconds), 429, { "retry-after": String(seconds) });
}

/**
 * A sliding window kept in this process: at most `limit` attempts per key in
 * any `windowMs`. Keys whose attempts all left the window are forgotten, so a
 * flood of addresses cannot grow it without bound for longer than one window.
 */
export class SlidingWindowRateLimiter implements RateLimiter {
  private readonly attempts = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async take(key: string, now = Date.now()): Promise<RateVerdict> {
    this.sweep(now);
    const recent = (this.attempts.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.attempts.set(key, recent);
      // The oldest attempt in the window leaves it first.
      return { allowed: false, retryAfterMs: (recent[0] ?? now) + this.windowMs - now };
    }
    recent.push(now);
    this.attempts.set(key, recent);
    return { allowed: true };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.attempts) if (times.every((at) => at <= now - this.windowMs)) this.attempts.delete(key);
  }

  /** How many keys are remembered (for tests of the sweep). */
  get size(): number {
    return this.attempts.size;
  }
}
