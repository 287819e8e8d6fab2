import type { Metadata } from "next";
import Link from "next/link";
import { JoinForm } from "@/components/workshop/JoinForm";
import { webContext } from "@/server/context";
import { normaliseJoinCode } from "@/server/workshops/join-code";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Join a workshop · Drydock" };

type Props = { searchParams: Promise<{ code?: string | string[] }> };

/** The link instructors share: /join?code=ABC234 (or type the code). */
export default async function JoinPage({ searchParams }: Props) {
  const { code } = await searchParams;
  const typed = typeof code === "string" ? code.slice(0, 20) : "";
  const normalised = normaliseJoinCode(typed);
  const workshop = normalised
    ? await webContext().db.workshop.findUnique({
        where: { code: normalised },
        select: { title: true, recordTerminals: true, state: true },
      })
    : null;
  return (
    <main className="catalog">
      <header className="page-header">
        <h1>
          <Link href="/">Drydock</Link>
        </h1>
        {workshop && workshop.state !== "ended" && (
          <>
            <p>
              You are joining <strong>{workshop.title}</strong>.
            </p>
            {workshop.recordTerminals && (
              <p className="workshop-note warn" data-testid="recording-notice">
                This workshop records your terminal: its instructors can replay what you type and what it shows.
              </p>
            )}
          </>
        )}
      </header>
      <JoinForm code={typed} />
    </main>
  );
}
