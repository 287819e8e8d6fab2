import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../prisma/database-url";
import { migrateDatabase } from "../prisma/migrate";
import { parseAdminArgs } from "./admin-args";

let dir: string;
let databaseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drydock-admin-"));
  databaseUrl = `file:${join(dir, "drydock.db")}`;
  await migrateDatabase(databaseUrl);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command as an operator would (`npm run admin -- …` runs `tsx scripts/admin.ts …`), with stdin piped. */
function admin(args: string[], stdin = ""): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "scripts/admin.ts", ...args],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

/**
 * Runs the command in a pseudo-terminal (util-linux `script`), typing each
 * answer once its prompt shows, as a person at a terminal would.
 */
function adminInTerminal(args: string[], answers: string[]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, "--import", "tsx", "scripts/admin.ts", ...args].map((word) => `'${word}'`).join(" ");
  return new Promise((resolve) => {
    const child = spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let output = "";
    let prompts = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const shown = (output.match(/New password: |Repeat it: /g) ?? []).length;
      for (; prompts < shown; prompts++) child.stdin.write(`${answers[prompts] ?? ""}\r`);
    });
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

describe("npm run admin (real command, temporary SQLite database)", { timeout: 60_000 }, () => {
  it("creates an instructor from a password piped in, and lists them", async () => {
    const made = await admin(
      ["create-instructor", "--email", "Ann@Example.org", "--name", "Ann Lee", "--password-stdin"],
      "correct horse battery\n",
    );
    expect(made).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Created instructor Ann Lee <ann@example.org> \(ins_[0-9a-f]+\)/),
    });
    const listed = await admin(["list-instructors", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ email: "ann@example.org", name: "Ann Lee", workshops: 0 }]);
    expect((await admin(["list-instructors"])).stdout).toMatch(/^ann@example.org\tAnn Lee\t0 workshop\(s\)/);
  });

  it("refuses an empty or weak password, and a taken e-mail, with a clear message and exit 1", async () => {
    const empty = await admin(["create-instructor", "--email", "bob@example.org", "--name", "Bob", "--password-stdin"], "\n");
    expect(empty).toMatchObject({ code: 1, stderr: expect.stringMatching(/password is empty/) });
    const weak = await admin(["create-instructor", "--email", "bob@example.org", "--name", "Bob", "--password-stdin"], "abc123");
    expect(weak).toMatchObject({ code: 1, stderr: expect.stringMatching(/too short \(6 characters\)/) });
    const taken = await admin(
      ["create-instructor", "--email", "ann@example.org", "--name", "Ann", "--password-stdin"],
      "another good password",
    );
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringMatching(/ann@example.org exists already/) });
    expect(JSON.parse((await admin(["list-instructors", "--json"])).stdout)).toHaveLength(1);
  });

  it("asks for the password in a terminal only, and says so when there is none", async () => {
    const noTerminal = await admin(["create-instructor", "--email", "bob@example.org", "--name", "Bob"]);
    expect(noTerminal).toMatchObject({ code: 2, stderr: expect.stringMatching(/pipe it in with --password-stdin/) });
  });

  it("asks for the password twice in a terminal without showing it, and refuses two that differ", async () => {
    const made = await adminInTerminal(
      ["create-instructor", "--email", "tty@example.org", "--name", "Tess"],
      ["a typed pass phrase", "a typed pass phrase"],
    );
    expect(made.code).toBe(0);
    expect(made.output).toMatch(/New password: \r?\nRepeat it: \r?\nCreated instructor Tess <tty@example.org>/);
    expect(made.output).not.toContain("typed");
    const differ = await adminInTerminal(["reset-password", "--email", "tty@example.org"], ["first pass phrase", "second pass phrase"]);
    expect(differ.code).toBe(2);
    expect(differ.output).toContain("The two passwords differ; run the command again.");
  });

  it("resets a password; an unknown e-mail is refused", async () => {
    const reset = await admin(["reset-password", "--email", "ann@example.org", "--password-stdin"], "staple gun river\n");
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringMatching(/New password set for Ann Lee/) });
    const unknown = await admin(["reset-password", "--email", "zed@example.org", "--password-stdin"], "staple gun river\n");
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/No instructor has the e-mail zed@example.org/) });
  });

  it("issues an agent credential (printed once, alone on stdout), lists the agent and revokes it", async () => {
    const issued = await admin(["issue-agent", "--name", "host-1"]);
    expect(issued).toMatchObject({ code: 0, stderr: expect.stringMatching(/DRYDOCK_AGENT_CREDENTIAL/) });
    expect(issued.stdout).toMatch(/^host-1\.[A-Za-z0-9_-]{43}\n$/);
    expect(await admin(["issue-agent", "--name", "host-1"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/Revoke it first/) });
    const listed = await admin(["list-agents", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "host-1", state: "down", revoked: false })]);
    expect((await admin(["list-agents"])).stdout).toMatch(/^host-1\tdown\t-\t0\/0 placed/);
    expect(await admin(["revoke-agent", "--name", "host-1"])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Revoked agent host-1/),
    });
    expect((await admin(["list-agents"])).stdout).toMatch(/^host-1\trevoked/);
    expect(await admin(["revoke-agent", "--name", "nobody"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no agent "nobody"/),
    });
    expect(await admin(["issue-agent"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Give --name NAME/) });
  });

  it("answers bad usage with the reason and the usage, exit 2", async () => {
    const bad = await admin(["create-instructor", "--email", "x@example.org"]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/Give --name "NAME"\.\n\nusage: npm run admin/) });
    expect(await admin(["frobnicate"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown command "frobnicate"/) });
  });
});

describe("parseAdminArgs", () => {
  it("reads each command and refuses unknown flags and stray arguments", () => {
    expect(parseAdminArgs(["create-instructor", "--email", "a@b.org", "--name", "Ann", "--password-stdin"])).toEqual({
      command: "create-instructor",
      email: "a@b.org",
      name: "Ann",
      passwordStdin: true,
    });
    expect(parseAdminArgs(["reset-password", "--email", "a@b.org"])).toEqual({
      command: "reset-password",
      email: "a@b.org",
      passwordStdin: false,
    });
    expect(parseAdminArgs(["list-instructors"])).toEqual({ command: "list-instructors", json: false });
    expect(parseAdminArgs(["--help"])).toEqual({ command: "help" });
    expect(() => parseAdminArgs(["list-instructors", "--all"])).toThrow(/Unknown option '--all'/);
    expect(() => parseAdminArgs(["list-instructors", "extra"])).toThrow(/Unexpected argument "extra"/);
    expect(() => parseAdminArgs([])).toThrow(/Name a command/);
  });
});
