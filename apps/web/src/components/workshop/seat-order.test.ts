import type { SeatRow } from "@drydock/protocol/workshop";
import { describe, expect, it } from "vitest";
import { sortSeats } from "./seat-order";

const row = (name: string, over: Partial<SeatRow> = {}): SeatRow => ({
  id: name,
  name,
  joinedAt: null,
  online: true,
  sandbox: "ready",
  cells: {},
  currentStep: null,
  currentSince: null,
  passedCount: 0,
  lastExitCodes: [],
  idleSince: null,
  stuck: [],
  handRaised: false,
  typingWith: null,
  endsAt: "",
  ...over,
});

describe("sortSeats", () => {
  const rows = [
    row("Cy", { passedCount: 1, joinedAt: "2026-01-01T10:02:00Z" }),
    row("Al", { passedCount: 3, stuck: [{ reason: "x" }], joinedAt: "2026-01-01T10:00:00Z" }),
    row("Bo", { passedCount: 2, handRaised: true, joinedAt: "2026-01-01T10:01:00Z" }),
  ];
  it("puts hands, then the stuck, then the least progress first", () => {
    expect(sortSeats(rows, "stuck").map((seat) => seat.name)).toEqual(["Bo", "Al", "Cy"]);
  });
  it("sorts by progress, name and arrival", () => {
    expect(sortSeats(rows, "progress").map((seat) => seat.name)).toEqual(["Cy", "Bo", "Al"]);
    expect(sortSeats(rows, "name").map((seat) => seat.name)).toEqual(["Al", "Bo", "Cy"]);
    expect(sortSeats(rows, "joined").map((seat) => seat.name)).toEqual(["Al", "Bo", "Cy"]);
  });
});
