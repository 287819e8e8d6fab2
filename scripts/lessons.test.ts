import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** A busy machine (other tests building images) can take several seconds to start tsx. */
const CLI_TIMEOUT_MS = 60_000;

/** The command line as an author runs it: `npm run lessons -- check [dir]`. */
function lessonsCli(...args: string[]) {
  const result = spawnSync("npx", ["tsx", "scripts/lessons.ts", ...args], { encoding: "utf8", timeout: CLI_TIMEOUT_MS });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run lessons -- check", () => {
  let scratch: string | undefined;
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("passes on the built-in lessons", { timeout: CLI_TIMEOUT_MS }, () => {
    expect(lessonsCli("check")).toMatchObject({ status: 0, stdout: "3 lesson(s) valid, 0 problems.\n" });
  });

  it("fails on a broken lesson, naming file:line:col, what is wrong and the fix", { timeout: CLI_TIMEOUT_MS }, async () => {
    scratch = await mkdtemp(join(tmpdir(), "drydock-lessons-cli-"));
    await mkdir(join(scratch, "broken", "steps"), { recursive: true });
    await writeFile(
      join(scratch, "broken", "lesson.md"),
      "---\nid: Broken Lesson\ntitle: Broken\nsummary: x\nlevel: beginner\nminutes: 5\n---\nHi.\n",
    );
    await writeFile(join(scratch, "broken", "steps", "01-first.md"), "# First\n\n```file\nhello\n```\n\n```check\nif true; then\n```\n");
    const { status, stdout } = lessonsCli("check", scratch);
    expect(status).toBe(1);
    expect(stdout).toContain(
      `${scratch}/broken/lesson.md:2:5: The front matter's id must be lowercase letters and digits joined by single dashes.`,
    );
    expect(stdout).toContain(`${scratch}/broken/steps/01-first.md:3:4: A \`\`\`file block has no path.`);
    expect(stdout).toContain(
      `${scratch}/broken/steps/01-first.md:8:1: The check script does not pass \`bash -n\`: syntax error: unexpected end of file.`,
    );
    expect(stdout).toContain("0 lesson(s) valid, 3 problems.");
  });
});

describe("npm run lessons -- bad usage", () => {
  it("refuses an unknown flag with exit 2, naming the flag, before touching Docker", { timeout: CLI_TIMEOUT_MS }, () => {
    const { status, stdout, stderr } = lessonsCli("test", "--job", "2");
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Unknown option '--job'");
    expect(stderr).toContain("npm run lessons -- test [--dir DIR] [--jobs N] [--transcripts DIR] [id...]");
  });

  it("prints the usage on --help, with exit 0", { timeout: CLI_TIMEOUT_MS }, () => {
    expect(lessonsCli("--help")).toMatchObject({ status: 0, stdout: expect.stringContaining("npm run lessons -- check [dir]") });
  });
});
