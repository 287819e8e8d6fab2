import type { Metadata } from "next";
import Link from "next/link";
import { AccountForm } from "@/components/instructor/AccountForm";
import { webContext } from "@/server/context";
import { hasAnyInstructor } from "@/server/instructors/instructor-accounts";
import "../instructor.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Drydock for instructors" };

/** First run: the first instructor account, made here only while none exists. */
export default async function InstructorSetup() {
  const ctx = webContext();
  const done = await hasAnyInstructor(ctx.db);
  return (
    <main className="instructor-page narrow">
      <h1>Instructor accounts</h1>
      {done ? (
        <p>
          An instructor account exists already, so this page has nothing more to do. <Link href="/instructor/login">Sign in</Link>, or ask
          an operator to make you an account (<code>npm run admin -- create-instructor</code>).
        </p>
      ) : (
        <>
          <p>No instructor account exists yet. Make the first one: you can then create workshops, and an operator can add more accounts.</p>
          <AccountForm mode="setup" next="/instructor" />
        </>
      )}
    </main>
  );
}
