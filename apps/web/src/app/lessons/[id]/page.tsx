import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LessonPlayer } from "@/components/lesson/LessonPlayer";
import { knownVisitorId } from "@/server/http";
import { passedSteps } from "@/server/learner-store";
import { lessonView } from "@/server/lesson-view";
import { findLesson } from "@/server/lessons";
import { liveLessonSession } from "@/server/sessions";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = await findLesson((await params).id);
  return { title: lesson ? `${lesson.title} · Drydock` : "Drydock" };
}

export default async function LessonPage({ params }: Params) {
  const lesson = await findLesson((await params).id);
  if (!lesson) notFound();
  const visitor = await knownVisitorId();
  const [passed, session] = visitor
    ? await Promise.all([passedSteps(visitor, lesson.id), liveLessonSession(visitor, lesson.id)])
    : [[], null];
  return (
    <LessonPlayer lesson={lessonView(lesson)} passed={passed} session={session ? { id: session.id, expiresAt: session.expiresAt } : null} />
  );
}
