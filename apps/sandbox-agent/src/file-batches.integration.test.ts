import { MAX_BATCH_BYTES, SANDBOX_NAMESPACE } from "@drydock/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, request, startAgentHarness } from "./testing/agent-harness";

let harness: AgentHarness;
let sandboxId: string;

const channel = (rights: "write" | "read" = "write") =>
  harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, rights) });

/** Runs a shell command in the workspace, as the learner's terminal would. */
async function sh(command: string): Promise<string> {
  const run = await harness.driver.exec(sandboxId, ["bash", "-c", command]);
  if (run.exitCode !== 0) throw new Error(`"${command}" exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
}

beforeAll(async () => {
  harness = await startAgentHarness();
  sandboxId = await harness.createSandbox();
});

afterAll(async () => {
  await harness?.close();
});

describe("files:write-many on the sandbox channel", () => {
  it("writes a lesson's files and then the learner's saved ones over them, in one request", async () => {
    const socket = channel();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>🍕</text></svg>\n';
    const reply = await request(socket, "files:write-many", {
      files: [
        { path: "static/margherita.svg", content: svg },
        { path: "app.py", content: "print('lesson')\n" },
        { path: "app.py", content: "print('mine')\n" },
      ],
    });
    expect(reply).toEqual({ ok: true, value: null });
    expect(await sh("cat static/margherita.svg app.py")).toBe(`${svg}print('mine')\n`);
    socket.close();
  });

  it("names the file it could not write, keeps the ones before it, and writes nothing outside", async () => {
    const socket = channel();
    await sh("mkdir -p prepared && ln -sfn /etc prepared/elsewhere");
    const reply = await request(socket, "files:write-many", {
      files: [
        { path: "prepared/ok.txt", content: "ok" },
        { path: "prepared/elsewhere/passwd", content: "root::0:0::/:/bin/sh\n" },
        { path: "prepared/after.txt", content: "never" },
      ],
    });
    expect(reply).toMatchObject({ ok: false, error: '"prepared/elsewhere/passwd" leads out of the workspace.' });
    expect(await sh("cat prepared/ok.txt; ls prepared; head -c 5 /etc/passwd")).toBe("okelsewhere\nok.txt\nroot:");
    expect(await sh("grep -c '^root::0' /etc/passwd || true")).toBe("0\n");
    socket.close();
  });

  it("refuses watchers and bad batches with a reason, and keeps serving", async () => {
    const watcher = channel("read");
    expect(await request(watcher, "files:write-many", { files: [{ path: "w.txt", content: "x" }] })).toMatchObject({
      ok: false,
      error: "Watchers cannot change files.",
    });
    watcher.close();
    const socket = channel();
    const tooMuch = [
      { path: "a", content: "x".repeat(MAX_BATCH_BYTES) },
      { path: "b", content: "x" },
    ];
    for (const payload of [
      { files: [] },
      { files: tooMuch },
      { files: [{ path: "a" }] },
      "nope",
      { files: [{ path: "../up", content: "x" }] },
    ]) {
      expect(await request(socket, "files:write-many", payload), JSON.stringify(payload).slice(0, 80)).toMatchObject({
        ok: false,
        error: expect.any(String),
      });
    }
    expect(await sh("ls w.txt a b ../up 2>&1 || true")).not.toMatch(/^(w\.txt|a|b|\.\.\/up)$/m);
    expect(await request(socket, "files:write-many", { files: [{ path: "still.txt", content: "serving" }] })).toEqual({
      ok: true,
      value: null,
    });
    socket.close();
  });
});
