import type { Database } from "../db";

/** The steps a visitor's checks passed: progress that outlives sandboxes. */
export async function recordStepPassed(db: Database, visitorId: string, lessonId: string, stepId: string): Promise<void> {
  await db.stepProgress.upsert({
    where: { visitorId_lessonId_stepId: { visitorId, lessonId, stepId } },
    create: { visitorId, lessonId, stepId },
    update: {},
  });
}

export async function passedSteps(db: Database, visitorId: string, lessonId: string): Promise<string[]> {
  const rows = await db.stepProgress.findMany({ where: { visitorId, lessonId }, select: { stepId: true } });
  return rows.map((row) => row.stepId);
}

/** Passed step ids per lesson. */
export async function progressByLesson(db: Database, visitorId: string): Promise<Map<string, Set<string>>> {
  const rows = await db.stepProgress.findMany({ where: { visitorId }, select: { lessonId: true, stepId: true } });
  const byLesson = new Map<string, Set<string>>();
  for (const row of rows) byLesson.set(row.lessonId, (byLesson.get(row.lessonId) ?? new Set()).add(row.stepId));
  return byLesson;
}
