import type { SeatRow } from "@drydock/protocol/workshop";

export type SeatOrder = "stuck" | "progress" | "name" | "joined";

const byName = (a: SeatRow, b: SeatRow) => a.name.localeCompare(b.name);

/** The grid's orders: who needs help first (hands, then stuck), the least progress first, by name, by arrival. */
export function sortSeats(rows: SeatRow[], order: SeatOrder): SeatRow[] {
  const sorted = [...rows];
  switch (order) {
    case "stuck":
      return sorted.sort(
        (a, b) =>
          Number(b.handRaised) - Number(a.handRaised) || b.stuck.length - a.stuck.length || a.passedCount - b.passedCount || byName(a, b),
      );
    case "progress":
      return sorted.sort((a, b) => a.passedCount - b.passedCount || byName(a, b));
    case "name":
      return sorted.sort(byName);
    case "joined":
      return sorted.sort((a, b) => (a.joinedAt ?? "").localeCompare(b.joinedAt ?? "") || byName(a, b));
  }
}
