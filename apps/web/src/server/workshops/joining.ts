import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { checkDisplayName, sameDisplayName } from "./display-name";
import { normaliseJoinCode, normaliseRejoinCode } from "./join-code";
import { isJoinable, newSeat, type WorkshopRecord, workshopLessonIds } from "./workshop-records";

export interface JoinedSeat {
  seatId: string;
  visitorId: string;
  rejoinCode: string;
  name: string;
  workshop: { id: string; title: string; firstLessonId: string | null };
  resumed: boolean;
}

// One join at a time on this node: the duplicate-name and capacity checks and the seat's claim must not interleave.
let joins: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const done = joins.then(work);
  joins = done.catch(() => undefined);
  return done;
}

async function workshopByCode(ctx: WebContext, typed: unknown): Promise<WorkshopRecord> {
  const code = typeof typed === "string" ? normaliseJoinCode(typed) : undefined;
  const workshop = code ? await ctx.db.workshop.findUnique({ where: { code } }) : null;
  if (!workshop) {
    throw new HttpError(
      `No workshop has the code "${String(typed ?? "").slice(0, 20)}". Check it with your instructor: codes are 6 letters and digits.`,
      404,
    );
  }
  return workshop;
}

function refuseUnlessJoinable(workshop: WorkshopRecord, now: Date): void {
  const verdict = isJoinable(workshop, now);
  if (verdict === "not-open") {
    throw new HttpError(
      `"${workshop.title}" is not open for joining yet. Your instructor opens it shortly before it starts; try again then.`,
      403,
    );
  }
  if (verdict === "ended") throw new HttpError(`"${workshop.title}" has ended; joining is closed.`, 410);
}

function joined(
  seat: { id: string; visitorId: string; rejoinCode: string; name: string | null },
  workshop: WorkshopRecord,
  resumed: boolean,
): JoinedSeat {
  const lessonIds = workshopLessonIds(workshop);
  return {
    seatId: seat.id,
    visitorId: seat.visitorId,
    rejoinCode: seat.rejoinCode,
    name: seat.name ?? "",
    workshop: { id: workshop.id, title: workshop.title, firstLessonId: lessonIds[0] ?? null },
    resumed,
  };
}

/**
 * An attendee takes a seat with the workshop's code and a display name. The
 * same browser rejoining gets its own seat back; otherwise a prepared seat
 * (its sandbox already started) is taken before a new one is made.
 */
export async function joinWorkshop(
  ctx: WebContext,
  request: { code: unknown; name: unknown; visitorId: string | undefined },
): Promise<JoinedSeat> {
  const workshop = await workshopByCode(ctx, request.code);
  const now = new Date();
  refuseUnlessJoinable(workshop, now);
  if (request.visitorId) {
    const own = await ctx.db.seat.findUnique({ where: { visitorId: request.visitorId } });
    if (own?.workshopId === workshop.id && own.name) return joined(own, workshop, true);
  }
  const name = checkDisplayName(request.name);
  if (!name.ok) throw new HttpError(name.message, 400);

  const seat = await oneAtATime(async () => {
    const seats = await ctx.db.seat.findMany({ where: { workshopId: workshop.id }, orderBy: { createdAt: "asc" } });
    const taken = seats.filter((seat) => seat.name !== null);
    if (taken.some((seat) => sameDisplayName(seat.name as string, name.name))) {
      throw new HttpError(
        `Someone in this workshop already goes by "${name.name}". Add an initial or a surname so the room can tell you apart.`,
        409,
      );
    }
    if (taken.length >= workshop.capacity) {
      throw new HttpError(
        `"${workshop.title}" is full: all ${workshop.capacity} seats are taken. Ask your instructor to raise its capacity.`,
        409,
      );
    }
    const prepared = seats.filter((seat) => seat.name === null);
    const ready = new Set(
      (
        await ctx.db.session.findMany({
          where: { visitorId: { in: prepared.map((seat) => seat.visitorId) }, state: "ready" },
          select: { visitorId: true },
        })
      ).map((session) => session.visitorId),
    );
    const choice = prepared.find((seat) => ready.has(seat.visitorId)) ?? prepared[0];
    if (choice) {
      return ctx.db.seat.update({ where: { id: choice.id }, data: { name: name.name, joinedAt: now } });
    }
    return ctx.db.seat.create({
      data: { ...newSeat(workshop.id), name: name.name, joinedAt: now },
    });
  });
  ctx.log.info("workshop.joined", { workshopId: workshop.id, seatId: seat.id });
  ctx.rooms.seatsChanged(workshop.id);
  return joined(seat, workshop, false);
}

/** Another device takes over a seat with the seat's personal rejoin code. */
export async function rejoinSeat(ctx: WebContext, typed: unknown): Promise<JoinedSeat> {
  const code = typeof typed === "string" ? normaliseRejoinCode(typed) : undefined;
  const seat = code ? await ctx.db.seat.findUnique({ where: { rejoinCode: code }, include: { workshop: true } }) : null;
  if (!seat?.name) throw new HttpError("No seat has this rejoin code. It is the 10-character code your workshop page showed you.", 404);
  refuseUnlessJoinable(seat.workshop, new Date());
  return joined(seat, seat.workshop, true);
}
