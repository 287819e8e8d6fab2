import {
  type Ack,
  handRequestSchema,
  prepareSeatsSchema,
  presentSchema,
  roomExtendSchema,
  roomMessageSchema,
  roomStateSchema,
  seatFileSchema,
  seatRequestSchema,
  stepViewedSchema,
  WORKSHOP_NAMESPACE,
  workshopAuthSchema,
} from "@drydock/protocol";
import type { Server, Socket } from "socket.io";
import type { z } from "zod";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { attendeeState } from "../workshops/attendee-state";
import { dashboardSnapshot, seatMeter } from "../workshops/dashboard-state";
import {
  answerHand,
  changeWorkshopState,
  extendTime,
  lowerHand,
  pauseRoom,
  postMessage,
  raiseHand,
  resetSeat,
  resumeRoom,
  setPresenting,
} from "../workshops/room-control";
import { attendeesRoom, instructorsRoom, seatRoom, type WorkshopNamespace } from "../workshops/room-hub";
import { prepareSeats } from "../workshops/seat-sandboxes";
import { stepViewed } from "../workshops/seat-signals";
import { seatDetail, seatFile } from "../workshops/seat-view";
import { sessionStarter } from "../workshops/session-starter";
import { admission } from "./admission";
import { type RoomMember, whoIsInRoom } from "./room-member";

type RoomSocket = Socket & { data: RoomMember };

/** An instructor action: its request validated, the workshop re-read (another instructor may have changed it), errors answered. */
function action<S extends z.ZodType, T>(
  ctx: WebContext,
  socket: RoomSocket,
  schema: S | undefined,
  run: (request: z.infer<S>, workshopId: string) => Promise<T>,
) {
  return (...args: unknown[]) => {
    const ack = args.at(-1) as Ack<T>;
    if (typeof ack !== "function") return;
    const parsed = schema ? schema.safeParse(args[0]) : { success: true as const, data: undefined };
    if (!parsed.success) {
      ack({ ok: false, error: parsed.error.issues.map((issue) => issue.message).join("; ") });
      return;
    }
    run(parsed.data as z.infer<S>, socket.data.workshopId).then(
      (value) => ack({ ok: true, value }),
      (error: unknown) => {
        if (!(error instanceof HttpError)) ctx.log.error("workshop.action_failed", { workshopId: socket.data.workshopId, error });
        ack({ ok: false, error: error instanceof HttpError ? error.message : "The action failed on the server; try again." });
      },
    );
  };
}

/**
 * The workshop room: instructors get the live dashboard and act on the room;
 * attendees get what their page shows (banners, time, pause, take-over) and
 * raise hands. Who is who comes from the cookies, never from the handshake.
 */
export function serveWorkshopGateway(io: Server, ctx: WebContext): void {
  const namespace = io.of(WORKSHOP_NAMESPACE) as unknown as WorkshopNamespace;
  ctx.rooms.attach(namespace, ctx);
  namespace.use(
    admission(ctx, {
      schema: workshopAuthSchema,
      malformed: "the handshake names no workshop.",
      what: "the workshop",
      event: "workshop.lookup_failed",
      admit: (auth, cookie) => whoIsInRoom(ctx, auth.workshopId, cookie),
    }),
  );

  namespace.on("connection", (raw) => {
    const socket = raw as unknown as RoomSocket;
    if (socket.data.kind === "attendee") serveAttendee(ctx, socket);
    else serveInstructor(ctx, socket);
  });
}

function serveAttendee(ctx: WebContext, socket: RoomSocket): void {
  const member = socket.data;
  if (member.kind !== "attendee") return;
  const seat = { seatId: member.seatId, workshopId: member.workshopId };
  void socket.join([attendeesRoom(member.workshopId), seatRoom(member.seatId)]);
  ctx.rooms.seatsChanged(member.workshopId);
  void attendeeState(ctx, member.seatId).then((state) => state && socket.emit("attendee:state", state));

  socket.on("step:viewed", (step: unknown) => {
    const parsed = stepViewedSchema.safeParse(step);
    if (!parsed.success) return;
    stepViewed(ctx, seat, parsed.data.lessonId, parsed.data.stepId).catch((error: unknown) =>
      ctx.log.error("workshop.record_failed", { event: "step:viewed", error }),
    );
  });
  socket.on(
    "hand:raise",
    action(ctx, socket, undefined, () => raiseHand(ctx, seat.seatId, seat.workshopId).then(() => null)),
  );
  socket.on(
    "hand:lower",
    action(ctx, socket, undefined, () => lowerHand(ctx, seat.seatId, seat.workshopId).then(() => null)),
  );
  socket.on("disconnect", () => ctx.rooms.seatsChanged(member.workshopId));
}

function serveInstructor(ctx: WebContext, socket: RoomSocket): void {
  const member = socket.data;
  if (member.kind !== "instructor") return;
  const workshopOf = async (workshopId: string) => {
    const workshop = await ctx.db.workshop.findUnique({ where: { id: workshopId } });
    if (!workshop) throw new HttpError("The workshop was deleted.", 404);
    return workshop;
  };
  const starter = sessionStarter(ctx);
  void socket.join(instructorsRoom(member.workshopId));
  const instructor = { id: member.instructor.id, name: member.instructor.name, role: member.role };
  void Promise.all([workshopOf(member.workshopId), ctx.rooms.onlineSeats(member.workshopId)])
    .then(([workshop, online]) => dashboardSnapshot(ctx, workshop, instructor, (seatId) => online.has(seatId)))
    .then((snapshot) => {
      ctx.rooms.remember(member.workshopId, snapshot.seats);
      socket.emit("dashboard:snapshot", snapshot);
    })
    .catch((error: unknown) => ctx.log.error("workshop.snapshot_failed", { workshopId: member.workshopId, error }));

  const on = <S extends z.ZodType, T>(
    event: string,
    schema: S | undefined,
    run: (request: z.infer<S>, workshop: Awaited<ReturnType<typeof workshopOf>>) => Promise<T>,
  ) =>
    socket.on(
      event,
      action(ctx, socket, schema, async (request, workshopId) => run(request, await workshopOf(workshopId))),
    );

  on("seats:prepare", prepareSeatsSchema, async ({ count }, workshop) => {
    await prepareSeats(ctx, workshop, count, starter);
    return seatMeter(ctx, workshop.id);
  });
  on("room:message", roomMessageSchema, ({ text, seatId }, workshop) =>
    postMessage(ctx, workshop, member.instructor.name, text, seatId).then(() => null),
  );
  on("room:extend", roomExtendSchema, ({ minutes, seatId }, workshop) => extendTime(ctx, workshop, minutes, seatId));
  on("room:pause", undefined, (_request, workshop) => pauseRoom(ctx, workshop).then(() => null));
  on("room:resume", undefined, (_request, workshop) => resumeRoom(ctx, workshop).then(() => null));
  const changeState = (to: string, workshopId: string) => changeWorkshopState(ctx, member.instructor.id, workshopId, to).then(() => null);
  on("room:state", roomStateSchema, ({ state }, workshop) => changeState(state, workshop.id));
  on("room:end", undefined, (_request, workshop) => changeState("ended", workshop.id));
  on("room:present", presentSchema, ({ on: presenting }, workshop) => setPresenting(ctx, workshop, presenting, starter).then(() => null));
  on("seat:reset", seatRequestSchema, ({ seatId }, workshop) => resetSeat(ctx, workshop, seatId, starter).then(() => null));
  on("seat:detail", seatRequestSchema, ({ seatId }, workshop) => seatDetail(ctx, workshop.id, seatId));
  on("seat:file", seatFileSchema, ({ seatId, path }, workshop) => seatFile(ctx, workshop.id, seatId, path));
  on("hand:claim", handRequestSchema, ({ handId }, workshop) =>
    answerHand(ctx, workshop.id, handId, member.instructor.id, "claim").then(() => null),
  );
  on("hand:resolve", handRequestSchema, ({ handId }, workshop) =>
    answerHand(ctx, workshop.id, handId, member.instructor.id, "resolve").then(() => null),
  );
}
