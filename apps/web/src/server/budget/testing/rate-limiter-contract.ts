import { expect, it } from "vitest";
import type { RateLimiter } from "../rate-limiter";

/** Makes a limiter of `limit` attempts per `windowMs` whose keys no other test uses. */
export type MakeRateLimiter = (limit: number, windowMs: number) => RateLimiter | Promise<RateLimiter>;

/**
 * What every RateLimiter must do, whether it counts in this process or in
 * Redis: call inside a describe() of the implementation.
 */
export function rateLimiterContract(make: MakeRateLimiter): void {
  it("allows the limit within a window, then refuses until the oldest attempt leaves it", async () => {
    const limiter = await make(3, 60_000);
    const verdicts = [];
    for (const at of [0, 10_000, 20_000, 30_000, 59_999, 60_000, 60_001]) verdicts.push(await limiter.take("1.2.3.4", at));
    expect(verdicts).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterMs: 30_000 },
      { allowed: false, retryAfterMs: 1 },
      { allowed: true },
      { allowed: false, retryAfterMs: 9_999 },
    ]);
  });

  it("counts each address apart", async () => {
    const limiter = await make(1, 60_000);
    expect((await limiter.take("a", 0)).allowed).toBe(true);
    expect((await limiter.take("b", 0)).allowed).toBe(true);
    expect((await limiter.take("a", 1)).allowed).toBe(false);
  });

  it("does not count refused attempts, so a steady flood is let through at the limit's pace", async () => {
    const limiter = await make(2, 1_000);
    let allowed = 0;
    for (let i = 0; i < 30; i++) if ((await limiter.take("x", i * 100)).allowed) allowed += 1;
    expect(allowed).toBe(6);
  });
}
