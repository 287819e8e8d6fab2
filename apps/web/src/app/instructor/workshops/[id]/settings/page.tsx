import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CoInstructors } from "@/components/instructor/CoInstructors";
import { InstructorHeader } from "@/components/instructor/InstructorHeader";
import { LocalTime } from "@/components/instructor/LocalTime";
import { WorkshopActions } from "@/components/instructor/WorkshopActions";
import { WorkshopForm } from "@/components/instructor/WorkshopForm";
import { WorkshopState } from "@/components/instructor/WorkshopState";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { instructorForPage } from "@/server/http/instructor-session";
import { getWorkshop, type WorkshopView, workshopLimits } from "@/server/workshops/workshop-admin";
import "../../../instructor.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workshop settings · Drydock" };

/** A workshop's settings, state, instructors and deletion; a workshop the instructor does not run is a 404. */
export default async function WorkshopSettings({ params }: { params: Promise<{ id: string }> }) {
  const ctx = webContext();
  const { id } = await params;
  const instructor = await instructorForPage(ctx, `/instructor/workshops/${id}/settings`);
  let workshop: WorkshopView;
  try {
    workshop = await getWorkshop(ctx, instructor.id, id);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
  const lessons = ctx.lessons.all().map((lesson) => ({ id: lesson.id, title: lesson.title }));
  return (
    <main className="instructor-page">
      <InstructorHeader instructor={instructor} title={workshop.title} />
      <p className="inline-controls">
        <WorkshopState state={workshop.state} />
        <span>
          Join code <span className="join-code">{workshop.code}</span>
        </span>
        <span>
          <LocalTime iso={workshop.startsAt} /> – <LocalTime iso={workshop.endsAt} />
        </span>
        <Link href={`/instructor/workshops/${workshop.id}`}>Open the dashboard</Link>
      </p>

      <section aria-labelledby="state-heading">
        <h2 id="state-heading">State</h2>
        <WorkshopActions workshop={workshop} />
      </section>

      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        {workshop.allowed.edit ? (
          <WorkshopForm workshop={workshop} lessons={lessons} limits={workshopLimits(ctx.config)} />
        ) : (
          <p className="muted">The workshop is {workshop.state}: its settings can change only while it is a draft or open.</p>
        )}
      </section>

      <section aria-labelledby="instructors-heading">
        <h2 id="instructors-heading">Instructors</h2>
        <CoInstructors workshop={workshop} />
      </section>
    </main>
  );
}
