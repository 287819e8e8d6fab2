import { describe, expect, it } from "vitest";
import { parseWorkshopInput, type WorkshopLimits } from "./workshop-input";

const limits: WorkshopLimits = { maxSeatMemoryMib: 1024, maxSeatCpus: 1, maxLiveSandboxes: 20 };
const lessons = new Set(["lab-1", "lab-2"]);
const known = (id: string) => lessons.has(id);

const valid = {
  title: "  Docker basics <b>",
  lessonIds: ["lab-2", "lab-1"],
  startsAt: "2026-12-01T09:00:00.000Z",
  endsAt: "2026-12-01T12:00:00.000Z",
  capacity: 30,
  seatMemoryMib: 512,
  seatCpus: 0.5,
  preparedSeats: 10,
  recordTerminals: true,
};

const problems = (change: Record<string, unknown>) => {
  try {
    parseWorkshopInput({ ...valid, ...change }, limits, known);
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
};

describe("parseWorkshopInput", () => {
  it("keeps a valid workshop, lessons in the given order, the title trimmed but otherwise as typed", () => {
    expect(parseWorkshopInput(valid, limits, known)).toEqual({
      ...valid,
      title: "Docker basics <b>",
      startsAt: new Date(valid.startsAt),
      endsAt: new Date(valid.endsAt),
    });
    expect(parseWorkshopInput({ ...valid, seatMemoryMib: null, seatCpus: null }, limits, known)).toMatchObject({ seatMemoryMib: null });
  });

  it("never lets a seat ask for more than the deployment gives, and says the maximum", () => {
    expect(problems({ seatMemoryMib: 2048 })).toBe("Memory per seat: at most 1024 MiB, this deployment's limit per sandbox.");
    expect(problems({ seatCpus: 2 })).toBe("CPUs per seat: at most 1, this deployment's limit per sandbox.");
    expect(problems({ seatMemoryMib: 64 })).toMatch(/at least 128 MiB/);
    expect(problems({ preparedSeats: 25, capacity: 100 })).toMatch(/at most 20, the live sandboxes/);
    expect(problems({ preparedSeats: 5, capacity: 4 })).toMatch(/no more than the capacity/);
  });

  it("names every field at fault in one message", () => {
    const message = problems({ title: " ", lessonIds: [], capacity: 0, endsAt: valid.startsAt });
    expect(message).toContain("Title: give the workshop a title.");
    expect(message).toContain("Lessons: choose at least one lesson.");
    expect(message).toContain("Capacity: at least 1 attendee.");
  });

  it("refuses unknown or repeated lessons, bad times and a wrong shape", () => {
    expect(problems({ lessonIds: ["lab-1", "nope"] })).toBe('Lessons: there is no lesson "nope".');
    expect(problems({ lessonIds: ["lab-1", "lab-1"] })).toMatch(/once/);
    expect(problems({ endsAt: "2026-12-01T08:00:00.000Z" })).toBe("End: must be after the start.");
    expect(problems({ endsAt: "2026-12-31T08:00:00.000Z" })).toMatch(/at most 14 days/);
    expect(problems({ startsAt: "tomorrow" })).toBe("Start: give a date and time.");
    expect(problems({ capacity: 2.5 })).toBe("Capacity: give a whole number.");
    expect(problems({ capacity: "30" })).toBe("Capacity: give a whole number.");
    expect(problems({ owner: "me" })).toBe("Unknown fields: owner.");
    expect(problems({ title: "x".repeat(121) })).toMatch(/at most 120/);
    expect(problems({ title: "a\u0007b" })).toMatch(/plain text/);
  });
});
