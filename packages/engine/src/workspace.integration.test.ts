import { createHash, randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInDockerDriver } from "./docker-in-docker-driver";
import { EngineError } from "./errors";
import { removeFleet } from "./removal";
import { createTestNetwork, smallSandboxOptions, type TestNetwork, typedCommand } from "./testing";

/**
 * A lesson's workspace and files on a real sandbox: a sandbox assigned with a
 * workspace other than /root/lab (a Killercoda scenario works in /root, a
 * lesson may use /root/project) has its shell, execs, checks and files API
 * there, and files keep their bytes and modes.
 */
const docker = new Docker();
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-workspace-${randomBytes(3).toString("hex")}`;
const WORKSPACE = "/root/project";
let network: TestNetwork;
let driver: DockerInDockerDriver;
let sandboxId: string;

beforeAll(async () => {
  network = await createTestNetwork(docker);
  driver = new DockerInDockerDriver(smallSandboxOptions(docker, fleet, network.name));
  sandboxId = (await driver.create({ owner: "workspace-test", lifetimeSeconds: 600, workspace: WORKSPACE })).id;
});

afterAll(async () => {
  await removeFleet(fleet, docker);
  await network?.remove();
});

describe("a sandbox with its lesson's workspace", () => {
  it("starts the terminal, execs and checks there, and roots the files API there", async () => {
    const shell = await driver.openShell(sandboxId, { cols: 120, rows: 30 });
    try {
      expect(await typedCommand(shell, "echo cwd=$(pwd)")).toContain(`cwd=${WORKSPACE}`);
    } finally {
      shell.dispose();
    }
    expect((await driver.exec(sandboxId, ["pwd"])).stdout.trim()).toBe(WORKSPACE);
    const check = await driver.runCheck(sandboxId, `[ "$(pwd)" = ${WORKSPACE} ] || { echo "FAIL: in $(pwd)"; exit 1; }`);
    expect(check).toMatchObject({ passed: true });

    await driver.files(sandboxId).write("notes/a.txt", "in the project\n");
    expect((await driver.exec(sandboxId, ["cat", `${WORKSPACE}/notes/a.txt`])).stdout).toBe("in the project\n");
    expect((await driver.files(sandboxId).list()).entries.map((entry) => entry.path)).toEqual(["notes", "notes/a.txt"]);
  });

  it("writes files byte for byte with their modes: a picture stays a picture, a script stays executable", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x0d]);
    await driver.files(sandboxId).writeMany([
      { path: "static/logo.png", content: png.toString("base64"), encoding: "base64" },
      { path: "bin/run.sh", content: "#!/bin/sh\necho ran\n", mode: 0o755 },
      { path: "plain.txt", content: "text\n" },
    ]);
    const sha = createHash("sha256").update(png).digest("hex");
    const facts = await driver.exec(sandboxId, [
      "bash",
      "-c",
      "sha256sum static/logo.png | cut -d' ' -f1; stat -c %a bin/run.sh plain.txt; ./bin/run.sh",
    ]);
    expect(facts.stdout.split("\n")).toEqual([sha, "755", "644", "ran", ""]);
    // A later save without a mode keeps the file's mode, as the editor's saves do.
    await driver.files(sandboxId).write("bin/run.sh", "#!/bin/sh\necho again\n");
    expect((await driver.exec(sandboxId, ["./bin/run.sh"])).stdout).toBe("again\n");
  });

  it("places a lesson's files outside the workspace, where the learner may not write, and gives them to the learner", async () => {
    const denied = await driver.exec(sandboxId, ["bash", "-c", "echo x > /usr/local/bin/mine"]);
    expect(denied.exitCode).not.toBe(0);
    await driver.placeFiles(sandboxId, [
      { path: "/usr/local/bin/lesson-tool", content: Buffer.from("#!/bin/sh\necho tool-ok\n"), mode: 0o755 },
      { path: "/ks/assets/init.sh", content: Buffer.from("touch /ks/.initfinished\n") },
    ]);
    const facts = await driver.exec(sandboxId, [
      "bash",
      "-c",
      "lesson-tool; stat -c '%a %U' /usr/local/bin/lesson-tool /ks/assets/init.sh /ks; bash /ks/assets/init.sh && ls -A /ks",
    ]);
    // The learner is root in their namespace: what the engine gave them is root's there, and theirs to change.
    expect(facts.stdout.split("\n")).toEqual(["tool-ok", "755 root", "644 root", "755 root", ".initfinished", "assets", ""]);
    const through = await driver.exec(sandboxId, ["bash", "-c", "ln -s /etc /root/project/etc-link"]);
    expect(through.exitCode).toBe(0);
    await expect(driver.placeFiles(sandboxId, [{ path: "/root/project/etc-link/evil", content: Buffer.from("x") }])).rejects.toMatchObject({
      code: "bad-request",
    });
    expect((await driver.exec(sandboxId, ["test", "-e", "/etc/evil"])).exitCode).not.toBe(0);
    await expect(driver.placeFiles(sandboxId, [{ path: "/proc/x", content: Buffer.from("x") }])).rejects.toMatchObject({
      code: "bad-request",
    });
  });

  it("lets the learner keep marks in /run (where a step's setup records that it ran)", async () => {
    const marked = await driver.runCheck(sandboxId, "mkdir -p /run/drydock/setups && mkdir /run/drydock/setups/x && echo made");
    expect(marked).toMatchObject({ passed: true, output: "made\n" });
  });

  it("refuses a workspace outside the places a lesson may use, before touching the sandbox", async () => {
    const assignment = { owner: "workspace-test", expiresAt: new Date(Date.now() + 600_000), env: {}, workspace: "/etc" };
    const refusal = await driver.assign(sandboxId, assignment).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EngineError);
    expect(refusal).toMatchObject({ code: "bad-request" });
    expect((refusal as Error).message).toBe(
      'The workspace "/etc" must be /root, /home, /srv, /opt, /workspace or a folder below one of them.',
    );
    // The sandbox kept its workspace.
    expect((await driver.exec(sandboxId, ["pwd"])).stdout.trim()).toBe(WORKSPACE);
  });
});
