import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { spreadInterval } from "./spread-interval";

describe("an interval with a random start", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ticks first after the random part of an interval, then every interval, until disposed", () => {
    const ticks: number[] = [];
    const interval = spreadInterval(
      15_000,
      () => ticks.push(Date.now()),
      () => 0.4,
    );
    const start = Date.now();
    vi.advanceTimersByTime(5999);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ticks).toEqual([start + 6000]);
    vi.advanceTimersByTime(30_000);
    expect(ticks).toEqual([start + 6000, start + 21_000, start + 36_000]);
    interval.dispose();
    vi.advanceTimersByTime(60_000);
    expect(ticks).toHaveLength(3);
  });

  it("never ticks when disposed before its first tick", () => {
    const tick = vi.fn();
    spreadInterval(15_000, tick, () => 0.9).dispose();
    vi.advanceTimersByTime(60_000);
    expect(tick).not.toHaveBeenCalled();
  });
});
