import { AGENT_API, SANDBOX_NAMESPACE, TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, forgeSignature, refusal, request, startAgentHarness } from "./testing/agent-harness";
import { outputUntil } from "./testing/terminal-output";

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

let harness: AgentHarness;
let sandboxId: string;

const terminal = (auth: Record<string, unknown>, headers?: Record<string, string>) =>
  harness.connect<TerminalClient>(TERMINAL_NAMESPACE, auth, headers);

beforeAll(async () => {
  harness = await startAgentHarness();
  sandboxId = await harness.createSandbox();
});

afterAll(async () => {
  const response = await fetch(`${harness.agent.url}${AGENT_API.sandbox(sandboxId)}`, {
    method: "DELETE",
    headers: await harness.manageHeaders(),
  });
  expect(response.status).toBe(204);
  await harness.close();
});

describe("agent control API", () => {
  it("refuses calls without a manage token, with a reason", async () => {
    const { url } = harness.agent;
    const anonymous = await fetch(`${url}${AGENT_API.sandboxes}`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: expect.stringContaining("No token") });
    const wrongKind = await fetch(`${url}${AGENT_API.sandboxes}`, {
      method: "POST",
      headers: await harness.manageHeaders(await harness.token(sandboxId, "write")),
      body: "{}",
    });
    expect(wrongKind.status).toBe(401);
  });

  it("answers bad input with 400 and a hint, and keeps serving", async () => {
    const { url } = harness.agent;
    const notJson = await fetch(`${url}${AGENT_API.sandboxes}`, {
      method: "POST",
      headers: await harness.manageHeaders(),
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    const noOwner = await fetch(`${url}${AGENT_API.sandboxes}`, { method: "POST", headers: await harness.manageHeaders(), body: "{}" });
    expect(noOwner.status).toBe(400);
    expect(await noOwner.json()).toMatchObject({ error: "Invalid sandbox request." });
    expect((await fetch(`${url}${AGENT_API.health}`)).status).toBe(200);
  });
});

describe.each([TERMINAL_NAMESPACE, SANDBOX_NAMESPACE])("agent sockets on %s", (namespace) => {
  it.each([
    ["a missing token", () => ({ sandboxId }), /needs a token/],
    ["a forged token", () => ({ sandboxId, token: harness.token(sandboxId, "write").then(forgeSignature) }), /signature/],
    ["an expired token", () => ({ sandboxId, token: harness.token(sandboxId, "write", -1) }), /expired/],
    ["a token for another sandbox", () => ({ sandboxId, token: harness.token("sbx_other", "write") }), /another sandbox/],
  ])("refuses %s", async (_name, auth, reason) => {
    expect(await refusal(harness.connect(namespace, auth()))).toMatch(reason);
  });

  it("refuses browsers (any request with an Origin)", async () => {
    const socket = harness.connect(namespace, { sandboxId, token: harness.token(sandboxId, "write") }, { origin: "http://evil.example" });
    expect(await refusal(socket)).toBeTruthy();
  });
});

/**
 * A line for the shell that prints its size once it reads `size` ("rows cols"), then `<mark>-OK`:
 * tmux passes a new size on to the shell's pane in its own time, so it asks until it shows (10 s at most).
 * The mark is typed split ("-"), so only the printed line matches it, not the typed line's echo.
 */
const printSizeOnceItIs = (size: string, mark: string) =>
  `for i in $(seq 100); do [ "$(stty size)" = "${size}" ] && break; sleep 0.1; done; echo "size=$(stty size)"; echo ${mark}"-"OK\n`;

describe("agent terminals", () => {
  it("streams a shell: typed input runs, output returns, resize applies", async () => {
    const socket = terminal({ sandboxId, token: harness.token(sandboxId, "write"), size: { cols: 91, rows: 27 } });
    const sized = outputUntil(socket, "SIZE-OK");
    socket.emit("terminal:input", 'stty size; echo SIZE"-"OK\n');
    expect(await sized).toContain("27 91");
    socket.emit("terminal:resize", { cols: 132, rows: 43 });
    const resized = outputUntil(socket, "RESIZE-OK");
    socket.emit("terminal:input", printSizeOnceItIs("43 132", "RESIZE"));
    // The typed line is echoed too: only the printed value carries "size=" before the numbers.
    expect(await resized).toContain("size=43 132");
    const engine = outputUntil(socket, "ENGINE-OK");
    socket.emit("terminal:input", "docker info --format 'driver={{.Driver}}'; echo ENGINE\"-\"OK\n");
    expect(await engine).toContain("driver=overlay2");
  });

  it("applies a resize sent while the terminal is still being opened", async () => {
    const socket = terminal({
      sandboxId,
      token: harness.token(sandboxId, "write"),
      terminal: "early-resize",
      size: { cols: 85, rows: 33 },
    });
    // Sent at once, as a page does when its layout settles: the agent is still opening the shell.
    socket.emit("terminal:resize", { cols: 85, rows: 32 });
    const sized = outputUntil(socket, "EARLY-OK");
    socket.emit("terminal:input", printSizeOnceItIs("32 85", "EARLY"));
    expect(await sized).toContain("size=32 85");
  });

  it("ignores keystrokes from a read-only viewer", async () => {
    const writer = terminal({ sandboxId, token: harness.token(sandboxId, "write") });
    const reader = terminal({ sandboxId, token: harness.token(sandboxId, "read") });
    const seen = outputUntil(reader, "READER-DONE", 2_000);
    reader.emit("terminal:input", "touch /tmp/read-only-wrote\n");
    reader.emit("terminal:input", 'echo READER"-"DONE\n');
    await expect(seen).rejects.toThrow(/not seen/);
    const checked = outputUntil(writer, "CHECKED");
    writer.emit("terminal:input", 'ls /tmp/read-only-wrote 2>&1; echo CHEC""KED\n');
    expect(await checked).toContain("No such file");
  });
});

describe("checks on the sandbox channel", () => {
  const channel = (rights: "write" | "read") => harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, rights) });

  it("passes on exit 0 and reports FAIL: lines as the reason", async () => {
    const socket = channel("write");
    expect(await request(socket, "check:run", { script: "docker info >/dev/null 2>&1 && echo engine up" })).toMatchObject({
      ok: true,
      value: { passed: true, output: "engine up\n" },
    });
    const failing = await request(socket, "check:run", {
      script: "docker image inspect ourfiglet >/dev/null 2>&1 || { echo 'FAIL: no image named ourfiglet'; exit 1; }",
    });
    expect(failing).toMatchObject({ ok: true, value: { passed: false, message: "no image named ourfiglet" } });
  });

  it("stops a check that runs too long", async () => {
    const reply = await request<{ passed: boolean; message: string; durationMs: number }>(channel("write"), "check:run", {
      script: "sleep 30",
      timeoutMs: 1000,
    });
    expect(reply).toMatchObject({ ok: true, value: { passed: false, message: "The check did not finish within 1 s." } });
    expect(reply.ok && reply.value.durationMs).toBeLessThan(5000);
  });

  it("refuses invalid requests and watchers with a reason, and keeps serving", async () => {
    const socket = channel("write");
    expect(await request(socket, "check:run", { script: "" })).toMatchObject({ ok: false, error: "Invalid check request." });
    expect(await request(socket, "check:run", "not an object")).toMatchObject({ ok: false });
    expect(await request(channel("read"), "check:run", { script: "true" })).toMatchObject({
      ok: false,
      error: "Watchers cannot run checks.",
    });
    expect(await request(socket, "check:run", { script: "true" })).toMatchObject({ ok: true, value: { passed: true } });
  });
});
