import type { Lesson } from "@drydock/lessons";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "../../components/lesson/Markdown";
import { workspacePath } from "./lesson-files";
import { lessonView, markdownTree } from "./lesson-view";

const at = { file: "/lessons/x/lesson.md", line: 1, column: 1 };

function lesson(parts: Lesson["intro"]["parts"]): Lesson {
  return {
    id: "x",
    title: "X",
    summary: "S",
    level: "beginner",
    minutes: 5,
    tags: [],
    workspace: "/root/lab",
    files: [],
    directory: "/lessons/x",
    intro: { file: at.file, title: "Intro", parts, portLinks: [] },
    steps: [
      {
        file: at.file,
        title: "One",
        id: "one",
        parts: [],
        portLinks: [],
        check: { kind: "check", script: "true", timeoutSeconds: 30, position: at },
        requirePass: false,
      },
    ],
  };
}

function html(markdown: string): string {
  return renderToStaticMarkup(
    createElement(Markdown, { tree: markdownTree(markdown), portHref: (port, path) => `/open/${port}?path=${path}` }),
  );
}

describe("lesson prose in the page", () => {
  it("shows raw HTML from a lesson as text, never as markup", () => {
    const out = html('Hello <script>alert("x")</script> <img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>');
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<iframe");
    expect(out).toContain("&lt;script&gt;");
  });

  it("drops javascript: and other non-web links, keeps http(s) ones in a new tab, and turns port links into previews", () => {
    const out = html("[a](javascript:alert(1)) [b](https://docs.docker.com) [open the app](port:8888/menu)");
    expect(out).not.toContain("javascript:");
    expect(out).toContain('<a href="https://docs.docker.com" target="_blank" rel="noopener noreferrer">b</a>');
    expect(out).toContain('href="/open/8888?path=/menu"');
  });

  it("renders headings below the page title, lists, code and emphasis", () => {
    const out = html("# Big\n\n- `-t` gives a **terminal**\n\n```\ncode\n```");
    expect(out).toContain("<h3>Big</h3>");
    expect(out).toContain("<li><code>-t</code> gives a <strong>terminal</strong></li>");
    expect(out).toContain('<pre class="code-sample"><code>code</code></pre>');
  });
});

describe("the lesson view", () => {
  it("hides checks and setup scripts, and makes file paths relative to the workspace", () => {
    const view = lessonView(
      lesson([
        { kind: "file", path: "/root/lab/app/main.py", append: false, content: "print(1)\n", position: at },
        { kind: "file", path: "/etc/motd", append: false, content: "hi\n", position: at },
        { kind: "setup", script: "echo secret", timeoutSeconds: 10, position: at },
        { kind: "run", command: "ls", interrupt: true, position: at },
      ]),
    );
    expect(view.intro.parts).toEqual([
      { kind: "file", path: "app/main.py", append: false, content: "print(1)\n", lang: null },
      // The editor shows the workspace only: a file elsewhere is offered for copying.
      { kind: "copy", text: "hi\n", lang: null },
      { kind: "run", command: "ls", interrupt: true },
    ]);
    expect(view.steps[0]?.check).toEqual({ script: "true", timeoutMs: 30_000 });
  });

  it("tells the page the workspace the editor shows and which steps must pass before Next", () => {
    const gated = lesson([]);
    gated.workspace = "/root/project";
    const [first] = gated.steps;
    if (first) first.requirePass = true;
    const view = lessonView(gated);
    expect(view.workspace).toBe("/root/project");
    expect(view.steps.map((step) => step.requirePass)).toEqual([true]);
  });

  it("knows which lesson paths are inside the workspace", () => {
    const x = lesson([]);
    expect(workspacePath(x, "static/a.svg")).toBe("static/a.svg");
    expect(workspacePath(x, "/root/lab/a/b")).toBe("a/b");
    expect(workspacePath(x, "../etc/passwd")).toBeUndefined();
    expect(workspacePath(x, "/root/lab")).toBeUndefined();
  });
});
