import { db } from "./db";

/**
 * What the control plane keeps of an anonymous learner, apart from any
 * sandbox: the steps they passed and the files they saved in the editor.
 */
export async function recordStepPassed(visitorId: string, lessonId: string, stepId: string): Promise<void> {
  await db().stepProgress.upsert({
    where: { visitorId_lessonId_stepId: { visitorId, lessonId, stepId } },
    create: { visitorId, lessonId, stepId },
    update: {},
  });
}

export async function passedSteps(visitorId: string, lessonId: string): Promise<string[]> {
  const rows = await db().stepProgress.findMany({ where: { visitorId, lessonId }, select: { stepId: true } });
  return rows.map((row) => row.stepId);
}

/** Passed step ids per lesson. */
export async function progressByLesson(visitorId: string): Promise<Map<string, Set<string>>> {
  const rows = await db().stepProgress.findMany({ where: { visitorId }, select: { lessonId: true, stepId: true } });
  const byLesson = new Map<string, Set<string>>();
  for (const row of rows) byLesson.set(row.lessonId, (byLesson.get(row.lessonId) ?? new Set()).add(row.stepId));
  return byLesson;
}

export async function keepSavedFile(visitorId: string, lessonId: string, path: string, content: string, etag: string): Promise<void> {
  await db().savedFile.upsert({
    where: { visitorId_lessonId_path: { visitorId, lessonId, path } },
    create: { visitorId, lessonId, path, content, etag },
    update: { content, etag },
  });
}

/** A deleted path takes everything under it along, as in the sandbox. */
export async function forgetSavedFile(visitorId: string, lessonId: string, path: string): Promise<void> {
  await db().savedFile.deleteMany({ where: { visitorId, lessonId, OR: [{ path }, { path: { startsWith: `${path}/` } }] } });
}

export async function savedFiles(visitorId: string, lessonId: string): Promise<{ path: string; content: string }[]> {
  return db().savedFile.findMany({ where: { visitorId, lessonId }, select: { path: true, content: true }, orderBy: { path: "asc" } });
}
