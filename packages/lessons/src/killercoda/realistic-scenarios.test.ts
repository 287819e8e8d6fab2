import { describe, expect, it } from "vitest";
import type { ActionBlock, Lesson, Part } from "../model";
import { parseLesson } from "../parser/lesson-parser";
import { REALISTIC_SCENARIOS } from "../test-support/killercoda-scenarios";
import { convertKillercodaScenario } from "./scenario";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function imported(files: Record<string, string>, name: string): { lesson: Lesson | undefined; problems: string[] } {
  const converted = convertKillercodaScenario({
    name,
    files: Object.fromEntries(Object.entries(files).map(([path, text]) => [path, encoder.encode(text)])),
  });
  const texts = Object.fromEntries(
    Object.entries(converted.files)
      .filter(([path]) => path.endsWith(".md"))
      .map(([path, bytes]) => [path, decoder.decode(bytes)]),
  );
  const { lesson, problems } = parseLesson({ directory: `/imported/${name}`, texts, files: Object.keys(converted.files) });
  return { lesson, problems: problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`) };
}

/** Every run block of a page, solutions included, in order. */
function runCommands(parts: Part[]): string[] {
  return parts
    .flatMap((part): ActionBlock[] => (part.kind === "solution" ? part.blocks : part.kind === "run" ? [part] : []))
    .flatMap((block) => (block.kind === "run" ? [block.command] : []));
}

/** The `{{exec}}` / `{{execute}}` markers a Killercoda page holds (each becomes one run block). */
function execMarkers(text: string): number {
  return [...text.matchAll(/\{\{\s*exec(?:ute)?\b[^}]*\}\}/g)].length;
}

describe("importing scenarios written like Killercoda's own Docker scenarios", () => {
  for (const scenario of REALISTIC_SCENARIOS) {
    describe(scenario.name, () => {
      const { lesson, problems } = imported(scenario.files, scenario.name);
      const index = JSON.parse(scenario.files["index.json"] ?? "{}") as {
        details: { steps: { verify: string; text: string; foreground?: string }[] };
      };

      it("imports as a valid lesson", () => {
        expect(problems).toEqual([]);
        expect(lesson?.steps).toHaveLength(scenario.steps);
      });

      it("keeps every step's verify script as its check", () => {
        expect(lesson?.steps.map((step) => step.check.script.trim())).toEqual(
          index.details.steps.map((step) => (scenario.files[step.verify] ?? "").trim()),
        );
      });

      it("keeps every {{exec}} as a run block the learner clicks and the runner types", () => {
        expect(lesson?.steps.map((step) => runCommands(step.parts).length)).toEqual(
          index.details.steps.map((step) => execMarkers(scenario.files[step.text] ?? "") + (step.foreground ? 1 : 0)),
        );
      });
    });
  }

  it("brings the assets copied to /ks along, executable", () => {
    const { lesson } = imported(REALISTIC_SCENARIOS[0]?.files ?? {}, "cmd-or-entrypoint");
    expect(lesson?.files).toEqual([
      { path: "/ks/init.sh", source: "files/ks/init.sh", mode: 0o755 },
      { path: "/ks/wait-init.sh", source: "files/ks/wait-init.sh", mode: 0o755 },
      { path: "/var/run/kc-internal/solution.sh", source: "files/var/run/kc-internal/solution.sh", mode: 0o755 },
    ]);
    expect(lesson?.intro.parts.map((part) => part.kind)).toEqual(["setup", "run", "prose"]);
  });

  it("keeps an asset that is executable in the scenario's folder executable, without a chmod in index.json", () => {
    const scenario = REALISTIC_SCENARIOS[2];
    const converted = convertKillercodaScenario({
      name: "container-build",
      files: Object.fromEntries(Object.entries(scenario?.files ?? {}).map(([path, text]) => [path, encoder.encode(text)])),
      executables: ["assets/app/hello.sh"],
    });
    const lessonMd = decoder.decode(converted.files["lesson.md"]);
    expect(lessonMd).toContain('  - path: app/hello.sh\n    source: files/app/hello.sh\n    mode: "0755"\n');
    expect(lessonMd).toContain("  - app/Dockerfile\n");
  });

  it("folds <details> into the format's hint and solution blocks, a plain fence with a blank line inside kept whole", () => {
    const { lesson } = imported(REALISTIC_SCENARIOS[1]?.files ?? {}, "compose-packed");
    const first = lesson?.steps[0];
    expect(first?.parts.map((part) => part.kind)).toEqual(["prose", "hint", "solution", "check"]);
    const hint = first?.parts[1];
    expect(hint?.kind === "hint" && hint.markdown).toBe("```plain\nservices:\n\n  web:\n    image: nginx:alpine\n```");
    const solution = first?.parts[2];
    expect(solution?.kind === "solution" && solution.blocks.map((block) => block.kind)).toEqual(["copy", "run"]);
    expect(runCommands(lesson?.steps[2]?.parts ?? [])).toEqual([
      "cd /root/compose-project",
      "docker compose logs -f",
      "docker compose up -d --scale web=2",
    ]);
    // Killercoda's <br> spacing and the HTML itself are gone from what the learner reads.
    const prose = lesson?.steps.flatMap((step) => step.parts.flatMap((part) => (part.kind === "prose" ? [part.markdown] : []))) ?? [];
    expect(prose.join("\n")).not.toMatch(/<details|<summary|<br>/);
  });

  it("turns a tip's commands into plain samples and names an unusual summary", () => {
    const { lesson } = imported(REALISTIC_SCENARIOS[0]?.files ?? {}, "cmd-or-entrypoint");
    const [info] = lesson?.steps[0]?.parts.filter((part) => part.kind === "hint") ?? [];
    expect(info?.kind === "hint" && info.markdown.split("\n")[0]).toBe("**Info**");
  });
});
