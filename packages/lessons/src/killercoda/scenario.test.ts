import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadLesson } from "../parser/lesson-loader";
import { parseLesson } from "../parser/lesson-parser";
import { formatImportReport, importKillercodaScenario } from "./importer";
import { convertKillercodaScenario, matchAssets, ScenarioError } from "./scenario";

/** A Killercoda scenario written for these tests: three steps, scripts, assets, and features Drydock lacks. */
const DOCKER_BASICS: Record<string, string> = {
  "index.json": JSON.stringify({
    title: "Docker basics",
    description: "Run your first containers and serve a page.",
    details: {
      intro: { text: "intro.md", background: "setup.sh" },
      steps: [
        { title: "Run a container", text: "step1/text.md", verify: "step1/verify.sh" },
        { title: "Serve a page", text: "step2/text.md", verify: "step2/verify.sh", foreground: "step2/foreground.sh" },
        { title: "Clean up!", text: "step3/text.md" },
      ],
      finish: { text: "finish.md" },
      assets: {
        host01: [
          { file: "app/*", target: "/root/app" },
          { file: "wait.sh", target: "/usr/local/bin", chmod: "+x" },
        ],
        host02: [{ file: "wait.sh", target: "/root" }],
      },
    },
    backend: { imageid: "ubuntu" },
    interface: { layout: "ide" },
    icon: "fa-docker",
  }),
  "intro.md": "# Welcome\n\nWe will run containers.\n",
  "setup.sh": "#!/bin/bash\ndocker pull nginx:alpine\n",
  "step1/text.md": "Run a container:\n\n```\ndocker run -d --name web nginx:alpine\n```{{exec}}\n\nList it with `docker ps`{{exec}}.\n",
  "step1/verify.sh": "#!/bin/bash\ndocker ps --filter name=web | grep -q web\n",
  "step2/text.md": "Open [the page]({{TRAFFIC_HOST1_80}}/) and pick {{TRAFFIC_SELECTOR}}.\n",
  "step2/verify.sh": "curl -fs localhost:80\n",
  "step2/foreground.sh": "#!/bin/bash\necho 'Starting the web server'\ndocker run -d -p 80:80 nginx:alpine\n",
  "step3/text.md": "Remove it: `docker rm -f web`{{exec interrupt}}\n",
  "finish.md": "Well done! ![done](./images/done.png)\n",
  "images/done.png": "PNG",
  "assets/app/index.html": "<h1>hi</h1>\n",
  "assets/app/style.css": "h1 { color: red }\n",
  "assets/wait.sh": "#!/bin/sh\nsleep 1\n",
};

const encode = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe("convertKillercodaScenario", () => {
  const converted = convertKillercodaScenario({ name: "docker-basics", files: encode(DOCKER_BASICS) });

  it("writes a lesson folder in this format", () => {
    expect(Object.keys(converted.files).sort()).toEqual([
      "files/app/index.html",
      "files/app/style.css",
      "files/usr/local/bin/wait.sh",
      "finish.md",
      "images/done.png",
      "lesson.md",
      "steps/01-run-a-container.md",
      "steps/02-serve-a-page.md",
      "steps/03-clean-up.md",
    ]);
    expect(decode(converted.files["lesson.md"])).toBe(
      [
        "---",
        "id: docker-basics",
        "title: Docker basics",
        "summary: Run your first containers and serve a page.",
        "level: beginner",
        "minutes: 15",
        "tags:",
        "  - imported",
        "workspace: /root",
        "files:",
        "  - app/index.html",
        "  - app/style.css",
        "  - path: /usr/local/bin/wait.sh",
        "    source: files/usr/local/bin/wait.sh",
        '    mode: "0755"',
        "---",
        "```setup",
        "#!/bin/bash",
        "docker pull nginx:alpine",
        "```",
        "",
        "# Welcome",
        "",
        "We will run containers.",
        "",
      ].join("\n"),
    );
    expect(decode(converted.files["steps/01-run-a-container.md"])).toBe(
      [
        "# Run a container",
        "",
        "Run a container:",
        "",
        "```run",
        "docker run -d --name web nginx:alpine",
        "```",
        "",
        "List it with `docker ps`.",
        "",
        "```run",
        "docker ps",
        "```",
        "",
        "```check",
        "#!/bin/bash",
        "docker ps --filter name=web | grep -q web",
        "```",
        "",
      ].join("\n"),
    );
    expect(decode(converted.files["steps/02-serve-a-page.md"])).toContain(
      "```run\necho 'Starting the web server'\ndocker run -d -p 80:80 nginx:alpine\n```\n\nOpen [the page](port:80/) and pick the sandbox's published ports.",
    );
    expect(decode(converted.files["steps/03-clean-up.md"])).toContain(
      '```run interrupt\ndocker rm -f web\n```\n\n```check\necho "FAIL: This step has no check yet (its Killercoda scenario had no verify script)."\nexit 1\n```',
    );
    expect(decode(converted.files["finish.md"])).toBe("# Finish\n\nWell done! ![done](./images/done.png)\n");
  });

  it("produces a lesson the parser accepts", () => {
    const texts = Object.fromEntries(
      Object.entries(converted.files)
        .filter(([path]) => path.endsWith(".md"))
        .map(([path, bytes]) => [path, decode(bytes)]),
    );
    const { lesson, problems } = parseLesson({ directory: "/imported/docker-basics", texts, files: Object.keys(converted.files) });
    expect(problems).toEqual([]);
    expect(lesson?.workspace).toBe("/root");
    expect(lesson?.steps.map((step) => step.id)).toEqual(["run-a-container", "serve-a-page", "clean-up"]);
    expect(lesson?.steps[1]?.portLinks.map((link) => [link.port, link.path])).toEqual([[80, "/"]]);
    expect(lesson?.files.find((file) => file.path === "/usr/local/bin/wait.sh")?.mode).toBe(0o755);
  });

  it("reports every feature it could not map, and what behaves differently", () => {
    const notes = converted.notes.map((note) => `${note.kind} ${note.file}${note.line ? `:${note.line}` : ""} ${note.message}`);
    expect(notes.filter((note) => note.startsWith("unmapped"))).toEqual([
      "unmapped index.json icon is not a Killercoda feature this importer knows; it was left out.",
      "unmapped index.json Assets for host02 were left out: a Drydock sandbox is one machine (host01).",
      "unmapped step2/text.md:1 {{TRAFFIC_SELECTOR}} (Killercoda's port chooser) has no equivalent; link to a port with port:NUMBER/path.",
      "unmapped index.json Step 3 has no verify script; Drydock needs a check for every step, so a placeholder that always fails was written: replace it.",
    ]);
    expect(notes.filter((note) => note.startsWith("approximated")).map((note) => note.split(" ").slice(0, 3).join(" "))).toEqual([
      "approximated index.json backend",
      "approximated index.json interface",
      "approximated index.json Killercoda",
      "approximated index.json The",
      "approximated setup.sh The",
      "approximated step2/foreground.sh The",
      "approximated finish.md The",
      "approximated index.json Verify",
    ]);
  });

  it("refuses a folder without a readable index.json, saying what to do", () => {
    expect(() => convertKillercodaScenario({ name: "empty", files: {} })).toThrow(ScenarioError);
    expect(() => convertKillercodaScenario({ name: "broken", files: encode({ "index.json": "{ nope" }) })).toThrow(
      /index.json is not valid JSON/,
    );
  });

  it("reports files that index.json names but the scenario lacks", () => {
    const index = JSON.stringify({ title: "Gaps", details: { steps: [{ title: "One", text: "step1.md", verify: "verify1.sh" }] } });
    const { notes, files } = convertKillercodaScenario({ name: "gaps", files: encode({ "index.json": index }) });
    expect(notes.filter((note) => note.kind === "unmapped").map((note) => note.message)).toEqual([
      "The step 1's text step1.md does not exist in the scenario; it was left out.",
      "The step 1's verify script verify1.sh does not exist in the scenario; it was left out.",
      "Step 1 has no verify script; Drydock needs a check for every step, so a placeholder that always fails was written: replace it.",
    ]);
    expect(decode(files["steps/01-one.md"])).toContain("# One");
  });
});

describe("matchAssets", () => {
  const files = ["assets/app/a.js", "assets/app/lib/b.js", "assets/run.sh", "assets/notes.md", "intro.md"];
  it("matches a file, a folder, and globs", () => {
    expect(matchAssets(files, "run.sh")).toEqual([{ file: "assets/run.sh", relative: "run.sh" }]);
    expect(matchAssets(files, "app").map((match) => match.relative)).toEqual(["app/a.js", "app/lib/b.js"]);
    expect(matchAssets(files, "app/*").map((match) => match.relative)).toEqual(["a.js"]);
    expect(matchAssets(files, "app/**").map((match) => match.relative)).toEqual(["a.js", "lib/b.js"]);
    expect(matchAssets(files, "*.md").map((match) => match.file)).toEqual(["assets/notes.md"]);
  });
});

describe("importKillercodaScenario on disk", () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("writes a valid lesson folder, reports, and never writes into a folder that holds something", async () => {
    scratch = await mkdtemp(join(tmpdir(), "drydock-killercoda-"));
    const scenario = join(scratch, "docker-basics");
    for (const [path, text] of Object.entries(DOCKER_BASICS)) {
      await mkdir(dirname(join(scenario, path)), { recursive: true });
      await writeFile(join(scenario, path), text);
    }
    const out = join(scratch, "lesson");
    const report = await importKillercodaScenario(scenario, out);
    expect(report.lessonId).toBe("docker-basics");
    expect(await readFile(join(out, "files/app/index.html"), "utf8")).toBe("<h1>hi</h1>\n");
    const { problems } = await loadLesson(out);
    expect(problems).toEqual([]);
    const text = formatImportReport(report, (file) => file.replace(`${scratch}/`, ""));
    expect(text.split("\n").slice(0, 3)).toEqual([
      'Imported docker-basics as lesson "docker-basics" in lesson (9 files).',
      "4 unmapped, 8 approximated:",
      "  docker-basics/index.json: unmapped: icon is not a Killercoda feature this importer knows; it was left out.",
    ]);
    await expect(importKillercodaScenario(scenario, out)).rejects.toThrow(/already exists and is not empty/);
  });
});
