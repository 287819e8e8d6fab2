import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { agentPreviewPath, type PortInfo, type PortsChanged, PREVIEW_TOKEN_HEADER, SANDBOX_NAMESPACE } from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, forgeSignature, request, startAgentHarness } from "./testing/agent-harness";
import { websocketExchange } from "./testing/websocket-client";

let harness: AgentHarness;
let sandboxId: string;

const ECHO_SERVER = readFileSync(new URL("./testing/echo-server.py", import.meta.url), "utf8");

/** Runs a shell command in the sandbox, detached so the exec returns while its server keeps running. */
async function sandboxShell(script: string, stdin?: string): Promise<void> {
  const run = await harness.driver.exec(sandboxId, ["bash", "-c", script], stdin === undefined ? {} : { stdin });
  if (run.exitCode !== 0) throw new Error(`"${script}" exited ${run.exitCode}: ${run.stderr}`);
}
const startDetached = (command: string) => sandboxShell(`setsid ${command} </dev/null >/dev/null 2>&1 &`);

function nextChange(socket: Socket, test: (change: PortsChanged) => boolean, timeoutMs = 10_000): Promise<PortsChanged> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ports:changed within ${timeoutMs} ms`)), timeoutMs);
    const listener = (change: PortsChanged) => {
      if (!test(change)) return;
      clearTimeout(timer);
      socket.off("ports:changed", listener);
      resolve(change);
    };
    socket.on("ports:changed", listener);
  });
}

const previewUrl = (port: number, path: string, id = sandboxId) => `${harness.agent.url}${agentPreviewPath(id, port, path)}`;
const withToken = (token: string) => ({ [PREVIEW_TOKEN_HEADER]: token });
const has = (ports: PortInfo[], port: number) => ports.some((info) => info.port === port);

beforeAll(async () => {
  harness = await startAgentHarness();
  sandboxId = await harness.createSandbox();
  await sandboxShell("mkdir -p /tmp/site && echo '<h1>hello from the sandbox</h1>' > /tmp/site/index.html");
});

afterAll(async () => {
  await harness?.close();
});

describe("port discovery on the sandbox channel", () => {
  it("reports a server as it starts and as it stops, within about two seconds", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    const initial = await request<PortInfo[]>(socket, "ports:watch", {});
    expect(initial).toEqual({ ok: true, value: [] });

    const appeared = nextChange(socket, (change) => has(change.appeared, 8080));
    const started = performance.now();
    await startDetached("python3 -m http.server 8080 --directory /tmp/site");
    const change = await appeared;
    const appearedMs = performance.now() - started;
    expect(change.appeared).toEqual([{ port: 8080, protocol: "tcp", process: "python3" }]);
    expect(appearedMs).toBeLessThan(2_500);

    expect(await request(socket, "ports:list", {})).toEqual({ ok: true, value: [{ port: 8080, protocol: "tcp", process: "python3" }] });

    const gone = nextChange(socket, (next) => has(next.disappeared, 8080));
    await sandboxShell("pkill -f 'http[.]server 8080'");
    expect((await gone).ports).toEqual([]);
  });

  it("names the inner engine's container that published a port, and flags loopback-only listeners", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "write") });
    await request(socket, "ports:watch", {});
    // The proxy may bind the port a moment before the engine lists the container as running.
    const published = nextChange(socket, (change) => change.appeared.some((port) => port.port === 8888 && port.container), 120_000);
    await sandboxShell("docker run -d --name published-app -p 8888:80 debian:bookworm-slim sleep 600 >/dev/null");
    expect((await published).appeared).toEqual([
      {
        port: 8888,
        protocol: "tcp",
        // Privileged sandboxes publish through docker-proxy; in rootless ones rootlesskit listens,
        // in the user namespace above the learner's, whose sockets the learner cannot see.
        ...(harness.driver.isolation === "privileged" ? { process: "docker-proxy" } : {}),
        container: { id: expect.any(String), name: "published-app", image: "debian:bookworm-slim", targetPort: 80 },
      },
    ]);

    const local = nextChange(socket, (change) => has(change.appeared, 5000));
    await startDetached("python3 -m http.server 5000 --bind 127.0.0.1");
    expect((await local).appeared).toEqual([{ port: 5000, protocol: "tcp", process: "python3", localOnly: true }]);
    await sandboxShell("pkill -f 'http[.]server 5000'; docker rm -f published-app >/dev/null");
  });

  it("refuses requests with parameters, and stops pushing after ports:unwatch", async () => {
    const socket = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    expect(await request(socket, "ports:list", { port: 1 })).toMatchObject({ ok: false, error: "Invalid ports request." });
    await request(socket, "ports:watch", {});
    expect(await request(socket, "ports:unwatch", {})).toEqual({ ok: true, value: null });
    const pushes: PortsChanged[] = [];
    socket.on("ports:changed", (change: PortsChanged) => pushes.push(change));
    await startDetached("python3 -m http.server 8181");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(pushes).toEqual([]);
    const listed = await request<PortInfo[]>(socket, "ports:list", {});
    expect(listed.ok && has(listed.value, 8181)).toBe(true);
    await sandboxShell("pkill -f 'http[.]server 8181'");
  });
});

describe("the preview proxy", () => {
  beforeAll(async () => {
    await startDetached("python3 -m http.server 8080 --directory /tmp/site");
    await sandboxShell("cat > /tmp/echo-server.py", ECHO_SERVER);
    await startDetached("python3 /tmp/echo-server.py 9000");
    // Both listen within a second; wait for them rather than guess.
    for (let attempt = 0; attempt < 50; attempt++) {
      const ports = await harness.driver.listPorts(sandboxId);
      if (has(ports, 8080) && has(ports, 9000)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the test servers did not start");
  });

  it("returns the app's page, with its headers, for a read token", async () => {
    const response = await fetch(previewUrl(8080, "/index.html?x=1"), { headers: withToken(await harness.token(sandboxId, "read")) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("hello from the sandbox");
  });

  it("streams a request body to the app, and keeps Drydock's token on its hop", async () => {
    const body = randomBytes(512 * 1024);
    const response = await fetch(previewUrl(9000, "/upload?x=1"), {
      method: "POST",
      headers: { ...withToken(await harness.token(sandboxId, "read")), "x-app": "kept" },
      body,
    });
    expect(response.status).toBe(200);
    const seen = (await response.json()) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      bodyBytes: number;
      bodySha256: string;
    };
    expect(seen).toMatchObject({
      method: "POST",
      path: "/upload?x=1",
      bodyBytes: body.length,
      bodySha256: createHash("sha256").update(body).digest("hex"),
    });
    expect(seen.headers["x-app"]).toBe("kept");
    expect(seen.headers).not.toHaveProperty(PREVIEW_TOKEN_HEADER);
  });

  it.each([
    ["no token", async () => ({}), 401, /No token/],
    ["a forged token", async () => withToken(await harness.token(sandboxId, "write").then(forgeSignature)), 401, /signature/],
    ["an expired token", async () => withToken(await harness.token(sandboxId, "read", -1)), 401, /expired/],
    ["a token for another sandbox", async () => withToken(await harness.token("sbx_other", "write")), 403, /another sandbox/],
  ])("refuses %s", async (_name, headers, status, message) => {
    const response = await fetch(previewUrl(8080, "/"), { headers: await headers() });
    expect(response.status).toBe(status);
    expect((await response.json()) as { error: string }).toMatchObject({ error: expect.stringMatching(message) });
  });

  it("shows what to do when nothing listens on the port", async () => {
    const response = await fetch(previewUrl(8899, "/"), { headers: withToken(await harness.token(sandboxId, "read")) });
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("Nothing is listening on port 8899 in your sandbox yet");
  });

  it("says so when the sandbox is gone", async () => {
    const response = await fetch(previewUrl(8080, "/", "sbx_0000000000000000"), {
      headers: withToken(await harness.token("sbx_0000000000000000", "read")),
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Your sandbox is not running");
  });

  it("relays a WebSocket: the upgrade, then messages both ways", async () => {
    const exchange = await websocketExchange(previewUrl(9000, "/socket"), withToken(await harness.token(sandboxId, "read")), [
      "one",
      "two",
    ]);
    expect(exchange).toMatchObject({ status: 101, accepted: true, replies: ["echo: one", "echo: two"] });
  });

  it("refuses a WebSocket without a token, and shows the 502 page for a closed port", async () => {
    const refused = await websocketExchange(previewUrl(9000, "/socket"), {}, ["never sent"]);
    expect(refused.status).toBe(401);
    const closed = await websocketExchange(previewUrl(9001, "/socket"), withToken(await harness.token(sandboxId, "read")), ["never sent"]);
    expect(closed.status).toBe(502);
    expect(closed.body).toContain("Nothing is listening on port 9001");
  });

  it("relays an app's refusal of an upgrade as it is", async () => {
    const exchange = await websocketExchange(previewUrl(8080, "/"), withToken(await harness.token(sandboxId, "read")), ["never sent"]);
    expect(exchange.status).toBe(200);
    expect(exchange.body).toContain("hello from the sandbox");
  });

  it("answers a small GET quickly (p50 over 100 requests)", async () => {
    const headers = withToken(await harness.token(sandboxId, "read", 120));
    const timings: number[] = [];
    for (let index = 0; index < 100; index++) {
      const started = performance.now();
      const response = await fetch(previewUrl(8080, "/index.html"), { headers });
      await response.text();
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const p50 = timings[49] ?? 0;
    console.info(`agent preview proxy: small GET p50 ${p50.toFixed(2)} ms, p95 ${(timings[94] ?? 0).toFixed(2)} ms`);
    expect(p50).toBeLessThan(50);
  });
});
