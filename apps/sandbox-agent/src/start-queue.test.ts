import { describe, expect, it } from "vitest";
import { estimateReadyMs, ordinal, typicalDuration, waitingMessage } from "./start-queue";

describe("a waiting start's place and estimate", () => {
  it("has no estimate before any boot was measured", () => {
    expect(estimateReadyMs({ concurrency: 2, runningForMs: [1000, 2000], typicalBootMs: undefined }, 1)).toBeUndefined();
    expect(waitingMessage({ position: 3 })).toBe("Waiting for a free start slot: 3rd in line");
  });

  it("counts the slots freeing up as running boots end, then the starts ahead, then its own boot", () => {
    // Two slots, boots of 4 s: running for 1 s and 3 s, so the slots free in 3 s and 1 s.
    const line = { concurrency: 2, runningForMs: [1000, 3000], typicalBootMs: 4000 };
    expect(estimateReadyMs(line, 1)).toBe(1000 + 4000);
    expect(estimateReadyMs(line, 2)).toBe(3000 + 4000);
    // The 3rd takes the slot the 1st used: free at 1 s + 4 s.
    expect(estimateReadyMs(line, 3)).toBe(5000 + 4000);
    expect(estimateReadyMs(line, 4)).toBe(7000 + 4000);
  });

  it("uses free slots at once, and takes an overdue boot to end any moment", () => {
    expect(estimateReadyMs({ concurrency: 3, runningForMs: [500], typicalBootMs: 2000 }, 1)).toBe(2000);
    expect(estimateReadyMs({ concurrency: 1, runningForMs: [9000], typicalBootMs: 2000 }, 1)).toBe(2000);
  });

  it("waits for the last of the boots over a lowered concurrency to end before a slot frees", () => {
    // One slot now (a learner types), two boots of 4 s still running: ending in 3 s and 1 s; the slot frees in 3 s.
    const line = { concurrency: 1, runningForMs: [1000, 3000], typicalBootMs: 4000 };
    expect(estimateReadyMs(line, 1)).toBe(3000 + 4000);
    expect(estimateReadyMs(line, 2)).toBe(7000 + 4000);
  });

  it("grows with the place in line, so a learner further back is never told a shorter wait", () => {
    const line = { concurrency: 2, runningForMs: [100, 2500], typicalBootMs: 3000 };
    const estimates = [1, 2, 3, 4, 5, 6].map((position) => estimateReadyMs(line, position) ?? 0);
    for (let i = 1; i < estimates.length; i++) expect(estimates[i]).toBeGreaterThanOrEqual(estimates[i - 1] ?? 0);
  });

  it("takes the median of recent boots, so one slow boot does not swing the estimate", () => {
    expect(typicalDuration([])).toBeUndefined();
    expect(typicalDuration([3000, 60_000, 2000])).toBe(3000);
    expect(typicalDuration([1000, 3000])).toBe(2000);
  });

  it("says the place as a person would, with the estimate in seconds or minutes", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "101st",
      "111th",
    ]);
    expect(waitingMessage({ position: 4, readyInMs: 12_400 })).toBe("Waiting for a free start slot: 4th in line, about 12 s");
    expect(waitingMessage({ position: 1, readyInMs: 200 })).toBe("Waiting for a free start slot: next, about 1 s");
    expect(waitingMessage({ position: 30, readyInMs: 150_000 })).toBe("Waiting for a free start slot: 30th in line, about 3 min");
  });
});
