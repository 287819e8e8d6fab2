import { randomBytes } from "node:crypto";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { type WorkshopRole, workshopRole } from "../instructors/instructor-access";
import { instructorEmailSchema } from "../instructors/instructor-accounts";
import { newJoinCode } from "./join-code";
import { parseWorkshopInput, type WorkshopInput, type WorkshopLimits } from "./workshop-input";
import { allowedTransitions, isDeletable, isEditable, isWorkshopState, transitionRefusal, type WorkshopState } from "./workshop-states";

/** What workshop administration needs of the server's context. */
export type WorkshopAdminContext = Pick<WebContext, "db" | "lessons" | "config">;

/** A workshop as an instructor's pages and the API show it (times as ISO strings). */
export interface WorkshopView {
  id: string;
  code: string;
  title: string;
  state: WorkshopState;
  /** The viewer's part in it. */
  role: WorkshopRole;
  lessons: { id: string; title: string }[];
  startsAt: string;
  endsAt: string;
  capacity: number;
  seatMemoryMib: number | null;
  seatCpus: number | null;
  preparedSeats: number;
  recordTerminals: boolean;
  /** Attendees who took a seat. */
  joined: number;
  instructors: { id: string; name: string; email: string; role: WorkshopRole }[];
  /** What the viewer may do now. */
  allowed: { edit: boolean; delete: boolean; invite: boolean; transitions: WorkshopState[] };
}

export function workshopLimits(config: WebContext["config"]): WorkshopLimits {
  return { maxSeatMemoryMib: config.SANDBOX_MEMORY_MIB, maxSeatCpus: config.SANDBOX_CPUS, maxLiveSandboxes: config.MAX_LIVE_SANDBOXES };
}

/** The workshop form's body, checked against this deployment's limits and lessons (a 400 naming each problem). */
function readWorkshopInput(ctx: WorkshopAdminContext, body: unknown): WorkshopInput {
  return parseWorkshopInput(body, workshopLimits(ctx.config), (id) => ctx.lessons.find(id) !== undefined);
}

const workshopInclude = {
  instructors: { include: { instructor: { select: { id: true, name: true, email: true } } }, orderBy: { addedAt: "asc" } },
  _count: { select: { seats: { where: { joinedAt: { not: null } } } } },
} as const;

type WorkshopRow = NonNullable<Awaited<ReturnType<typeof findWorkshopRow>>>;

function findWorkshopRow(ctx: WorkshopAdminContext, workshopId: string) {
  return ctx.db.workshop.findUnique({ where: { id: workshopId }, include: workshopInclude });
}

function stateOf(row: { state: string }): WorkshopState {
  return isWorkshopState(row.state) ? row.state : "draft";
}

function toView(ctx: WorkshopAdminContext, row: WorkshopRow, role: WorkshopRole): WorkshopView {
  const state = stateOf(row);
  const joined = row._count.seats;
  const lessonIds = JSON.parse(row.lessonIds) as string[];
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    state,
    role,
    lessons: lessonIds.map((id) => ({ id, title: ctx.lessons.find(id)?.title ?? `${id} (no longer offered)` })),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    capacity: row.capacity,
    seatMemoryMib: row.seatMemoryMib,
    seatCpus: row.seatCpus,
    preparedSeats: row.preparedSeats,
    recordTerminals: row.recordTerminals,
    joined,
    instructors: row.instructors.map((member) => ({ ...member.instructor, role: member.role === "owner" ? "owner" : "co" })),
    allowed: {
      edit: isEditable(state),
      delete: role === "owner" && isDeletable(state),
      invite: role === "owner",
      transitions: allowedTransitions(state, { joinedAttendees: joined }),
    },
  };
}

/** The workshops the instructor owns or co-runs, soonest first. */
export async function listWorkshops(ctx: WorkshopAdminContext, instructorId: string): Promise<WorkshopView[]> {
  const memberships = await ctx.db.workshopInstructor.findMany({
    where: { instructorId },
    include: { workshop: { include: workshopInclude } },
    orderBy: { workshop: { startsAt: "asc" } },
  });
  return memberships.map((member) => toView(ctx, member.workshop, member.role === "owner" ? "owner" : "co"));
}

/** One workshop the instructor runs; 404 for any other (as if it did not exist). */
export async function getWorkshop(ctx: WorkshopAdminContext, instructorId: string, workshopId: string): Promise<WorkshopView> {
  const role = await workshopRole(ctx, instructorId, workshopId);
  const row = await findWorkshopRow(ctx, workshopId);
  if (!row) throw new HttpError("No such workshop among the ones you run.", 404);
  return toView(ctx, row, role);
}

const newWorkshopId = () => `wks_${randomBytes(12).toString("hex")}`;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

function workshopData(input: WorkshopInput) {
  return { ...input, lessonIds: JSON.stringify(input.lessonIds) };
}

/** Creates a draft workshop owned by the instructor, with a join code no other workshop has. */
export async function createWorkshop(ctx: WorkshopAdminContext, instructorId: string, body: unknown): Promise<WorkshopView> {
  const input = readWorkshopInput(ctx, body);
  // 32^6 codes: a clash is rare, and the unique index catches it; a few fresh draws settle it.
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newWorkshopId();
    try {
      await ctx.db.workshop.create({
        data: { id, code: newJoinCode(), state: "draft", ...workshopData(input), instructors: { create: { instructorId, role: "owner" } } },
      });
      return getWorkshop(ctx, instructorId, id);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new HttpError("No free join code was found; try again.", 503);
}

async function currentRow(ctx: WorkshopAdminContext, workshopId: string): Promise<WorkshopRow> {
  const row = await findWorkshopRow(ctx, workshopId);
  if (!row) throw new HttpError("No such workshop among the ones you run.", 404);
  return row;
}

/** Replaces the workshop's settings while it is a draft or open (owner and co-instructors). */
export async function updateWorkshop(
  ctx: WorkshopAdminContext,
  instructorId: string,
  workshopId: string,
  body: unknown,
): Promise<WorkshopView> {
  await workshopRole(ctx, instructorId, workshopId);
  const input = readWorkshopInput(ctx, body);
  const row = await currentRow(ctx, workshopId);
  const state = stateOf(row);
  if (!isEditable(state)) throw new HttpError(`The workshop is ${state}: its settings can change only while it is a draft or open.`, 409);
  if (input.capacity < row._count.seats)
    throw new HttpError(`Capacity: ${row._count.seats} attendees have joined already; the capacity cannot be lower.`, 400);
  // Only while the state is still one that allows editing (a transition may have happened meanwhile).
  const { count } = await ctx.db.workshop.updateMany({
    where: { id: workshopId, state: { in: ["draft", "open"] } },
    data: workshopData(input),
  });
  if (count === 0) throw new HttpError("The workshop started or ended meanwhile; its settings can no longer change. Reload the page.", 409);
  return getWorkshop(ctx, instructorId, workshopId);
}

/**
 * Moves the workshop to another state under the rules of workshop-states.ts
 * (owner and co-instructors). The change is made only if nobody changed the
 * state meanwhile.
 */
export async function transitionWorkshop(
  ctx: WorkshopAdminContext,
  instructorId: string,
  workshopId: string,
  to: string,
): Promise<WorkshopView> {
  await workshopRole(ctx, instructorId, workshopId);
  if (!isWorkshopState(to)) throw new HttpError(`"${to}" is not a workshop state; use draft, open, running or ended.`, 400);
  const row = await currentRow(ctx, workshopId);
  const from = stateOf(row);
  const refusal = transitionRefusal(from, to, { joinedAttendees: row._count.seats });
  if (refusal) throw new HttpError(refusal, 409);
  const { count } = await ctx.db.workshop.updateMany({
    where: { id: workshopId, state: from },
    data: { state: to, ...(to === "ended" ? { endedAt: new Date() } : {}) },
  });
  if (count === 0) throw new HttpError("The workshop's state changed meanwhile; reload the page and try again.", 409);
  return getWorkshop(ctx, instructorId, workshopId);
}

async function requireOwner(ctx: WorkshopAdminContext, instructorId: string, workshopId: string, what: string): Promise<void> {
  if ((await workshopRole(ctx, instructorId, workshopId)) !== "owner")
    throw new HttpError(`Only the workshop's owner can ${what}; ask them.`, 403);
}

/** Deletes the workshop with its seats, report and recordings: owner only, and only a draft or an ended one. */
export async function deleteWorkshop(ctx: WorkshopAdminContext, instructorId: string, workshopId: string): Promise<void> {
  await requireOwner(ctx, instructorId, workshopId, "delete it");
  const row = await currentRow(ctx, workshopId);
  const state = stateOf(row);
  if (!isDeletable(state)) throw new HttpError(`The workshop is ${state}: end it first, then delete it.`, 409);
  const { count } = await ctx.db.workshop.deleteMany({ where: { id: workshopId, state: { in: ["draft", "ended"] } } });
  if (count === 0) throw new HttpError("The workshop's state changed meanwhile; reload the page and try again.", 409);
}

/** The owner adds an existing instructor, found by e-mail, as a co-instructor. */
export async function inviteCoInstructor(
  ctx: WorkshopAdminContext,
  instructorId: string,
  workshopId: string,
  email: unknown,
): Promise<WorkshopView> {
  await requireOwner(ctx, instructorId, workshopId, "invite co-instructors");
  const parsed = instructorEmailSchema.safeParse(email);
  if (!parsed.success) throw new HttpError(parsed.error.issues[0]?.message ?? "Give the co-instructor's e-mail address.", 400);
  const invited = await ctx.db.instructor.findUnique({ where: { email: parsed.data } });
  if (!invited)
    throw new HttpError(
      `No instructor has the e-mail ${parsed.data}. They need an instructor account first (an operator makes one with npm run admin -- create-instructor).`,
      404,
    );
  const existing = await ctx.db.workshopInstructor.findUnique({
    where: { workshopId_instructorId: { workshopId, instructorId: invited.id } },
  });
  if (existing) throw new HttpError(`${invited.name} runs this workshop already.`, 409);
  try {
    await ctx.db.workshopInstructor.create({ data: { workshopId, instructorId: invited.id, role: "co" } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new HttpError(`${invited.name} runs this workshop already.`, 409);
    throw error;
  }
  return getWorkshop(ctx, instructorId, workshopId);
}

/** The owner removes a co-instructor (never the owner). */
export async function removeCoInstructor(
  ctx: WorkshopAdminContext,
  instructorId: string,
  workshopId: string,
  coInstructorId: string,
): Promise<WorkshopView> {
  await requireOwner(ctx, instructorId, workshopId, "remove co-instructors");
  const { count } = await ctx.db.workshopInstructor.deleteMany({ where: { workshopId, instructorId: coInstructorId, role: "co" } });
  if (count === 0) throw new HttpError("That instructor is not a co-instructor of this workshop.", 404);
  return getWorkshop(ctx, instructorId, workshopId);
}
