"use client";

import type {
  DashboardSnapshot,
  HelpView,
  InstructorClientEvents,
  InstructorServerEvents,
  SeatMeter,
  SeatRow,
  WorkshopSummary,
} from "@drydock/protocol/workshop";
import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import { useRoomSocket } from "./room-socket";

export interface DashboardState {
  snapshot: DashboardSnapshot | null;
  seats: Map<string, SeatRow>;
  socket: Socket<InstructorServerEvents, InstructorClientEvents> | null;
  problem: string | null;
}

/** The dashboard's live state: a snapshot on (re)connect, then the rows, hands, meter and workshop as they change. */
export function useDashboard(workshopId: string): DashboardState {
  const { socket, problem } = useRoomSocket<InstructorServerEvents, InstructorClientEvents>(workshopId);
  const [snapshot, setSnapshot] = useState<DashboardSnapshot | null>(null);
  const [seats, setSeats] = useState<Map<string, SeatRow>>(new Map());

  useEffect(() => {
    if (!socket) return;
    const onSnapshot = (next: DashboardSnapshot) => {
      setSnapshot(next);
      setSeats(new Map(next.seats.map((row) => [row.id, row])));
    };
    const onSeats = (rows: SeatRow[]) =>
      setSeats((previous) => {
        const next = new Map(previous);
        for (const row of rows) next.set(row.id, row);
        return next;
      });
    const patch = (change: Partial<DashboardSnapshot>) => setSnapshot((previous) => (previous ? { ...previous, ...change } : previous));
    const onHands = (hands: HelpView[]) => patch({ hands });
    const onMeter = (meter: SeatMeter) => patch({ meter });
    const onWorkshop = (workshop: WorkshopSummary) => patch({ workshop });
    socket.on("dashboard:snapshot", onSnapshot);
    socket.on("dashboard:seats", onSeats);
    socket.on("dashboard:hands", onHands);
    socket.on("dashboard:meter", onMeter);
    socket.on("dashboard:workshop", onWorkshop);
    return () => {
      socket.off("dashboard:snapshot", onSnapshot);
      socket.off("dashboard:seats", onSeats);
      socket.off("dashboard:hands", onHands);
      socket.off("dashboard:meter", onMeter);
      socket.off("dashboard:workshop", onWorkshop);
    };
  }, [socket]);

  return { snapshot, seats, socket, problem };
}
