import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AGENT_HEARTBEAT_PATH, agentHeartbeatSchema } from "@drydock/protocol";
import { createLogger } from "@drydock/server-kit";
import { afterEach, describe, expect, it } from "vitest";
import { parseLabels, startHeartbeat } from "./control-plane-heartbeat";

interface Received {
  path: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

let server: Server | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** A real HTTP control plane that answers each heartbeat with the status `answer` gives. */
async function controlPlane(answer: (count: number) => number): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const plane = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      received.push({ path: req.url, authorization: req.headers.authorization, body: JSON.parse(text) });
      const status = answer(received.length);
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify(status === 200 ? { agentId: "agt_1", name: "h" } : { error: "revoked, issue a new one" }));
    });
  });
  server = plane;
  await new Promise<void>((resolve) => plane.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(plane.address() as AddressInfo).port}`, received };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function logged() {
  const lines: { event: string; [key: string]: unknown }[] = [];
  const log = createLogger("test", (line) => lines.push(JSON.parse(line)));
  return { log, lines };
}

describe("the agent's heartbeat to the control plane", () => {
  it("reports its URL, labels and capacity with its credential, again and again", async () => {
    const plane = await controlPlane(() => 200);
    const { log, lines } = logged();
    stop = startHeartbeat({
      controlPlaneUrl: plane.url,
      credential: "host-a.secret",
      publicUrl: "http://10.0.0.5:4100",
      labels: { zone: "a" },
      counts: () => ({ sandboxes: 2, readySeats: 1, maxSandboxes: 8 }),
      log,
      intervalMs: 50,
    }).stop;
    await until(() => plane.received.length >= 3, "three heartbeats");
    const [first] = plane.received;
    expect(first).toMatchObject({ path: AGENT_HEARTBEAT_PATH, authorization: "Bearer host-a.secret" });
    const heartbeat = agentHeartbeatSchema.parse(first?.body);
    expect(heartbeat).toMatchObject({
      publicUrl: "http://10.0.0.5:4100",
      labels: { zone: "a" },
      capacity: { sandboxes: 2, readySeats: 1, maxSandboxes: 8 },
    });
    expect(heartbeat.capacity.freeMemoryBytes).toBeGreaterThan(0);
    expect(heartbeat.capacity.cpus).toBeGreaterThan(0);
    expect(lines.filter((line) => line.event === "heartbeat.connected")).toHaveLength(1);
  });

  it("logs a refusal once with its reason, keeps trying with backoff, and reconnects when accepted again", async () => {
    // Refused twice (a revoked credential), then accepted.
    const plane = await controlPlane((count) => (count <= 2 ? 401 : 200));
    const { log, lines } = logged();
    stop = startHeartbeat({
      controlPlaneUrl: plane.url,
      credential: "host-a.old",
      publicUrl: "http://127.0.0.1:4100",
      labels: {},
      counts: () => ({ sandboxes: 0, readySeats: 0, maxSandboxes: 1 }),
      log,
      intervalMs: 50,
    }).stop;
    await until(() => lines.some((line) => line.event === "heartbeat.connected"), "the heartbeat accepted after refusals");
    const failures = lines.filter((line) => line.event === "heartbeat.failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      error: expect.stringMatching(/refused the heartbeat \(401\): revoked, issue a new one/),
      retryMs: 1_000,
    });
    expect(lines.find((line) => line.event === "heartbeat.connected")).toMatchObject({ afterFailures: 2 });
  });

  it("survives a control plane that is not there at all", async () => {
    const { log, lines } = logged();
    stop = startHeartbeat({
      controlPlaneUrl: "http://127.0.0.1:1",
      credential: "host-a.x",
      publicUrl: "http://127.0.0.1:4100",
      labels: {},
      counts: () => ({ sandboxes: 0, readySeats: 0, maxSandboxes: 1 }),
      log,
    }).stop;
    await until(() => lines.some((line) => line.event === "heartbeat.failed"), "the failure logged");
    expect(lines[0]).toMatchObject({ event: "heartbeat.failed", hint: expect.stringMatching(/CONTROL_PLANE_URL/) });
  });

  it("reads AGENT_LABELS as name=value pairs", () => {
    expect(parseLabels("zone=a,size=m")).toEqual({ zone: "a", size: "m" });
    expect(parseLabels("")).toEqual({});
  });
});
