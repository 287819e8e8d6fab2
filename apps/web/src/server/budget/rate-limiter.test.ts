import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "./rate-limiter";
import { rateLimiterContract } from "./testing/rate-limiter-contract";

describe("SlidingWindowRateLimiter", () => {
  rateLimiterContract((limit, windowMs) => new SlidingWindowRateLimiter(limit, windowMs));

  it("forgets addresses whose attempts all left the window", async () => {
    const limiter = new SlidingWindowRateLimiter(5, 1_000);
    for (let i = 0; i < 100; i++) await limiter.take(`address-${i}`, 0);
    expect(limiter.size).toBe(100);
    await limiter.take("late", 5_000);
    expect(limiter.size).toBe(1);
  });
});
