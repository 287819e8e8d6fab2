import { randomBytes } from "node:crypto";
import {
  PRESENTER_TARGET,
  type TerminalClientEvents,
  type TerminalServerEvents,
  WATCH_NAMESPACE,
  type WatchAuth,
  watchAuthSchema,
} from "@drydock/protocol";
import type { Server, Socket } from "socket.io";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { seatOf } from "../workshops/room-control";
import { liveSession } from "../workshops/seat-view";
import { admission } from "./admission";
import { type RoomMember, whoIsInRoom } from "./room-member";
import { relayTerminal } from "./terminal-relay";

interface Watched {
  member: RoomMember;
  auth: WatchAuth;
  agentUrl: string;
  sandboxId: string;
  seatId: string | null;
}

/**
 * Which terminal a watch socket may see, and whether it may type: an
 * instructor any seat of the workshop (typing is a take-over the attendee is
 * shown) and the presenter's; an attendee only the presenter's, read-only,
 * while the instructors present.
 */
async function resolveWatch(ctx: WebContext, auth: WatchAuth, cookie: string | undefined): Promise<Watched> {
  const member = await whoIsInRoom(ctx, auth.workshopId, cookie);
  const workshop = await ctx.db.workshop.findUnique({ where: { id: auth.workshopId } });
  if (!workshop) throw new HttpError("the workshop was deleted.", 404);
  let visitorId: string | null;
  let seatId: string | null = null;
  if (auth.target === PRESENTER_TARGET) {
    if (member.kind === "attendee" && (auth.mode === "write" || !workshop.presenting)) {
      throw new HttpError("only the instructors' shared terminal can be watched, and only while they present.", 403);
    }
    visitorId = workshop.presenterVisitorId;
  } else {
    if (member.kind !== "instructor") throw new HttpError("an attendee sees only their own terminal.", 403);
    const seat = await seatOf(ctx, workshop.id, auth.target);
    visitorId = seat.visitorId;
    seatId = seat.id;
  }
  const session = visitorId ? await liveSession(ctx, visitorId) : null;
  if (!session?.sandboxId) throw new HttpError("that terminal's sandbox is not running.", 409);
  return { member, auth, agentUrl: session.agentUrl, sandboxId: session.sandboxId, seatId };
}

type WatchSocket = Socket<TerminalClientEvents, TerminalServerEvents, Record<string, never>, Watched>;

export function serveWatchGateway(io: Server, ctx: WebContext): void {
  endOrphanedTakeovers(ctx, new Date()).catch((error: unknown) => ctx.log.error("workshop.takeover_cleanup_failed", { error }));
  const namespace = io.of(WATCH_NAMESPACE);
  namespace.use(
    admission(ctx, {
      schema: watchAuthSchema,
      malformed: "the handshake needs a workshop, a target and a mode.",
      what: "the watch",
      event: "watch.lookup_failed",
      admit: (auth, cookie) => resolveWatch(ctx, auth, cookie),
    }),
  );

  namespace.on("connection", (raw) => {
    const socket = raw as unknown as WatchSocket;
    const { member, auth, agentUrl, sandboxId, seatId } = socket.data;
    const rights = auth.mode === "write" && member.kind === "instructor" ? "write" : "read";
    const takeover = rights === "write" && seatId && member.kind === "instructor" ? startTakeover(ctx, seatId, member) : undefined;
    relayTerminal(socket, { agentUrl, sandboxId, rights, acks: auth.acks, ...(auth.size ? { size: auth.size } : {}) }, ctx, {
      closed: () => void takeover?.then((end) => end()),
    });
  });
}

/**
 * A take-over lasts as long as its watch socket, and no socket outlives the
 * server: those a killed server could not close (SIGKILL, a crash) end at
 * its next start, or the attendee's banner and the grid would show them forever.
 */
async function endOrphanedTakeovers(ctx: WebContext, serverStart: Date): Promise<void> {
  const { count } = await ctx.db.takeover.updateMany({
    where: { endedAt: null, startedAt: { lt: serverStart } },
    data: { endedAt: serverStart },
  });
  if (count > 0) ctx.log.info("workshop.takeovers_orphaned", { ended: count });
}

/** A take-over is logged from its first keystroke's connection to its end, and the attendee is shown it all along. */
async function startTakeover(
  ctx: WebContext,
  seatId: string,
  member: Extract<RoomMember, { kind: "instructor" }>,
): Promise<() => Promise<void>> {
  const id = `tko_${randomBytes(8).toString("hex")}`;
  await ctx.db.takeover.create({ data: { id, seatId, instructorId: member.instructor.id } });
  ctx.log.info("workshop.takeover_started", { workshopId: member.workshopId, seatId, instructorId: member.instructor.id, takeoverId: id });
  ctx.rooms.attendeeChanged(seatId);
  ctx.rooms.seatsChanged(member.workshopId);
  return async () => {
    await ctx.db.takeover.update({ where: { id }, data: { endedAt: new Date() } }).catch(() => undefined);
    ctx.log.info("workshop.takeover_ended", { workshopId: member.workshopId, seatId, takeoverId: id });
    ctx.rooms.attendeeChanged(seatId);
    ctx.rooms.seatsChanged(member.workshopId);
  };
}
