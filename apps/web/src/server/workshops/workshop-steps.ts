import type { GridStep } from "@drydock/protocol";
import type { LessonLibrary } from "../lessons/lesson-library";

export const stepKey = (lessonId: string, stepId: string) => `${lessonId}/${stepId}`;

/** The grid's columns: every step of the workshop's lessons, in order (a lesson no longer in the library is skipped). */
export function workshopSteps(lessons: LessonLibrary, lessonIds: string[]): GridStep[] {
  return lessonIds.flatMap((lessonId) => {
    const lesson = lessons.find(lessonId);
    if (!lesson) return [];
    return lesson.steps.map((step) => ({
      key: stepKey(lesson.id, step.id),
      lessonId: lesson.id,
      stepId: step.id,
      title: step.title,
      lessonTitle: lesson.title,
    }));
  });
}
