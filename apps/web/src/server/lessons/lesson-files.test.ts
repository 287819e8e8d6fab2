import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lesson } from "@drydock/lessons";
import { afterEach, describe, expect, it } from "vitest";
import { encoded, lessonFiles } from "./lesson-files";

/** A few bytes of a PNG: a high byte, CR LF, a NUL — nothing a text path would keep. */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff]);

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function lessonIn(directory: string, files: Lesson["files"]): Lesson {
  const at = { file: join(directory, "lesson.md"), line: 1, column: 1 };
  return {
    id: "files",
    title: "Files",
    summary: "S",
    level: "beginner",
    minutes: 5,
    tags: [],
    workspace: "/root/lab",
    files,
    directory,
    intro: { file: at.file, title: "Files", parts: [], portLinks: [] },
    steps: [],
  };
}

describe("a lesson's files on their way to the sandbox", () => {
  it("keeps text as text and sends anything else in base64, with the mode the lesson gives", async () => {
    scratch = mkdtempSync(join(tmpdir(), "drydock-lesson-files-"));
    mkdirSync(join(scratch, "files", "static"), { recursive: true });
    writeFileSync(join(scratch, "files", "static", "logo.png"), PNG);
    writeFileSync(join(scratch, "files", "run.sh"), "#!/bin/sh\necho ünïcødé\n");
    writeFileSync(join(scratch, "files", "tool"), "#!/bin/sh\n");
    const lesson = lessonIn(scratch, [
      { path: "static/logo.png", source: "files/static/logo.png" },
      { path: "run.sh", source: "files/run.sh", mode: 0o755 },
      { path: "/usr/local/bin/tool", source: "files/tool", mode: 0o755 },
    ]);
    const placed = await lessonFiles(lesson);
    expect(placed.inWorkspace).toEqual([
      { path: "static/logo.png", content: Buffer.from(PNG).toString("base64"), encoding: "base64" },
      { path: "run.sh", content: "#!/bin/sh\necho ünïcødé\n", mode: 0o755 },
    ]);
    expect(placed.elsewhere).toEqual([
      { path: "/usr/local/bin/tool", content: Buffer.from("#!/bin/sh\n").toString("base64"), encoding: "base64", mode: 0o755 },
    ]);
  });

  it("calls a file with a NUL or with bytes that are not UTF-8 binary", () => {
    expect(encoded(new TextEncoder().encode("plain\n"))).toEqual({ content: "plain\n" });
    expect(encoded(Uint8Array.from([0x61, 0x00, 0x62]))).toEqual({ content: "YQBi", encoding: "base64" });
    expect(encoded(Uint8Array.from([0xc3, 0x28]))).toEqual({ content: "wyg=", encoding: "base64" });
  });
});
