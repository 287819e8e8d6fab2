import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AccountForm } from "@/components/instructor/AccountForm";
import { webContext } from "@/server/context";
import { safeReturnPath, signedInInstructor } from "@/server/http/instructor-session";
import { hasAnyInstructor } from "@/server/instructors/instructor-accounts";
import "../instructor.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Instructor sign-in · Drydock" };

export default async function InstructorLogin({ searchParams }: { searchParams: Promise<{ next?: string; signedOut?: string }> }) {
  const ctx = webContext();
  const query = await searchParams;
  const next = safeReturnPath(query.next);
  if (await signedInInstructor(ctx)) redirect(next);
  const anyAccount = await hasAnyInstructor(ctx.db);
  return (
    <main className="instructor-page narrow">
      <h1>Instructor sign-in</h1>
      {query.signedOut && <p className="form-note">You are signed out.</p>}
      {anyAccount ? (
        <AccountForm mode="login" next={next} />
      ) : (
        <p>
          No instructor account exists yet: <Link href="/instructor/setup">set up the first one</Link>.
        </p>
      )}
      <p className="muted">
        Attending a workshop? You need no account: use the link or code your instructor gives you. <Link href="/">Lessons</Link>
      </p>
    </main>
  );
}
