import { describe, expect, it } from "vitest";
import {
  type BudgetSession,
  firstEndAt,
  isLive,
  isSurelyOver,
  minutesUntil,
  RECORDED_GONE_AFTER_MS,
  STALLED_START_MS,
  sessionEndsAt,
} from "./live-sessions";

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;

function session(overrides: Partial<BudgetSession> & { createdMin?: number; expiresMin?: number; activeMin?: number }): BudgetSession {
  const { createdMin = 0, expiresMin, activeMin, ...rest } = overrides;
  return {
    id: "ses_x",
    visitorId: "vis_x",
    lessonId: null,
    state: "ready",
    createdAt: new Date(createdMin * MINUTE),
    expiresAt: expiresMin === undefined ? null : new Date(expiresMin * MINUTE),
    activeAt: activeMin === undefined ? null : new Date(activeMin * MINUTE),
    workshopId: null,
    ...rest,
  };
}

describe("when a session frees its sandbox", () => {
  it("ends at its time limit or its idle limit, whichever comes first", () => {
    expect(sessionEndsAt(session({ expiresMin: 240, activeMin: 100 }), IDLE)).toBe(130 * MINUTE);
    expect(sessionEndsAt(session({ expiresMin: 120, activeMin: 100 }), IDLE)).toBe(120 * MINUTE);
    // Never active since the start: idle from its creation.
    expect(sessionEndsAt(session({ createdMin: 10, expiresMin: 250 }), IDLE)).toBe(40 * MINUTE);
  });

  it("never ends a workshop seat by time or idleness: its workshop's end removes it", () => {
    const seat = session({ workshopId: "wks_1", expiresMin: 60, activeMin: 0 });
    expect(sessionEndsAt(seat, 30 * MINUTE)).toBe(Number.POSITIVE_INFINITY);
    expect(isSurelyOver(seat, 10_000 * MINUTE, 30 * MINUTE)).toBe(false);
    expect(sessionEndsAt({ ...seat, state: "starting" }, 30 * MINUTE)).toBe(STALLED_START_MS);
  });

  it("gives up on a start that stalled", () => {
    expect(sessionEndsAt(session({ state: "starting" }), IDLE)).toBe(STALLED_START_MS);
  });

  it("is live only while starting or ready and before its end", () => {
    expect(isLive(session({ activeMin: 100, expiresMin: 240 }), 120 * MINUTE, IDLE)).toBe(true);
    expect(isLive(session({ activeMin: 100, expiresMin: 240 }), 131 * MINUTE, IDLE)).toBe(false);
    expect(isLive(session({ state: "gone", activeMin: 100 }), 101 * MINUTE, IDLE)).toBe(false);
    expect(isLive(session({ state: "failed" }), 0, IDLE)).toBe(false);
  });

  it("calls a session over for the record only well after its estimated end", () => {
    const idle = session({ activeMin: 100, expiresMin: 240 });
    expect(isSurelyOver(idle, 131 * MINUTE, IDLE)).toBe(false);
    expect(isSurelyOver(idle, 130 * MINUTE + RECORDED_GONE_AFTER_MS + 1, IDLE)).toBe(true);
  });

  it("estimates the whole minutes until the first frees, at least one", () => {
    const first = firstEndAt([session({ activeMin: 100, expiresMin: 240 }), session({ activeMin: 90, expiresMin: 240 })], IDLE);
    expect(first).toBe(120 * MINUTE);
    expect(minutesUntil(first, 100 * MINUTE, IDLE)).toBe(20);
    expect(minutesUntil(first, 100 * MINUTE + 1, IDLE)).toBe(20);
    expect(minutesUntil(first, 119.5 * MINUTE, IDLE)).toBe(1);
    expect(minutesUntil(first, 125 * MINUTE, IDLE)).toBe(1);
  });

  it("guesses the idle limit when no end is known", () => {
    expect(firstEndAt([], IDLE)).toBe(Number.POSITIVE_INFINITY);
    expect(minutesUntil(firstEndAt([], IDLE), 0, IDLE)).toBe(30);
  });
});
