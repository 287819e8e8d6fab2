import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workspaceProblem } from "@drydock/protocol";
import { describe, expect, it } from "vitest";
import { loadLesson } from "./lesson-loader";
import { type LessonSources, parseLesson } from "./lesson-parser";
import { formatProblem } from "./problems";

const frontMatter = (extra: string) => `---
id: gates
title: Gates
summary: Steps that must pass.
level: beginner
minutes: 5
${extra}---
Welcome.
`;

const step = (title: string, checkInfo: string, run = "touch done") => `# ${title}

\`\`\`run
${run}
\`\`\`

\`\`\`check${checkInfo}
test -f done
\`\`\`
`;

function lessonOf(extra: string, steps: string[]): ReturnType<typeof parseLesson> {
  const texts: Record<string, string> = { "lesson.md": frontMatter(extra) };
  steps.forEach((text, index) => {
    texts[`steps/0${index + 1}-step-${index + 1}.md`] = text;
  });
  const sources: LessonSources = { directory: "/lessons/gates", texts, files: Object.keys(texts) };
  return parseLesson(sources);
}

describe("a step's check gating Next", () => {
  it("is off by default, on for a check marked required", () => {
    const { lesson, problems } = lessonOf("", [step("One", ""), step("Two", " required")]);
    expect(problems).toEqual([]);
    expect(lesson?.steps.map((s) => s.requirePass)).toEqual([false, true]);
    expect(lesson?.steps[1]?.check.gate).toBe("required");
  });

  it("is on for every step with the lesson's requirePass, except a check marked optional", () => {
    const { lesson, problems } = lessonOf("requirePass: true\n", [step("One", ""), step("Two", " optional timeout=5")]);
    expect(problems).toEqual([]);
    expect(lesson?.steps.map((s) => s.requirePass)).toEqual([true, false]);
    expect(lesson?.steps[1]?.check.timeoutSeconds).toBe(5);
  });

  it("reports a check that is both, and a requirePass that is not true or false", () => {
    const both = lessonOf("", [step("One", " required optional")]).problems.map((problem) => formatProblem(problem));
    expect(both).toEqual([
      "/lessons/gates/steps/01-step-1.md:7:1: The ```check block is both required and optional.\n  fix: Keep one: required (Next waits for the check) or optional (it never does).",
    ]);
    const word = lessonOf("requirePass: yes please\n", [step("One", "")]).problems.map((problem) => formatProblem(problem));
    expect(word).toEqual([
      "/lessons/gates/lesson.md:7:14: The front matter's requirePass must be a boolean.\n  fix: Write requirePass: true (every step's check must pass before Next) or leave it out (false).",
    ]);
  });
});

describe("a run block that keeps running", () => {
  it("is read from the keeps-running flag", () => {
    const text = step("Serve", "").replace("```run", "```run keeps-running timeout=60");
    const { lesson, problems } = lessonOf("", [text]);
    expect(problems).toEqual([]);
    expect(lesson?.steps[0]?.parts[0]).toMatchObject({ kind: "run", command: "touch done", keepsRunning: true, timeoutSeconds: 60 });
  });
});

describe("the lesson's workspace", () => {
  it("accepts the learner's home and project folders", () => {
    for (const path of ["/root", "/root/lab", "/home/learner/project", "/srv/app", "/opt/x", "/workspace"]) {
      expect(workspaceProblem(path)).toBeUndefined();
    }
  });

  it("refuses relative paths, .. and system folders, each with its reason", () => {
    expect(workspaceProblem("root/lab")).toBe("must be an absolute path");
    expect(workspaceProblem("/root/../etc")).toBe('must not contain "." or ".." parts');
    expect(workspaceProblem("/root//lab")).toBe("must be written plainly (no // and no trailing /)");
    expect(workspaceProblem("/root/lab/")).toBe("must be written plainly (no // and no trailing /)");
    expect(workspaceProblem("/home")).toBe("must be a folder below /home, e.g. /home/learner");
    expect(workspaceProblem("/root/my lab")).toBe("must use only letters, digits, '.', '_', '-' and '/'");
    for (const path of ["/", "/etc", "/usr/local", "/proc/1", "/var/lib/docker", "/rootkit"]) {
      expect(workspaceProblem(path)).toBe("must be /root, /home, /srv, /opt, /workspace or a folder below one of them");
    }
  });

  it("is a lessons check problem with its place and fix", () => {
    const problems = lessonOf("workspace: /etc\n", [step("One", "")]).problems.map((problem) => formatProblem(problem));
    expect(problems).toEqual([
      "/lessons/gates/lesson.md:7:12: The front matter's workspace must be /root, /home, /srv, /opt, /workspace or a folder below one of them.\n  fix: Write an absolute path below /root, /home, /srv, /opt, /workspace, e.g. workspace: /root/lab (the default).",
    ]);
    expect(lessonOf("workspace: /root/project\n", [step("One", "")]).lesson?.workspace).toBe("/root/project");
  });
});

describe("a lesson file's mode", () => {
  it("is the front matter's, else 0755 for a file that is executable in the lesson folder, else left to the default", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "drydock-modes-"));
    try {
      await mkdir(join(scratch, "steps"));
      await mkdir(join(scratch, "files"));
      await writeFile(join(scratch, "lesson.md"), frontMatter('files:\n  - run.sh\n  - notes.txt\n  - path: tool\n    mode: "0700"\n'));
      await writeFile(join(scratch, "steps", "01-one.md"), step("One", ""));
      await writeFile(join(scratch, "files", "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
      await writeFile(join(scratch, "files", "notes.txt"), "text\n");
      await writeFile(join(scratch, "files", "tool"), "#!/bin/sh\n", { mode: 0o755 });
      const { lesson, problems } = await loadLesson(scratch);
      expect(problems).toEqual([]);
      expect(lesson?.files).toEqual([
        { path: "run.sh", source: "files/run.sh", mode: 0o755 },
        { path: "notes.txt", source: "files/notes.txt" },
        { path: "tool", source: "files/tool", mode: 0o700 },
      ]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
