import type { Database } from "../db";

/** The control plane's copy of the files a visitor saved in the editor, restored into each new sandbox of the lesson. */
export async function keepSavedFile(
  db: Database,
  visitorId: string,
  lessonId: string,
  file: { path: string; content: string; etag: string },
): Promise<void> {
  const { path, content, etag } = file;
  await db.savedFile.upsert({
    where: { visitorId_lessonId_path: { visitorId, lessonId, path } },
    create: { visitorId, lessonId, path, content, etag },
    update: { content, etag },
  });
}

/** A deleted path takes everything under it along, as in the sandbox. */
export async function forgetSavedFile(db: Database, visitorId: string, lessonId: string, path: string): Promise<void> {
  await db.savedFile.deleteMany({ where: { visitorId, lessonId, OR: [{ path }, { path: { startsWith: `${path}/` } }] } });
}

export async function savedFiles(db: Database, visitorId: string, lessonId: string): Promise<{ path: string; content: string }[]> {
  return db.savedFile.findMany({ where: { visitorId, lessonId }, select: { path: true, content: true }, orderBy: { path: "asc" } });
}
