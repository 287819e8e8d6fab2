import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ThemeToggle } from "@/components/ThemeToggle";
import { Dashboard } from "@/components/workshop/Dashboard";
import { webContext } from "@/server/context";
import { instructorForPage } from "@/server/http/instructor-session";
import { workshopRole } from "@/server/instructors/instructor-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workshop dashboard · Drydock" };

type Params = { params: Promise<{ id: string }> };

/** The live dashboard of a workshop, for the instructors who run it; to anyone else it does not exist. */
export default async function WorkshopDashboardPage({ params }: Params) {
  const ctx = webContext();
  const { id } = await params;
  const instructor = await instructorForPage(ctx, `/instructor/workshops/${id}`);
  const role = await workshopRole(ctx, instructor.id, id).catch(() => undefined);
  const workshop = role ? await ctx.db.workshop.findUnique({ where: { id } }) : null;
  if (!workshop) notFound();
  return (
    <main className="dashboard-page">
      <header className="player-header">
        <Link href="/instructor" className="brand">
          Drydock
        </Link>
        <span className="crumb" aria-hidden="true">
          /
        </span>
        <h1>{workshop.title}</h1>
        <span className="spacer" />
        <Link href={`/instructor/workshops/${workshop.id}/settings`}>Settings</Link>
        <span className="lesson-meta">{instructor.name}</span>
        <ThemeToggle />
      </header>
      <Dashboard workshopId={workshop.id} />
    </main>
  );
}
