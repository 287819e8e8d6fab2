import type {
  AttendeeClientEvents,
  AttendeeServerEvents,
  InstructorClientEvents,
  InstructorServerEvents,
  SeatRow,
} from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import type { Namespace } from "socket.io";
import type { WebContext } from "../context";
import { attendeeState } from "./attendee-state";
import { openHands, seatMeter, seatRows, workshopSummary } from "./dashboard-state";

export type WorkshopNamespace = Namespace<AttendeeClientEvents & InstructorClientEvents, AttendeeServerEvents & InstructorServerEvents>;

export const instructorsRoom = (workshopId: string) => `instructors:${workshopId}`;
export const attendeesRoom = (workshopId: string) => `attendees:${workshopId}`;
export const seatRoom = (seatId: string) => `seat:${seatId}`;

/** How long changes are gathered before the dashboard is pushed: many checks at once cost one push. */
const COALESCE_MS = 200;
/** Time alone changes the radar (idle, time on step): rows are recomputed this often while instructors watch. */
const RADAR_TICK_MS = 15_000;

/**
 * Pushes the room's changes: parts of the web server say what changed
 * (a seat, the hands, the meter, the workshop), the hub recomputes it from the
 * database and sends instructors only the rows that differ from what they have.
 */
export interface RoomHub {
  attach(namespace: WorkshopNamespace, ctx: WebContext): void;
  seatsChanged(workshopId: string): void;
  handsChanged(workshopId: string): void;
  meterChanged(workshopId: string): void;
  /** The workshop itself (state, time, pause, banner, presenting): every attendee and instructor hears it. */
  workshopChanged(workshopId: string): void;
  attendeeChanged(seatId: string): void;
  /** Tells one seat's page to reload its sandbox (it was reset). */
  seatReset(seatId: string): void;
  online(seatId: string, delta: 1 | -1): void;
  isOnline(seatId: string): boolean;
  /** The rows last pushed, for a new instructor's snapshot to start from the same ones. */
  remember(workshopId: string, rows: SeatRow[]): void;
  close(): void;
}

export function createRoomHub(log: Logger): RoomHub {
  let namespace: WorkshopNamespace | undefined;
  let context: WebContext | undefined;
  const connected = new Map<string, number>();
  const sent = new Map<string, Map<string, string>>();
  const pending = new Map<string, NodeJS.Timeout>();

  const hasInstructors = (workshopId: string) => (namespace?.adapter.rooms.get(instructorsRoom(workshopId))?.size ?? 0) > 0;

  async function pushSeats(workshopId: string): Promise<void> {
    if (!namespace || !context || !hasInstructors(workshopId)) return;
    const workshop = await context.db.workshop.findUnique({ where: { id: workshopId } });
    if (!workshop) return;
    const rows = await seatRows(context, workshop, hub.isOnline);
    const last = sent.get(workshopId) ?? new Map<string, string>();
    const changed = rows.filter((row) => last.get(row.id) !== JSON.stringify(row));
    hub.remember(workshopId, rows);
    if (changed.length > 0) namespace.to(instructorsRoom(workshopId)).emit("dashboard:seats", changed);
  }

  function later(key: string, work: () => Promise<void>): void {
    if (pending.has(key)) return;
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        work().catch((error: unknown) => log.error("room.push_failed", { key, error }));
      }, COALESCE_MS),
    );
  }

  const tick = setInterval(() => {
    if (!namespace) return;
    for (const room of namespace.adapter.rooms.keys()) {
      if (room.startsWith("instructors:")) hub.seatsChanged(room.slice("instructors:".length));
    }
  }, RADAR_TICK_MS);
  tick.unref();

  const hub: RoomHub = {
    attach(attached, ctx) {
      namespace = attached;
      context = ctx;
    },
    seatsChanged(workshopId) {
      later(`seats:${workshopId}`, () => pushSeats(workshopId));
    },
    handsChanged(workshopId) {
      later(`hands:${workshopId}`, async () => {
        if (!namespace || !context) return;
        namespace.to(instructorsRoom(workshopId)).emit("dashboard:hands", await openHands(context, workshopId));
      });
      hub.seatsChanged(workshopId);
    },
    meterChanged(workshopId) {
      later(`meter:${workshopId}`, async () => {
        if (!namespace || !context) return;
        namespace.to(instructorsRoom(workshopId)).emit("dashboard:meter", await seatMeter(context, workshopId));
      });
    },
    workshopChanged(workshopId) {
      later(`workshop:${workshopId}`, async () => {
        if (!namespace || !context) return;
        const workshop = await context.db.workshop.findUnique({ where: { id: workshopId }, include: { seats: { select: { id: true } } } });
        if (!workshop) return;
        namespace.to(instructorsRoom(workshopId)).emit("dashboard:workshop", workshopSummary(workshop));
        for (const seat of workshop.seats) hub.attendeeChanged(seat.id);
      });
      hub.seatsChanged(workshopId);
    },
    attendeeChanged(seatId) {
      later(`attendee:${seatId}`, async () => {
        if (!namespace || !context) return;
        if ((namespace.adapter.rooms.get(seatRoom(seatId))?.size ?? 0) === 0) return;
        const state = await attendeeState(context, seatId);
        if (state) namespace.to(seatRoom(seatId)).emit("attendee:state", state);
      });
    },
    seatReset(seatId) {
      namespace?.to(seatRoom(seatId)).emit("attendee:reset");
    },
    online(seatId, delta) {
      const count = (connected.get(seatId) ?? 0) + delta;
      if (count > 0) connected.set(seatId, count);
      else connected.delete(seatId);
    },
    isOnline: (seatId) => connected.has(seatId),
    remember(workshopId, rows) {
      sent.set(workshopId, new Map(rows.map((row) => [row.id, JSON.stringify(row)])));
    },
    close() {
      clearInterval(tick);
      for (const timer of pending.values()) clearTimeout(timer);
    },
  };
  return hub;
}
