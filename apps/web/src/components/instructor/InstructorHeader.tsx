import Link from "next/link";
import type { SignedInInstructor } from "@/server/instructors/instructor-access";

/** The instructor pages' header: who is signed in, and a sign-out that works without script (a form post). */
export function InstructorHeader({ instructor, title }: { instructor: SignedInInstructor; title: string }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <nav aria-label="Instructor" className="header-links">
        <Link href="/instructor">Your workshops</Link>
        <span>
          Signed in as <strong>{instructor.name}</strong>
        </span>
        <form method="post" action="/api/instructor/logout">
          <button type="submit" className="secondary small">
            Sign out
          </button>
        </form>
      </nav>
    </header>
  );
}
