import { describe, expect, it } from "vitest";
import { BUILT_IN_LESSONS_DIR } from "./built-in";
import { loadLessons } from "./parser/lesson-loader";

describe("the built-in lessons", () => {
  it("are valid, with a check and a variant on every step, and where images and packages come from said in one line", async () => {
    const { lessons, problems } = await loadLessons(BUILT_IN_LESSONS_DIR);
    expect(problems).toEqual([]);
    expect(lessons.map((lesson) => [lesson.id, lesson.steps.length])).toEqual([
      ["commit-a-container", 6],
      ["dockerfile-layers", 5],
      ["flask-pizza", 6],
    ]);
    for (const lesson of lessons) {
      expect(lesson.steps.filter((step) => !step.variant).map((step) => step.id)).toEqual([]);
      const intro = lesson.intro.parts.map((part) => (part.kind === "prose" ? part.markdown : "")).join("\n");
      // Not "works offline": apt-get needs Debian's archive, or the playground's package cache.
      expect(intro).not.toContain("offline");
      expect(
        intro.split("\n").filter((line) => line.includes("the playground's own registry") && line.includes("Debian's archive")),
      ).toHaveLength(1);
    }
  });

  it("link the pizza app's port", async () => {
    const { lessons } = await loadLessons(BUILT_IN_LESSONS_DIR);
    const pizza = lessons.find((lesson) => lesson.id === "flask-pizza");
    expect(pizza?.steps.flatMap((step) => step.portLinks).map((link) => [link.port, link.path, link.text])).toEqual([
      [8888, "/", "open the app"],
    ]);
    expect(pizza?.files.map((file) => file.path)).toEqual(["static/margherita.svg", "static/pepperoni.svg", "static/funghi.svg"]);
  });
});
