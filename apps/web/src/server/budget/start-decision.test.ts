import { describe, expect, it } from "vitest";
import type { BudgetSession } from "./live-sessions";
import { decideStart } from "./start-decision";

const MINUTE = 60_000;
const limits = { perVisitor: 2, capacity: 4, idleMs: 30 * MINUTE };
const now = 100 * MINUTE;

let counter = 0;
function live(visitorId: string, lessonId: string | null, activeMin = 95, workshopId: string | null = null): BudgetSession {
  counter += 1;
  return {
    id: `ses_${counter}`,
    visitorId,
    lessonId,
    state: "ready",
    createdAt: new Date(0),
    expiresAt: new Date(240 * MINUTE),
    activeAt: new Date(activeMin * MINUTE),
    workshopId,
  };
}

describe("decideStart", () => {
  it("allows a first start", () => {
    expect(decideStart({ visitorId: "a", lessonId: "l1", workshopId: null }, [], limits, now)).toEqual({ allowed: true, replaces: [] });
  });

  it("replaces the visitor's live session of the same lesson instead of adding one", () => {
    const previous = live("a", "l1");
    const other = live("a", "l2");
    expect(decideStart({ visitorId: "a", lessonId: "l1", workshopId: null }, [previous, other], limits, now)).toEqual({
      allowed: true,
      replaces: [previous],
    });
    const playground = live("a", null);
    expect(decideStart({ visitorId: "a", lessonId: null, workshopId: null }, [playground], limits, now)).toEqual({
      allowed: true,
      replaces: [playground],
    });
  });

  it("refuses a visitor holding the most sandboxes for other lessons, with when the first ends", () => {
    const decision = decideStart(
      { visitorId: "a", lessonId: "l3", workshopId: null },
      [live("a", "l1", 90), live("a", "l2", 99)],
      limits,
      now,
    );
    expect(decision).toMatchObject({ allowed: false, status: 429, retryAfterSeconds: 20 * 60, freesAt: 120 * MINUTE });
    expect(decision.allowed === false && decision.message).toMatch(/already has 2 sandboxes.*about 20 minutes/);
  });

  it("lets other visitors start while one visitor is at their cap", () => {
    expect(decideStart({ visitorId: "b", lessonId: "l1", workshopId: null }, [live("a", "l1"), live("a", "l2")], limits, now).allowed).toBe(
      true,
    );
  });

  it("answers 503 with an estimate when the deployment is full", () => {
    const full = [live("a", "l1", 99), live("b", "l1", 80), live("c", "l1", 95), live("d", null, 99)];
    const decision = decideStart({ visitorId: "e", lessonId: "l1", workshopId: null }, full, limits, now);
    expect(decision).toMatchObject({ allowed: false, status: 503, retryAfterSeconds: 10 * 60, freesAt: 110 * MINUTE });
    expect(decision.allowed === false && decision.message).toBe(
      "Drydock is full — a sandbox frees up in about 10 minutes. Try again then.",
    );
  });

  it("lets a replacing start through when the deployment is full, since it frees its own place", () => {
    const mine = live("a", "l1");
    const full = [mine, live("b", "l1"), live("c", "l1"), live("d", null)];
    expect(decideStart({ visitorId: "a", lessonId: "l1", workshopId: null }, full, limits, now)).toEqual({
      allowed: true,
      replaces: [mine],
    });
  });

  it("neither counts nor refuses workshop seats against the anonymous capacity", () => {
    const seats = [live("s1", "l1", 95, "wks_1"), live("s2", "l1", 95, "wks_1"), live("s3", "l1", 95, "wks_1")];
    const anonymous = [live("a", "l1"), live("b", "l1"), live("c", "l1")];
    expect(decideStart({ visitorId: "e", lessonId: "l1", workshopId: null }, [...seats, ...anonymous], limits, now).allowed).toBe(true);
    const full = [...anonymous, live("d", "l1")];
    expect(decideStart({ visitorId: "s4", lessonId: "l1", workshopId: "wks_1" }, [...seats, ...full], limits, now).allowed).toBe(true);
    expect(decideStart({ visitorId: "e", lessonId: "l1", workshopId: null }, [...seats, ...full], limits, now).allowed).toBe(false);
  });
});
