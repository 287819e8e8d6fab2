import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import { stripVTControlCharacters } from "node:util";
import { dataDiskPaths } from "@drydock/engine";
import {
  AGENT_API,
  OUTPUT_HIGH_WATER_BYTES,
  OUTPUT_REPORT_BYTES,
  SANDBOX_NAMESPACE,
  type SandboxStatus,
  TERMINAL_NAMESPACE,
} from "@drydock/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";

let harness: AgentHarness;

beforeAll(async () => {
  harness = await startAgentHarness({ poolSize: 1 });
});

afterAll(async () => {
  await harness.close();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function post(owner: string) {
  return fetch(`${harness.agent.url}${AGENT_API.sandboxes}`, {
    method: "POST",
    headers: await harness.manageHeaders(),
    body: JSON.stringify({ owner }),
  });
}

describe("warm pool and life cycle", () => {
  it("hands out a pooled sandbox at once, then refills the pool", async () => {
    const { fleet } = harness.agent;
    await until(() => fleet.pooled.length === 1, "the pool to fill");
    const pooledId = fleet.pooled[0];
    const started = performance.now();
    const response = await post("learner-pool");
    const elapsed = performance.now() - started;
    expect(response.status).toBe(201);
    const info = (await response.json()) as { id: string; state: string };
    expect(info).toMatchObject({ id: pooledId, state: "ready" });
    expect(elapsed).toBeLessThan(2000);
    const listed = (await harness.driver.list()).find((s) => s.id === info.id);
    expect(listed?.assignment?.owner).toBe("learner-pool");
    await until(() => fleet.pooled.length === 1 && fleet.pooled[0] !== pooledId, "the pool to refill");
  });

  it("reports progress while a cold sandbox starts, ending ready", async () => {
    const { fleet } = harness.agent;
    await until(() => fleet.pooled.length === 1, "the pool to fill");
    // Empty the pool so the next start is cold.
    await fleet.request("learner-drain", {});
    const seen: SandboxStatus[] = [];
    const cold = await fleet.request("learner-cold", {});
    fleet.onStatus((status) => {
      if (status.sandboxId === cold.sandboxId) seen.push(status);
    });
    await until(() => seen.some((s) => s.state === "ready"), "the cold sandbox to be ready");
    const percents = seen.map((s) => s.percent);
    expect(cold.state).toBe("starting");
    expect(seen.filter((s) => s.state === "starting").length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ state: "ready", percent: 100 });
  });

  it("pushes statuses on the sandbox channel: current on connect, then a warning, then removal", async () => {
    const sandboxId = await harness.createSandbox("learner-expiry");
    const channel = harness.connect(SANDBOX_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read") });
    const statuses: SandboxStatus[] = [];
    channel.on("sandbox:status", (status: SandboxStatus) => statuses.push(status));
    await until(() => statuses.length > 0, "the current status");
    expect(statuses[0]).toMatchObject({ sandboxId, state: "ready" });

    const { fleet } = harness.agent;
    const idleDeadline = Date.now() + 600_000;
    await fleet.sweep(idleDeadline - 30_000);
    await until(() => statuses.some((s) => s.state === "expiring"), "the idle warning");
    expect(statuses.at(-1)).toMatchObject({ state: "expiring", removalReason: "idle" });

    fleet.touch(sandboxId);
    await until(() => statuses.at(-1)?.state === "ready", "the warning to lift on activity");

    await fleet.sweep(Date.now() + 3_601_000);
    await until(() => statuses.at(-1)?.state === "gone", "removal");
    expect((await harness.driver.list()).map((s) => s.id)).not.toContain(sandboxId);
    const status = await fetch(`${harness.agent.url}${AGENT_API.sandbox(sandboxId)}`, { headers: await harness.manageHeaders() });
    expect(status.status).toBe(404);
  });

  it("reports Prometheus metrics", async () => {
    const text = await (await fetch(`${harness.agent.url}${AGENT_API.metrics}`)).text();
    expect(text).toMatch(/^drydock_pool_size \d+$/m);
    expect(text).toMatch(/^drydock_sandboxes\{state="ready"\} \d+$/m);
    expect(text).toMatch(/^drydock_sandbox_start_seconds_count\{source="pool"\} [1-9]\d*$/m);
    expect(text).toMatch(/^drydock_sandbox_start_seconds_count\{source="cold"\} [1-9]\d*$/m);
  });
});

describe("terminals shared and under load", () => {
  it("shows a writer's terminal to a watcher, who cannot type into it", async () => {
    const sandboxId = await harness.createSandbox("learner-watch");
    const writer = harness.connect(TERMINAL_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "write"), terminal: "shared" });
    const watcher = harness.connect(TERMINAL_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "read"), terminal: "shared" });
    let watched = "";
    watcher.on("terminal:output", (data: Uint8Array, ack: () => void) => {
      watched += Buffer.from(data).toString("utf8");
      ack();
    });
    writer.on("terminal:output", (_data: Uint8Array, ack: () => void) => ack());
    await until(() => watched.length > 0, "the watcher to attach");
    watcher.emit("terminal:input", "echo FROM-WATCHER\n");
    writer.emit("terminal:input", 'echo FROM"-"WRITER\n');
    await until(() => stripVTControlCharacters(watched).includes("FROM-WRITER"), "the writer's output on the watcher's screen");
    expect(stripVTControlCharacters(watched)).not.toContain("FROM-WATCHER");
  });

  it("delivers a flood to a slow client without losing bytes, while the agent's backlog stays bounded", async () => {
    const sandboxId = await harness.createSandbox("learner-flood");
    const socket = harness.connect(TERMINAL_NAMESPACE, { sandboxId, token: harness.token(sandboxId, "write"), terminal: "flood" });
    let received = "";
    let unacknowledged = 0;
    let maxUnacknowledged = 0;
    socket.on("terminal:output", (data: Uint8Array, ack: () => void) => {
      received += Buffer.from(data).toString("utf8");
      unacknowledged += data.byteLength;
      maxUnacknowledged = Math.max(maxUnacknowledged, unacknowledged);
      // A slow client: consume each chunk 5 ms later.
      setTimeout(() => {
        unacknowledged -= data.byteLength;
        ack();
      }, 5);
    });
    socket.emit("terminal:input", 'seq 1 300000; echo FLOOD"-"END\n');
    await until(() => received.includes("FLOOD-END"), "the end of the flood", 120_000);
    // tmux renders the screen, so a slow client may skip intermediate frames,
    // but the final screen arrives intact: the flood's last lines, in order.
    const screen = stripVTControlCharacters(received);
    expect(screen).toMatch(/299999\s+300000\s+FLOOD-END/);
    expect(maxUnacknowledged).toBeLessThan(2 * 1024 * 1024);
  });

  it("holds a flood at the high water mark for a client that reports what it consumed, and resumes on its reports", async () => {
    const sandboxId = await harness.createSandbox("learner-flood-reports");
    const socket = harness.connect(TERMINAL_NAMESPACE, {
      sandboxId,
      token: harness.token(sandboxId, "write"),
      terminal: "flood-reports",
      acks: "consumed",
      // tmux sends a client only what its screen needs: a large screen of long lines makes the flood large.
      size: { cols: 1000, rows: 500 },
    });
    let received = "";
    let unreported = 0;
    let maxUnreported = 0;
    let legacyChunks = 0;
    socket.on("terminal:output", () => {
      legacyChunks += 1;
    });
    // A slow client: 16 KiB reported every 50 ms (320 KiB/s), far below what tmux sends a client that keeps up (2 MB here).
    const reporter = setInterval(() => {
      const bytes = Math.min(unreported, OUTPUT_REPORT_BYTES);
      if (bytes === 0) return;
      unreported -= bytes;
      socket.emit("terminal:consumed", bytes);
    }, 50);
    socket.on("terminal:data", (data: Uint8Array) => {
      received += Buffer.from(data).toString("utf8");
      unreported += data.byteLength;
      maxUnreported = Math.max(maxUnreported, unreported);
    });
    try {
      socket.emit("terminal:input", `seq -f '%0990g' 1 2000; echo FLOOD"-"END\n`);
      await until(() => received.includes("FLOOD-END"), "the end of the flood", 120_000);
    } finally {
      clearInterval(reporter);
    }
    expect(stripVTControlCharacters(received)).toMatch(/0*1999\s+0*2000\s+FLOOD-END/);
    // Paused once the unreported bytes reach the high water mark: at most the chunks already on their way beyond it.
    expect(maxUnreported).toBeLessThan(OUTPUT_HIGH_WATER_BYTES + 256 * 1024);
    expect(legacyChunks).toBe(0);
  });
});

describe("strays", () => {
  // Near the end: its sweeps five minutes ahead also remove the sandboxes above as idle.
  it("are looked for in the engine's list every five minutes, not at each sweep", async () => {
    const { fleet } = harness.agent;
    const engineHolds = async (sandboxId: string) => (await harness.driver.list()).some((sandbox) => sandbox.id === sandboxId);
    await fleet.sweep(Date.now() + 5 * 60_000);
    // What only the list shows: a sandbox of this fleet, owned by a learner the agent does not know.
    const stray = await harness.driver.create({ owner: "learner-nobody-knows", lifetimeSeconds: 3600 });
    await fleet.sweep();
    expect(await engineHolds(stray.id)).toBe(true);
    await fleet.sweep(Date.now() + 5 * 60_000);
    expect(await engineHolds(stray.id)).toBe(false);
  });
});

describe("orphaned disks", () => {
  // Last: its sweep ten minutes ahead also removes the sandboxes above as idle.
  it("are looked for at start and every ten minutes, not at each sweep", async () => {
    const { fleet } = harness.agent;
    // What a crash leaves: a data disk of no container, older than the two minutes' grace.
    const orphan = dataDiskPaths(`sbx_${randomBytes(8).toString("hex")}`).image;
    await writeFile(orphan, "");
    const threeMinutesAgo = new Date(Date.now() - 3 * 60_000);
    await utimes(orphan, threeMinutesAgo, threeMinutesAgo);
    await fleet.sweep();
    expect(existsSync(orphan)).toBe(true);
    await fleet.sweep(Date.now() + 10 * 60_000);
    expect(existsSync(orphan)).toBe(false);
  });
});
