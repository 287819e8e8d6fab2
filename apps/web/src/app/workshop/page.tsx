import type { Metadata } from "next";
import Link from "next/link";
import { LeaveWorkshop } from "@/components/workshop/LeaveWorkshop";
import { webContext } from "@/server/context";
import { knownVisitorId } from "@/server/http/responses";
import { progressByLesson } from "@/server/learners/progress";
import { workshopLessonIds } from "@/server/workshops/workshop-records";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your workshop · Drydock" };

/** An attendee's home in the workshop: its lessons and their progress, and the code to continue on another device. */
export default async function WorkshopHome() {
  const ctx = webContext();
  const visitor = await knownVisitorId();
  const seat = visitor ? await ctx.db.seat.findUnique({ where: { visitorId: visitor }, include: { workshop: true } }) : null;
  if (!seat?.name || !visitor) {
    return (
      <main className="catalog">
        <header className="page-header">
          <h1>No workshop</h1>
          <p>
            This browser is not in a workshop. <Link href="/join">Join one with its code</Link>.
          </p>
        </header>
      </main>
    );
  }
  const progress = await progressByLesson(ctx.db, visitor);
  const lessons = workshopLessonIds(seat.workshop).flatMap((id) => ctx.lessons.find(id) ?? []);
  return (
    <main className="catalog">
      <header className="page-header">
        <h1>{seat.workshop.title}</h1>
        <p>
          You are <strong>{seat.name}</strong>. To continue on another device, open <code>/join</code> there and enter your rejoin code{" "}
          <code data-testid="rejoin-code">{seat.rejoinCode}</code>.
        </p>
        {seat.workshop.recordTerminals && <p className="aside-note">This workshop records terminals; its instructors can replay yours.</p>}
        <nav className="header-links">
          <LeaveWorkshop />
        </nav>
      </header>
      <ol className="lesson-list" aria-label="The workshop's lessons">
        {lessons.map((lesson, index) => {
          const done = lesson.steps.filter((step) => progress.get(lesson.id)?.has(step.id)).length;
          return (
            <li key={lesson.id} className="lesson-card">
              <p className="lesson-number">Part {index + 1}</p>
              <h2>
                <Link href={`/lessons/${lesson.id}`}>{lesson.title}</Link>
              </h2>
              <div className="lesson-progress">
                <progress max={lesson.steps.length} value={done} aria-label={`Progress in ${lesson.title}`} />
                <span>
                  {done} of {lesson.steps.length} steps done
                </span>
              </div>
            </li>
          );
        })}
      </ol>
    </main>
  );
}
