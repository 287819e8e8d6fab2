import { DockerInDockerDriver } from "@drydock/engine";
import {
  AGENT_API,
  createLogger,
  mintToken,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
} from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgent, startAgent } from "./agent";

const secret = "integration-secret-".padEnd(48, "x");
const log = createLogger("agent-test", () => {});
const driver = new DockerInDockerDriver({
  image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
  network: process.env.SANDBOX_NETWORK ?? "drydock",
  memoryBytes: 1024 * 1024 * 1024,
  nanoCpus: 1e9,
  pidsLimit: 1024,
});

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

let agent: RunningAgent;
let sandboxId: string;

function manageHeaders(token = mintToken(secret, { sub: "*", rights: "manage" }, 30)) {
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

function connect(auth: Record<string, unknown>, headers: Record<string, string> = {}): TerminalClient {
  return io(`${agent.url}${TERMINAL_NAMESPACE}`, { auth, transports: ["websocket"], reconnection: false, extraHeaders: headers });
}

/** Resolves with the refusal message, or fails if the connection is accepted. */
function refusal(socket: TerminalClient): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.on("connect", () => reject(new Error("the connection was accepted")));
    socket.on("connect_error", (error) => resolve(error.message));
  });
}

/** Output until `marker`; commands print their markers with quotes inside, so the echo of the typed line never matches. */
function outputUntil(socket: TerminalClient, marker: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`"${marker}" not seen; got:\n${text}`)), timeoutMs);
    socket.on("terminal:output", (data) => {
      text += Buffer.from(data).toString("utf8");
      if (text.includes(marker)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

beforeAll(async () => {
  agent = await startAgent({ driver, secret, host: "127.0.0.1", port: 0, lifetimeSeconds: 600, reaperIntervalSeconds: 3600, log });
  const response = await fetch(`${agent.url}${AGENT_API.sandboxes}`, {
    method: "POST",
    headers: manageHeaders(),
    body: JSON.stringify({ owner: "agent-test" }),
  });
  expect(response.status).toBe(201);
  sandboxId = ((await response.json()) as { id: string }).id;
});

afterAll(async () => {
  const response = await fetch(`${agent.url}${AGENT_API.sandbox(sandboxId)}`, { method: "DELETE", headers: manageHeaders() });
  expect(response.status).toBe(204);
  await agent.close();
});

describe("agent control API", () => {
  it("refuses calls without a manage token, with a reason", async () => {
    const anonymous = await fetch(`${agent.url}${AGENT_API.sandboxes}`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: expect.stringContaining("No token") });
    const terminalToken = mintToken(secret, { sub: sandboxId, rights: "write" }, 30);
    const wrongKind = await fetch(`${agent.url}${AGENT_API.sandboxes}`, {
      method: "POST",
      headers: manageHeaders(terminalToken),
      body: "{}",
    });
    expect(wrongKind.status).toBe(401);
  });

  it("answers bad input with 400 and a hint, and keeps serving", async () => {
    const notJson = await fetch(`${agent.url}${AGENT_API.sandboxes}`, { method: "POST", headers: manageHeaders(), body: "{not json" });
    expect(notJson.status).toBe(400);
    const noOwner = await fetch(`${agent.url}${AGENT_API.sandboxes}`, { method: "POST", headers: manageHeaders(), body: "{}" });
    expect(noOwner.status).toBe(400);
    expect(await noOwner.json()).toMatchObject({ error: "Invalid sandbox request." });
    expect((await fetch(`${agent.url}${AGENT_API.health}`)).status).toBe(200);
  });
});

describe("agent terminals", () => {
  it.each([
    ["a missing token", () => ({ sandboxId }), /needs a token/],
    ["a forged token", () => ({ sandboxId, token: mintToken("f".repeat(48), { sub: sandboxId, rights: "write" }, 30) }), /signature/],
    ["an expired token", () => ({ sandboxId, token: mintToken(secret, { sub: sandboxId, rights: "write" }, -1) }), /expired/],
    [
      "a token for another sandbox",
      () => ({ sandboxId, token: mintToken(secret, { sub: "sbx_other", rights: "write" }, 30) }),
      /another sandbox/,
    ],
  ])("refuses %s", async (_name, auth, reason) => {
    const socket = connect(auth());
    try {
      expect(await refusal(socket)).toMatch(reason);
    } finally {
      socket.close();
    }
  });

  it("refuses browsers (any request with an Origin)", async () => {
    const socket = connect(
      { sandboxId, token: mintToken(secret, { sub: sandboxId, rights: "write" }, 30) },
      { origin: "http://evil.example" },
    );
    try {
      await refusal(socket);
    } finally {
      socket.close();
    }
  });

  it("streams a shell: typed input runs, output returns, resize applies", async () => {
    const socket = connect({ sandboxId, token: mintToken(secret, { sub: sandboxId, rights: "write" }, 30), size: { cols: 91, rows: 27 } });
    try {
      const sized = outputUntil(socket, "SIZE-OK");
      socket.emit("terminal:input", 'stty size; echo SIZE"-"OK\n');
      expect(await sized).toContain("27 91");
      socket.emit("terminal:resize", { cols: 132, rows: 43 });
      const resized = outputUntil(socket, "RESIZE-OK");
      socket.emit("terminal:input", 'sleep 0.2; stty size; echo RESIZE"-"OK\n');
      expect(await resized).toContain("43 132");
      const engine = outputUntil(socket, "ENGINE-OK");
      socket.emit("terminal:input", "docker info --format 'driver={{.Driver}}'; echo ENGINE\"-\"OK\n");
      expect(await engine).toContain("driver=overlay2");
    } finally {
      socket.close();
    }
  });

  it("ignores keystrokes from a read-only viewer", async () => {
    const writer = connect({ sandboxId, token: mintToken(secret, { sub: sandboxId, rights: "write" }, 30) });
    const reader = connect({ sandboxId, token: mintToken(secret, { sub: sandboxId, rights: "read" }, 30) });
    try {
      const seen = outputUntil(reader, "READER-DONE", 2_000);
      reader.emit("terminal:input", "touch /tmp/read-only-wrote\n");
      reader.emit("terminal:input", 'echo READER"-"DONE\n');
      await expect(seen).rejects.toThrow(/not seen/);
      const checked = outputUntil(writer, "CHECKED");
      writer.emit("terminal:input", 'ls /tmp/read-only-wrote 2>&1; echo CHEC""KED\n');
      expect(await checked).toContain("No such file");
    } finally {
      writer.close();
      reader.close();
    }
  }, 60_000);
});
