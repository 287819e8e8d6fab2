import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "./rate-limiter";

describe("SlidingWindowRateLimiter", () => {
  it("allows the limit within a window, then refuses until the oldest attempt leaves it", () => {
    const limiter = new SlidingWindowRateLimiter(3, 60_000);
    expect(limiter.take("1.2.3.4", 0)).toEqual({ allowed: true });
    expect(limiter.take("1.2.3.4", 10_000)).toEqual({ allowed: true });
    expect(limiter.take("1.2.3.4", 20_000)).toEqual({ allowed: true });
    expect(limiter.take("1.2.3.4", 30_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limiter.take("1.2.3.4", 59_999)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(limiter.take("1.2.3.4", 60_000)).toEqual({ allowed: true });
    expect(limiter.take("1.2.3.4", 60_001)).toEqual({ allowed: false, retryAfterMs: 9_999 });
  });

  it("counts each address apart", () => {
    const limiter = new SlidingWindowRateLimiter(1, 60_000);
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("b", 0).allowed).toBe(true);
    expect(limiter.take("a", 1).allowed).toBe(false);
  });

  it("does not count refused attempts, so a steady flood is let through at the limit's pace", () => {
    const limiter = new SlidingWindowRateLimiter(2, 1_000);
    const allowed = Array.from({ length: 30 }, (_, i) => limiter.take("x", i * 100).allowed).filter(Boolean);
    expect(allowed).toHaveLength(6);
  });

  it("forgets addresses whose attempts all left the window", () => {
    const limiter = new SlidingWindowRateLimiter(5, 1_000);
    for (let i = 0; i < 100; i++) limiter.take(`address-${i}`, 0);
    expect(limiter.size).toBe(100);
    limiter.take("late", 5_000);
    expect(limiter.size).toBe(1);
  });
});
