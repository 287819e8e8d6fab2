import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LessonPlayer } from "@/components/lesson/LessonPlayer";
import { webContext } from "@/server/context";
import { knownVisitorId } from "@/server/http/responses";
import { passedSteps } from "@/server/learners/progress";
import { liveLessonSession } from "@/server/learners/sessions";
import { lessonView } from "@/server/lessons/lesson-view";
import { seatView } from "@/server/workshops/seat-view-model";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = webContext().lessons.find((await params).id);
  return { title: lesson ? `${lesson.title} · Drydock` : "Drydock" };
}

export default async function LessonPage({ params }: Params) {
  const ctx = webContext();
  const lesson = ctx.lessons.find((await params).id);
  if (!lesson) notFound();
  const visitor = await knownVisitorId();
  const [passed, session, seat] = visitor
    ? await Promise.all([passedSteps(ctx.db, visitor, lesson.id), liveLessonSession(ctx, visitor, lesson.id), seatView(ctx, visitor)])
    : [[], null, null];
  return (
    <LessonPlayer
      lesson={lessonView(lesson)}
      passed={passed}
      session={session ? { id: session.id, expiresAt: session.expiresAt } : null}
      seat={seat}
    />
  );
}
