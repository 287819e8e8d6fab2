import { describe, expect, it } from "vitest";
import { type LessonSources, parseLesson } from "./lesson-parser";
import { formatProblem } from "./problems";

const LESSON_MD = `---
id: hello-lesson
title: Hello
summary: Say hello.
level: beginner
minutes: 5
tags: [basics]
files:
  - greeting.txt
---
Welcome. Open [the app](port:8888/hello).
`;

const STEP_MD = `# Say hello

Type this:

\`\`\`run
echo hello > hello.txt
\`\`\`

\`\`\`check
test -f hello.txt || echo "FAIL: hello.txt is missing"
test -f hello.txt
\`\`\`
`;

function sources(texts: Record<string, string>, extraFiles: string[] = ["files/greeting.txt"]): LessonSources {
  const merged: Record<string, string> = { "lesson.md": LESSON_MD, "steps/01-say-hello.md": STEP_MD, ...texts };
  for (const [name, text] of Object.entries(merged)) if (text === "") delete merged[name];
  return { directory: "/lessons/hello", texts: merged, files: [...Object.keys(merged), ...extraFiles] };
}

function problemsOf(texts: Record<string, string>, extraFiles?: string[]): string[] {
  return parseLesson(sources(texts, extraFiles)).problems.map((problem) => formatProblem(problem));
}

describe("parseLesson on a valid lesson", () => {
  it("builds the typed model with positions", () => {
    const { lesson, problems } = parseLesson(sources({}));
    expect(problems).toEqual([]);
    expect(lesson?.id).toBe("hello-lesson");
    expect(lesson?.workspace).toBe("/root/lab");
    expect(lesson?.files).toEqual([{ path: "greeting.txt", source: "files/greeting.txt" }]);
    expect(lesson?.intro.portLinks).toEqual([
      { port: 8888, path: "/hello", text: "the app", position: { file: "/lessons/hello/lesson.md", line: 11, column: 15 } },
    ]);
    const step = lesson?.steps[0];
    expect(step?.id).toBe("say-hello");
    expect(step?.title).toBe("Say hello");
    expect(step?.parts.map((part) => part.kind)).toEqual(["prose", "run", "check"]);
    expect(step?.parts[1]).toEqual({
      kind: "run",
      command: "echo hello > hello.txt",
      interrupt: false,
      position: { file: "/lessons/hello/steps/01-say-hello.md", line: 5, column: 1 },
    });
    expect(step?.check.timeoutSeconds).toBe(30);
  });

  it("reads every block kind and its options", () => {
    const step = `# All kinds

\`\`\`setup timeout=10
mkdir -p /tmp/x
\`\`\`

\`\`\`run interrupt until="Running on" timeout=90
docker logs -f app
\`\`\`

\`\`\`copy lang=python
print("hi")
\`\`\`

\`\`\`file path=Dockerfile append lang=dockerfile
CMD ["node", "index.js"]
\`\`\`

\`\`\`hint
Look at [the app](port:5000).
\`\`\`

\`\`\`\`solution
Write it:

\`\`\`file path=index.js
console.log("hi");
\`\`\`
\`\`\`\`

\`\`\`check timeout=5
true
\`\`\`

\`\`\`dockerfile
FROM debian:bookworm
\`\`\`
`;
    const { lesson, problems } = parseLesson(sources({ "steps/01-say-hello.md": step }));
    expect(problems).toEqual([]);
    const parts = lesson?.steps[0]?.parts ?? [];
    expect(parts.map((part) => part.kind)).toEqual(["setup", "run", "copy", "file", "hint", "solution", "check", "prose"]);
    expect(parts[1]).toMatchObject({ kind: "run", interrupt: true, until: "Running on", timeoutSeconds: 90 });
    expect(parts[3]).toMatchObject({ kind: "file", path: "Dockerfile", append: true, content: 'CMD ["node", "index.js"]\n' });
    const solution = parts[5];
    expect(solution?.kind === "solution" && solution.blocks).toEqual([
      {
        kind: "file",
        path: "index.js",
        append: false,
        content: 'console.log("hi");\n',
        position: { file: "/lessons/hello/steps/01-say-hello.md", line: 26, column: 1 },
      },
    ]);
    expect(lesson?.steps[0]?.portLinks).toEqual([
      { port: 5000, path: "/", text: "the app", position: { file: "/lessons/hello/steps/01-say-hello.md", line: 20, column: 9 } },
    ]);
    expect(parts[6]).toMatchObject({ kind: "check", timeoutSeconds: 5 });
  });
});

describe("a step's variant", () => {
  const VARIANT_STEP = `${STEP_MD}
\`\`\`\`variant
Lowercase, and a file left from last week.

\`\`\`setup
echo old > old.txt
\`\`\`

\`\`\`file path=hello.txt
hello
\`\`\`

\`\`\`run
cat hello.txt
\`\`\`
\`\`\`\`
`;

  it("is kept out of the page's parts, with its setup and its blocks in order, positions in the step's file", () => {
    const { lesson, problems } = parseLesson(sources({ "steps/01-say-hello.md": VARIANT_STEP }));
    expect(problems).toEqual([]);
    const step = lesson?.steps[0];
    expect(step?.parts.map((part) => part.kind)).toEqual(["prose", "run", "check"]);
    expect(step?.variant?.markdown).toContain("Lowercase, and a file left from last week.");
    expect(step?.variant?.setups).toEqual([
      {
        kind: "setup",
        script: "echo old > old.txt",
        timeoutSeconds: 120,
        position: { file: "/lessons/hello/steps/01-say-hello.md", line: 17, column: 1 },
      },
    ]);
    expect(step?.variant?.blocks.map((block) => [block.kind, block.position.line])).toEqual([
      ["file", 21],
      ["run", 25],
    ]);
  });

  it("is optional", () => {
    expect(parseLesson(sources({})).lesson?.steps[0]?.variant).toBeUndefined();
  });

  it("reports a variant with nothing to perform, a second variant, a variant outside a step and a copy block in one", () => {
    const empty = `${STEP_MD}\n\`\`\`\`variant\nJust words.\n\`\`\`\`\n`;
    expect(problemsOf({ "steps/01-say-hello.md": empty })).toEqual([
      "/lessons/hello/steps/01-say-hello.md:14:1: The ```variant block has nothing the runner can perform.\n  fix: Write the step's second way in it as ```run or ```file blocks, with a longer fence outside (````variant).",
    ]);
    const twice = `${VARIANT_STEP}\n\`\`\`\`variant\n\`\`\`run\nls\n\`\`\`\n\`\`\`\`\n`;
    expect(problemsOf({ "steps/01-say-hello.md": twice })).toEqual([
      "/lessons/hello/steps/01-say-hello.md:30:1: The step has more than one ```variant block.\n  fix: Keep one: the runner's second pass performs each step one other way; fold the others into it.",
    ]);
    const intro = `${LESSON_MD}\n\`\`\`\`variant\n\`\`\`run\nls\n\`\`\`\n\`\`\`\`\n`;
    expect(problemsOf({ "lesson.md": intro })).toEqual([
      "/lessons/hello/lesson.md:13:5: A ```variant block cannot stand in the intro (lesson.md).\n  fix: A variant block (the step performed a second, valid way, for the runner's second pass (hidden)) belongs in a step.",
    ]);
    const copy = `${STEP_MD}\n\`\`\`\`variant\n\`\`\`copy\nls\n\`\`\`\n\`\`\`run\nls\n\`\`\`\n\`\`\`\`\n`;
    expect(problemsOf({ "steps/01-say-hello.md": copy })).toEqual([
      "/lessons/hello/steps/01-say-hello.md:15:4: A ```copy block cannot stand in a variant.\n  fix: A copy block (a snippet with a Copy button) belongs in the intro (lesson.md) or a step or the finish page or a solution. To show a command in a hint, use a plain ```sh sample.",
    ]);
  });
});

describe("parseLesson reports each problem with file:line:col, what and how to fix", () => {
  it("an unknown block option", () => {
    const step = STEP_MD.replace("```run", "```run interupt");
    expect(problemsOf({ "steps/01-say-hello.md": step })).toEqual([
      '/lessons/hello/steps/01-say-hello.md:5:8: Unknown option "interupt" on a ```run block.\n  fix: A run block takes: interrupt, until=TEXT, timeout=SECONDS, keeps-running.',
    ]);
  });

  it("a step without a check", () => {
    const step = STEP_MD.slice(0, STEP_MD.indexOf("```check"));
    expect(problemsOf({ "steps/01-say-hello.md": step })).toEqual([
      '/lessons/hello/steps/01-say-hello.md:1:1: Step "say-hello" has no check.\n  fix: Add a ```check block: a bash script that exits 0 once the step is done and prints a FAIL: line for what is missing.',
    ]);
  });

  it("a file block without a path", () => {
    const step = STEP_MD.replace("```run\necho hello > hello.txt", "```file\nhello");
    expect(problemsOf({ "steps/01-say-hello.md": step })).toEqual([
      "/lessons/hello/steps/01-say-hello.md:5:4: A ```file block has no path.\n  fix: Add path=... after the kind, e.g. ```file path=app.py.",
    ]);
  });

  it("invalid front matter: a bad value, a missing field, an unknown key, broken YAML", () => {
    const badLevel = LESSON_MD.replace("level: beginner", "level: expert").replace("minutes: 5\n", "").replace("tags:", "titel: x\ntags:");
    expect(problemsOf({ "lesson.md": badLevel })).toEqual([
      "/lessons/hello/lesson.md:2:1: The front matter has no minutes.\n  fix: Write a whole number of minutes, e.g. minutes: 15.",
      "/lessons/hello/lesson.md:5:8: The front matter's level must be one of beginner, intermediate, advanced.\n  fix: Use one of: beginner, intermediate, advanced.",
      '/lessons/hello/lesson.md:6:1: Unknown front matter key "titel".\n  fix: Remove it or fix its spelling; the keys are: id, title, summary, level, minutes, tags, workspace, requirePass, files.',
    ]);
    const brokenYaml = LESSON_MD.replace("tags: [basics]", "tags: [basics");
    const [yamlProblem] = problemsOf({ "lesson.md": brokenYaml });
    expect(yamlProblem).toMatch(/^\/lessons\/hello\/lesson\.md:\d+:\d+: The front matter is not valid YAML: /);
    expect(problemsOf({ "lesson.md": "Just text\n" })).toEqual([
      "/lessons/hello/lesson.md:1:1: lesson.md does not start with front matter.\n  fix: Start the file with a line ---, the YAML fields (id, title, summary, level, minutes, ...), and another line ---.",
    ]);
  });

  it("a missing file named in the front matter", () => {
    expect(problemsOf({}, [])).toEqual([
      '/lessons/hello/lesson.md:9:5: The file "files/greeting.txt" named in the front matter does not exist.\n  fix: Add it to the lesson folder or fix the path (relative to files/).',
    ]);
  });

  it("duplicate step ids", () => {
    expect(problemsOf({ "steps/02-say-hello.md": STEP_MD })).toEqual([
      '/lessons/hello/steps/02-say-hello.md:1:1: Duplicate step id "say-hello" (also steps/01-say-hello.md).\n  fix: Give each step file a different name after its number.',
    ]);
  });

  it("a check script that fails bash -n", () => {
    const step = STEP_MD.replace("test -f hello.txt\n```", "if test -f hello.txt; then\n  echo ok\nfii\n```");
    expect(problemsOf({ "steps/01-say-hello.md": step })).toEqual([
      "/lessons/hello/steps/01-say-hello.md:13:1: The check script does not pass `bash -n`: syntax error: unexpected end of file.\n  fix: Fix the shell syntax on this line; `bash -n script.sh` shows the same error.",
    ]);
  });

  it("a block kind misspelt, a block in a list, a check in the intro, Killercoda leftovers, a bad port link", () => {
    const step = `# Say hello

- Run it:
  \`\`\`run
  echo hello
  \`\`\`

\`\`\`chek
true
\`\`\`

Then \`ls\`{{exec}} and [open](port:99999/).

\`\`\`run
touch hello.txt
\`\`\`

\`\`\`check
test -f hello.txt
\`\`\`
`;
    const intro = `${LESSON_MD}\n\`\`\`check\ntrue\n\`\`\`\n`;
    expect(problemsOf({ "steps/01-say-hello.md": step, "lesson.md": intro })).toEqual([
      "/lessons/hello/lesson.md:13:4: A ```check block cannot stand in the intro (lesson.md).\n  fix: A check block (the step's check script) belongs in a step.",
      "/lessons/hello/steps/01-say-hello.md:4:3: A ```run block stands inside a list or a quote.\n  fix: Move it to the top level of the page, with no indentation, so the product and the runner see it.",
      '/lessons/hello/steps/01-say-hello.md:8:4: Unknown block kind "chek".\n  fix: Did you mean ```check? The kinds are: run, copy, file, hint, solution, check, setup, variant.',
      '/lessons/hello/steps/01-say-hello.md:12:10: "{{exec}}" is Killercoda syntax, which this format does not use.\n  fix: Put the command in a fenced block: ```run (```run interrupt for {{exec interrupt}}, ```copy for {{copy}}).',
      '/lessons/hello/steps/01-say-hello.md:12:23: The port link "port:99999/" is malformed.\n  fix: Write port:NUMBER/path with a port from 1 to 65535, e.g. [Open the app](port:8888/).',
    ]);
  });

  it("option values: a flag with a value, a missing value, a bad number, an unclosed quote", () => {
    const step = STEP_MD.replace("```run", "```run interrupt=yes timeout=soon until=").replace("```check", '```check timeout="30');
    expect(problemsOf({ "steps/01-say-hello.md": step })).toEqual([
      '/lessons/hello/steps/01-say-hello.md:5:8: "interrupt" is a flag and takes no value.\n  fix: Write interrupt alone, without "=".',
      '/lessons/hello/steps/01-say-hello.md:5:22: The option "timeout" must be a whole number of seconds, not "soon".\n  fix: Write e.g. timeout=60.',
      '/lessons/hello/steps/01-say-hello.md:5:35: The option "until" needs a value (the command keeps running; the runner goes on once this text is printed).\n  fix: Write until="some text".',
      '/lessons/hello/steps/01-say-hello.md:9:10: The quoted value of "timeout" is not closed.\n  fix: End the value with a double quote: name="value".',
    ]);
  });

  it("a step file without order or title, and a lesson with no steps", () => {
    expect(problemsOf({ "steps/01-say-hello.md": "", "steps/hello.md": STEP_MD })).toEqual([
      '/lessons/hello/steps/hello.md:1:1: The step file name "steps/hello.md" does not say the step\'s order and id.\n  fix: Name step files NUMBER-id.md with a lowercase, dashed id, e.g. steps/01-run-a-container.md.',
    ]);
    expect(problemsOf({ "steps/01-say-hello.md": STEP_MD.replace("# Say hello", "Say hello") })[0]).toBe(
      "/lessons/hello/steps/01-say-hello.md:1:1: The step does not start with a # Title.\n  fix: Make the first line a level-1 heading, e.g. # Run a container.",
    );
    expect(problemsOf({ "steps/01-say-hello.md": "" })).toEqual([
      "/lessons/hello/lesson.md:1:1: The lesson has no steps.\n  fix: Add step files in steps/, named like 01-run-a-container.md, each starting with a # Title.",
    ]);
  });
});
