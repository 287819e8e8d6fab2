import type { Metadata } from "next";
import Link from "next/link";
import { InstructorHeader } from "@/components/instructor/InstructorHeader";
import { LocalTime } from "@/components/instructor/LocalTime";
import { WorkshopForm } from "@/components/instructor/WorkshopForm";
import { WorkshopState } from "@/components/instructor/WorkshopState";
import { webContext } from "@/server/context";
import { instructorForPage } from "@/server/http/instructor-session";
import { listWorkshops, workshopLimits } from "@/server/workshops/workshop-admin";
import "./instructor.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your workshops · Drydock" };

/** The instructor's home: the workshops they own or co-run, and a form for a new one. */
export default async function InstructorHome() {
  const ctx = webContext();
  const instructor = await instructorForPage(ctx, "/instructor");
  const workshops = await listWorkshops(ctx, instructor.id);
  const lessons = ctx.lessons.all().map((lesson) => ({ id: lesson.id, title: lesson.title }));
  return (
    <main className="instructor-page">
      <InstructorHeader instructor={instructor} title="Your workshops" />
      <section aria-labelledby="workshops-heading">
        <h2 id="workshops-heading">Workshops you run</h2>
        {workshops.length === 0 ? (
          <p className="muted">None yet: create one below, or ask a colleague to invite you to theirs.</p>
        ) : (
          <table className="workshop-table" aria-labelledby="workshops-heading">
            <thead>
              <tr>
                <th scope="col">Workshop</th>
                <th scope="col">State</th>
                <th scope="col">Join code</th>
                <th scope="col">Starts</th>
                <th scope="col">Attendees</th>
                <th scope="col">Your part</th>
              </tr>
            </thead>
            <tbody>
              {workshops.map((workshop) => (
                <tr key={workshop.id} data-testid={`workshop-${workshop.id}`}>
                  <td>
                    <Link href={`/instructor/workshops/${workshop.id}`}>{workshop.title}</Link>
                    <br />
                    <small className="muted">{workshop.lessons.map((lesson) => lesson.title).join(" → ")}</small>
                    <br />
                    <Link href={`/instructor/workshops/${workshop.id}/settings`} className="muted">
                      Settings
                    </Link>
                  </td>
                  <td>
                    <WorkshopState state={workshop.state} />
                  </td>
                  <td className="join-code">{workshop.code}</td>
                  <td>
                    <LocalTime iso={workshop.startsAt} />
                  </td>
                  <td>
                    {workshop.joined} / {workshop.capacity}
                  </td>
                  <td>{workshop.role === "owner" ? "Owner" : "Co-instructor"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="new-workshop-heading">
        <h2 id="new-workshop-heading">New workshop</h2>
        <WorkshopForm lessons={lessons} limits={workshopLimits(ctx.config)} />
      </section>
    </main>
  );
}
