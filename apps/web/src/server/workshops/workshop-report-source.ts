import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { buildWorkshopReport, type ReportLesson, type WorkshopReport } from "./workshop-report";

/**
 * Reads what the report is made of, from the database only (no sandbox is
 * asked: the report outlives them), and builds it. The workshop's lessons
 * and their steps come from the lesson library, in the workshop's order; a
 * lesson the library no longer has is left out.
 */
export async function workshopReport(ctx: WebContext, workshopId: string, now = new Date()): Promise<WorkshopReport> {
  const workshop = await ctx.db.workshop.findUnique({
    where: { id: workshopId },
    select: {
      id: true,
      title: true,
      lessonIds: true,
      endedAt: true,
      seats: {
        where: { name: { not: null } },
        select: {
          id: true,
          name: true,
          visitorId: true,
          joinedAt: true,
          steps: { select: { lessonId: true, stepId: true, enteredAt: true, passedAt: true } },
          checks: { select: { lessonId: true, stepId: true, passed: true } },
          _count: { select: { hands: true } },
        },
      },
    },
  });
  if (!workshop) throw new HttpError("No such workshop among the ones you run.", 404);
  const progress = await ctx.db.stepProgress.findMany({
    where: { visitorId: { in: workshop.seats.map((seat) => seat.visitorId) } },
    select: { visitorId: true, lessonId: true, stepId: true, passedAt: true },
  });
  const progressBySeat = new Map<string, typeof progress>();
  for (const row of progress) progressBySeat.set(row.visitorId, [...(progressBySeat.get(row.visitorId) ?? []), row]);
  return buildWorkshopReport({
    workshop,
    lessons: workshopLessons(ctx, workshop.lessonIds),
    seats: workshop.seats.map((seat) => ({
      id: seat.id,
      name: seat.name ?? "",
      joinedAt: seat.joinedAt,
      steps: seat.steps,
      checks: seat.checks,
      progress: progressBySeat.get(seat.visitorId) ?? [],
      helpRequests: seat._count.hands,
    })),
    now,
  });
}

function workshopLessons(ctx: WebContext, lessonIdsJson: string): ReportLesson[] {
  let ids: unknown;
  try {
    ids = JSON.parse(lessonIdsJson);
  } catch {
    ids = [];
  }
  return (Array.isArray(ids) ? ids : []).flatMap((id) => {
    const lesson = typeof id === "string" ? ctx.lessons.find(id) : undefined;
    return lesson ? [{ id: lesson.id, title: lesson.title, steps: lesson.steps.map((step) => ({ id: step.id, title: step.title })) }] : [];
  });
}
