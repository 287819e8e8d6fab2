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
import { within } from "../nodes/within";
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
/** How long presence waits for the other web nodes' answer before it counts this node's sockets alone. */
const PRESENCE_TIMEOUT_MS = 2_000;
/** The server-side event that tells the other web nodes what changed (see createRoomHub). */
const ROOM_CHANGED = "drydock:room-changed";

type Change = "seats" | "hands" | "meter" | "workshop" | "attendee";

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
  /** The seats whose attendee has the room open, on whichever web node their socket landed. */
  onlineSeats(workshopId: string): Promise<Set<string>>;
  /** The rows last pushed, for a new instructor's snapshot to start from the same ones. */
  remember(workshopId: string, rows: SeatRow[]): void;
  close(): void;
}

export interface RoomHubOptions {
  /**
   * Several web nodes share the rooms (socket.io's Redis adapter): a change
   * said on one node is told to every node, and each pushes it to the sockets
   * it holds, recomputed against the rows it sent them.
   */
  acrossNodes: boolean;
}

export function createRoomHub(log: Logger, options: RoomHubOptions = { acrossNodes: false }): RoomHub {
  let namespace: WorkshopNamespace | undefined;
  let context: WebContext | undefined;
  const sent = new Map<string, Map<string, string>>();
  const pending = new Map<string, NodeJS.Timeout>();

  // This node's sockets only: every node pushes to its own (see RoomHubOptions).
  const hereIn = (room: string) => namespace?.adapter.rooms.get(room)?.size ?? 0;

  async function pushSeats(workshopId: string): Promise<void> {
    if (!namespace || !context || hereIn(instructorsRoom(workshopId)) === 0) return;
    const workshop = await context.db.workshop.findUnique({ where: { id: workshopId } });
    if (!workshop) return;
    const online = await hub.onlineSeats(workshopId);
    const rows = await seatRows(context, workshop, (seatId) => online.has(seatId));
    const last = sent.get(workshopId) ?? new Map<string, string>();
    const changed = rows.filter((row) => last.get(row.id) !== JSON.stringify(row));
    hub.remember(workshopId, rows);
    if (changed.length > 0) namespace.local.to(instructorsRoom(workshopId)).emit("dashboard:seats", changed);
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

  /** Pushes a change to this node's sockets. */
  function here(change: Change, id: string): void {
    switch (change) {
      case "seats":
        later(`seats:${id}`, () => pushSeats(id));
        return;
      case "hands":
        later(`hands:${id}`, async () => {
          if (!namespace || !context || hereIn(instructorsRoom(id)) === 0) return;
          namespace.local.to(instructorsRoom(id)).emit("dashboard:hands", await openHands(context, id));
        });
        here("seats", id);
        return;
      case "meter":
        later(`meter:${id}`, async () => {
          if (!namespace || !context || hereIn(instructorsRoom(id)) === 0) return;
          namespace.local.to(instructorsRoom(id)).emit("dashboard:meter", await seatMeter(context, id));
        });
        return;
      case "workshop":
        later(`workshop:${id}`, async () => {
          if (!namespace || !context) return;
          const workshop = await context.db.workshop.findUnique({ where: { id }, include: { seats: { select: { id: true } } } });
          if (!workshop) return;
          if (hereIn(instructorsRoom(id)) > 0)
            namespace.local.to(instructorsRoom(id)).emit("dashboard:workshop", workshopSummary(workshop));
          for (const seat of workshop.seats) here("attendee", seat.id);
        });
        here("seats", id);
        return;
      case "attendee":
        later(`attendee:${id}`, async () => {
          if (!namespace || !context || hereIn(seatRoom(id)) === 0) return;
          const state = await attendeeState(context, id);
          if (state) namespace.local.to(seatRoom(id)).emit("attendee:state", state);
        });
        return;
    }
  }

  /** Pushes a change here and tells the other web nodes to push it to theirs. */
  function everywhere(change: Change, id: string): void {
    if (options.acrossNodes) namespace?.serverSideEmit(ROOM_CHANGED, change, id);
    here(change, id);
  }

  const tick = setInterval(() => {
    if (!namespace) return;
    for (const room of namespace.adapter.rooms.keys()) {
      if (room.startsWith("instructors:")) here("seats", room.slice("instructors:".length));
    }
  }, RADAR_TICK_MS);
  tick.unref();

  const hub: RoomHub = {
    attach(attached, ctx) {
      namespace = attached;
      context = ctx;
      if (options.acrossNodes) {
        attached.on(ROOM_CHANGED, (change: Change, id: string) => {
          if (isChange(change) && typeof id === "string") here(change, id);
        });
      }
    },
    seatsChanged: (workshopId) => everywhere("seats", workshopId),
    handsChanged: (workshopId) => everywhere("hands", workshopId),
    meterChanged: (workshopId) => everywhere("meter", workshopId),
    workshopChanged: (workshopId) => everywhere("workshop", workshopId),
    attendeeChanged: (seatId) => everywhere("attendee", seatId),
    seatReset(seatId) {
      // One broadcast, which the adapter carries to every node.
      namespace?.to(seatRoom(seatId)).emit("attendee:reset");
    },
    async onlineSeats(workshopId) {
      if (!namespace) return new Set();
      const room = attendeesRoom(workshopId);
      const everyNode = namespace.in(room).fetchSockets();
      const thisNode = () => (namespace as WorkshopNamespace).local.in(room).fetchSockets();
      const sockets = options.acrossNodes ? await within(everyNode, PRESENCE_TIMEOUT_MS).catch(thisNode) : await everyNode;
      return new Set(sockets.flatMap((socket) => (socket.data?.kind === "attendee" ? [socket.data.seatId as string] : [])));
    },
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

const CHANGES: ReadonlySet<string> = new Set<Change>(["seats", "hands", "meter", "workshop", "attendee"]);
const isChange = (value: unknown): value is Change => typeof value === "string" && CHANGES.has(value);
