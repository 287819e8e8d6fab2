import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { DATA_DISK_PARTS, dataDiskPaths } from "@drydock/engine";
import {
  AGENT_API,
  type SandboxInfo,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalCommand,
  type TerminalServerEvents,
} from "@drydock/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentHarness, startAgentHarness } from "./testing/agent-harness";
import { until } from "./testing/agent-process";

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

let harness: AgentHarness;
const seats: string[] = [];
const HOUR = 3600_000;

beforeAll(async () => {
  // A pool of one: the first seat is handed out from it, the second starts cold.
  harness = await startAgentHarness({ poolSize: 1, fleetPrefix: "h1-seats" });
});

afterAll(async () => {
  await harness.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: SandboxInfo & { error?: string } }> {
  const response = await fetch(`${harness.agent.url}${path}`, {
    method,
    headers: await harness.manageHeaders(),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as SandboxInfo & { error?: string } };
}

async function createSeat(owner: string, expiresAt: Date): Promise<string> {
  const created = await call("POST", AGENT_API.sandboxes, { owner, expiresAt: expiresAt.toISOString(), idleLimit: false });
  expect([201, 202]).toContain(created.status);
  const id = created.body.id;
  await until(() => harness.agent.fleet.status(id)?.state === "ready", `seat ${owner} to be ready`);
  seats.push(id);
  return id;
}

/** Collects a terminal's output; `until` resolves once `marker` has been seen after the call. */
function output(socket: TerminalClient) {
  let text = "";
  socket.on("terminal:output", (data) => {
    text += Buffer.from(data).toString("utf8");
  });
  return {
    seen: (marker: string) =>
      until(
        () => stripVTControlCharacters(text).includes(marker),
        `"${marker}" in the terminal; got:\n${stripVTControlCharacters(text).slice(-2000)}`,
        60_000,
      ),
  };
}

/** The workspace file as the host sees it on the sandbox's data disk: readable while the sandbox is frozen. */
async function readWorkspaceFile(sandboxId: string, path: string): Promise<string> {
  return readFile(join(dataDiskPaths(sandboxId).mountPoint, DATA_DISK_PARTS.home, "lab", path), "utf8").catch(() => "");
}

describe("workshop seats", () => {
  it("last until the workshop's end with no idle limit, pooled and cold alike, and that is kept in the engine", async () => {
    await until(() => harness.agent.fleet.pooled.length === 1, "the pool to fill");
    const end = new Date(Date.now() + 5 * HOUR);
    const pooled = await createSeat("attendee-pooled", end);
    const cold = await createSeat("attendee-cold", end);
    expect(pooled).not.toBe(cold);
    for (const id of [pooled, cold]) {
      expect((await call("GET", AGENT_API.sandbox(id))).body).toMatchObject({ state: "ready", expiresAt: end.toISOString() });
    }
    const listed = await harness.driver.list();
    for (const id of [pooled, cold]) {
      expect(listed.find((sandbox) => sandbox.id === id)?.assignment).toMatchObject({ expiresAt: end, idleLimit: false });
    }
    // Far past the agent's idle limit (10 min), before the end: a seat through a lecture stays.
    await harness.agent.fleet.sweep(Date.now() + 30 * 60_000);
    expect(harness.agent.fleet.status(pooled)?.state).toBe("ready");
  });

  it("are given a new end, later or earlier, and refuse one that has passed", async () => {
    const id = seats[0] ?? "";
    const later = new Date(Date.now() + 8 * HOUR);
    expect(await call("POST", AGENT_API.extend(id), { expiresAt: later.toISOString() })).toEqual({
      status: 200,
      body: expect.objectContaining({ state: "ready", expiresAt: later.toISOString() }),
    });
    const earlier = new Date(Date.now() + HOUR);
    expect((await call("POST", AGENT_API.extend(id), { expiresAt: earlier.toISOString() })).body.expiresAt).toBe(earlier.toISOString());
    expect((await call("GET", AGENT_API.sandbox(id))).body.expiresAt).toBe(earlier.toISOString());
    expect((await harness.driver.list()).find((sandbox) => sandbox.id === id)?.assignment?.expiresAt).toEqual(earlier);

    const passed = await call("POST", AGENT_API.extend(id), { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(passed.status).toBe(400);
    expect(passed.body.error).toMatch(/has passed/);
    expect((await call("POST", AGENT_API.extend(id), { expiresAt: "soon" })).status).toBe(400);
    expect((await call("POST", AGENT_API.extend("sbx_nobody"), { expiresAt: later.toISOString() })).status).toBe(404);
  });

  it("report each command's exit status from the learner's main terminal (OSC 133 marks)", async () => {
    const id = seats[0] ?? "";
    const socket = harness.connect<TerminalClient>(TERMINAL_NAMESPACE, { sandboxId: id, token: harness.token(id, "write") });
    const ended: TerminalCommand[] = [];
    socket.on("terminal:command", (command) => ended.push(command));
    const before = Date.now();
    for (const [line, count] of [
      ["false", 1],
      ["true", 2],
      ["(exit 3)", 3],
      ["", 3],
      ["echo done", 4],
    ] as const) {
      socket.emit("terminal:input", `${line}\r`);
      // An empty line reports nothing: wait for the next command's instead.
      if (line !== "") await until(() => ended.length >= count, `${count} command(s) to end; got ${JSON.stringify(ended)}`, 60_000);
    }
    expect(ended.map(({ exitCode, command }) => ({ exitCode, command }))).toEqual([
      { exitCode: 1, command: "false" },
      { exitCode: 0, command: "true" },
      { exitCode: 3, command: "(exit 3)" },
      { exitCode: 0, command: "echo done" },
    ]);
    for (const command of ended) expect(Date.parse(command.at)).toBeGreaterThanOrEqual(before - 1000);
    socket.close();
  });

  it("pause with everything kept: processes stop, time stops, nothing is reaped; resume carries on", async () => {
    const id = seats[0] ?? "";
    const socket = harness.connect<TerminalClient>(TERMINAL_NAMESPACE, { sandboxId: id, token: harness.token(id, "write") });
    const terminal = output(socket);
    // A counter in the terminal's shell, a shell variable, a file, and a container of the inner engine.
    socket.emit(
      "terminal:input",
      "MARK=frozen-42; echo kept > ~/lab/kept.txt; (n=0; while :; do n=$((n+1)); echo $n > ~/lab/counter; sleep 0.1; done) & " +
        'docker run -d --name inner debian:bookworm-slim sleep infinity >/dev/null && echo INNER"-"UP\r',
    );
    await terminal.seen("INNER-UP");
    const counter = async () => Number((await readWorkspaceFile(id, "counter")).trim() || 0);
    const first = await counter();
    await until(async () => (await counter()) >= first + 5, "the counter to count");
    // How long five steps of the counter take when it runs: the yardstick for "it would have moved".
    const yardstickStart = Date.now();
    const from = await counter();
    await until(async () => (await counter()) >= from + 5, "five more steps");
    const fiveStepsMs = Date.now() - yardstickStart;

    const { expiresAt: endBefore } = (await call("GET", AGENT_API.sandbox(id))).body;
    const paused = await call("POST", AGENT_API.pause(id));
    expect(paused).toEqual({ status: 200, body: expect.objectContaining({ state: "paused", expiresAt: endBefore }) });
    const pausedAt = Date.now();
    expect((await call("GET", AGENT_API.sandbox(id))).body.state).toBe("paused");
    expect((await call("POST", AGENT_API.pause(id))).body.state).toBe("paused");
    const frozenAt = await counter();
    // Three times as long as five steps took while running: a running counter would have moved by about fifteen.
    await until(() => Date.now() - pausedAt >= 3 * fiveStepsMs, "time for the counter to have moved");
    expect(await counter()).toBe(frozenAt);
    // The clock's sweep, long past the seats' end and any idle limit: the running seat is reaped, the paused one is not.
    await harness.agent.fleet.sweep(Date.now() + 24 * HOUR);
    expect((await call("GET", AGENT_API.sandbox(seats[1] ?? ""))).status).toBe(404);
    expect(harness.agent.fleet.status(id)?.state).toBe("paused");
    expect(await counter()).toBe(frozenAt);

    const resumed = await call("POST", AGENT_API.resume(id));
    const pausedMs = Date.now() - pausedAt;
    expect(resumed.status).toBe(200);
    expect(resumed.body.state).toBe("ready");
    // The time paused was given back: the end moved later by about as long as the pause.
    const moved = Date.parse(resumed.body.expiresAt ?? "") - Date.parse(endBefore ?? "");
    expect(moved).toBeGreaterThanOrEqual(3 * fiveStepsMs);
    expect(moved).toBeLessThanOrEqual(pausedMs + 1000);
    await until(async () => (await counter()) > frozenAt, "the counter to carry on");
    // Carried on, not restarted: it counts on from where it stood.
    expect(await counter()).toBeLessThan(frozenAt + 100);

    socket.emit(
      "terminal:input",
      'echo "mark:$MARK file:$(cat ~/lab/kept.txt) inner:$(docker inspect -f {{.State.Running}} inner)"; echo AFTER"-"RESUME\r',
    );
    await terminal.seen("AFTER-RESUME");
    await terminal.seen("mark:frozen-42 file:kept inner:true");
  });

  it("take a new end while paused as of then: only the time paused afterwards is added on resume", async () => {
    const id = seats[0] ?? "";
    expect((await call("POST", AGENT_API.pause(id))).body.state).toBe("paused");
    const end = new Date(Date.now() + 2 * HOUR);
    const extendedAt = Date.now();
    expect((await call("POST", AGENT_API.extend(id), { expiresAt: end.toISOString() })).body).toMatchObject({
      state: "paused",
      expiresAt: end.toISOString(),
    });
    const resumed = await call("POST", AGENT_API.resume(id));
    const sinceExtend = Date.now() - extendedAt;
    expect(resumed.body.state).toBe("ready");
    const moved = Date.parse(resumed.body.expiresAt ?? "") - end.getTime();
    expect(moved).toBeGreaterThanOrEqual(0);
    expect(moved).toBeLessThanOrEqual(sinceExtend + 1000);
  });

  it("refuse to pause or resume a seat the agent does not serve", async () => {
    expect((await call("POST", AGENT_API.pause("sbx_nobody"))).status).toBe(404);
    expect((await call("POST", AGENT_API.resume("sbx_nobody"))).status).toBe(404);
    const id = seats[0] ?? "";
    // Resuming a running seat changes nothing.
    const { expiresAt } = (await call("GET", AGENT_API.sandbox(id))).body;
    expect(await call("POST", AGENT_API.resume(id))).toMatchObject({ status: 200, body: { state: "ready", expiresAt } });
    const removed = await fetch(`${harness.agent.url}${AGENT_API.sandbox(id)}`, {
      method: "DELETE",
      headers: await harness.manageHeaders(),
    });
    expect(removed.status).toBe(204);
    expect((await call("POST", AGENT_API.pause(id))).status).toBe(404);
  });
});
