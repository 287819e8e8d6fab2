import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lesson } from "@drydock/lessons";
import { MAX_CHECK_SCRIPT } from "@drydock/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { encoded, lessonFiles, placementScripts } from "./lesson-files";

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
    expect(placed.elsewhere).toHaveLength(1);
    expect(placed.elsewhere[0]?.script).toContain("'/usr/local/bin/tool'");
  });

  it("calls a file with a NUL or with bytes that are not UTF-8 binary", () => {
    expect(encoded(new TextEncoder().encode("plain\n"))).toEqual({ content: "plain\n" });
    expect(encoded(Uint8Array.from([0x61, 0x00, 0x62]))).toEqual({ content: "YQBi", encoding: "base64" });
    expect(encoded(Uint8Array.from([0xc3, 0x28]))).toEqual({ content: "wyg=", encoding: "base64" });
  });

  it("places a file outside the workspace byte for byte with its mode, in several scripts when it is large", () => {
    scratch = mkdtempSync(join(tmpdir(), "drydock-lesson-files-"));
    const big = Uint8Array.from({ length: 150_000 }, (_, index) => (index * 7919) % 256);
    const target = join(scratch, "it's here", "tool.bin");
    const scripts = placementScripts(target, big, 0o750);
    expect(scripts.length).toBeGreaterThan(2);
    for (const request of scripts) {
      expect(request.script.length).toBeLessThanOrEqual(MAX_CHECK_SCRIPT);
      execFileSync("bash", ["-s"], { input: request.script });
    }
    expect(Buffer.compare(readFileSync(target), Buffer.from(big))).toBe(0);
    expect(statSync(target).mode & 0o7777).toBe(0o750);

    const empty = join(scratch, "empty");
    for (const request of placementScripts(empty, new Uint8Array(), undefined)) execFileSync("bash", ["-s"], { input: request.script });
    expect(readFileSync(empty).length).toBe(0);
    expect(statSync(empty).mode & 0o7777).toBe(0o644);
  });
});
