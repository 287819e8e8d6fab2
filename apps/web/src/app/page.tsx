import Link from "next/link";
import { ThemeToggle } from "@/components/ThemeToggle";
import { webContext } from "@/server/context";
import { knownVisitorId } from "@/server/http/responses";
import { progressByLesson } from "@/server/learners/progress";
import { lessonSummary } from "@/server/lessons/lesson-view";

export const dynamic = "force-dynamic";

export default async function Catalog() {
  const ctx = webContext();
  const visitor = await knownVisitorId();
  const progress = visitor ? await progressByLesson(ctx.db, visitor) : new Map<string, Set<string>>();
  const all = ctx.lessons.all();
  return (
    <main className="catalog">
      <header className="page-header">
        <h1>Drydock</h1>
        <p>Learn Docker by doing: each lesson gives you a real Docker engine in your browser.</p>
        <nav aria-label="Site" className="header-links">
          <Link href="/playground">Free playground</Link>
          <ThemeToggle />
        </nav>
      </header>
      <ol className="lesson-list" aria-label="Lessons">
        {all.map((lesson, index) => {
          const summary = lessonSummary(lesson);
          const done = lesson.steps.filter((step) => progress.get(lesson.id)?.has(step.id)).length;
          const state =
            done === 0 ? "Not started" : done === summary.stepCount ? "Completed" : `${done} of ${summary.stepCount} steps done`;
          return (
            <li key={lesson.id} className="lesson-card">
              <p className="lesson-number">Lab {index + 1}</p>
              <h2>
                <Link href={`/lessons/${lesson.id}`}>{summary.title}</Link>
              </h2>
              <p>{summary.summary}</p>
              <p className="lesson-meta">
                <span className="badge">{summary.level}</span>
                <span>{summary.minutes} min</span>
                <span>{summary.stepCount} steps</span>
              </p>
              <div className="lesson-progress">
                <progress max={summary.stepCount} value={done} aria-label={`Progress in ${summary.title}`} />
                <span data-testid={`progress-${lesson.id}`}>{state}</span>
              </div>
            </li>
          );
        })}
      </ol>
    </main>
  );
}
