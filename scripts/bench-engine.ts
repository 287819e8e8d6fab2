/**
 * `npm run bench:engine`: the sandbox engine and agent on this machine, through
 * real socket.io clients. Starts in-process agents of its own fleets (named
 * $BENCH_FLEET-…, default bench-…) and removes everything it made. Each time
 * is also given as a ratio to the same run's plain Docker baseline
 * (scripts/lib/baseline.ts), measured before, in the middle of and after
 * the main work.
 * Last line: one JSON object (see the keys below).
 */
import { randomBytes } from "node:crypto";
import { DEFAULT_ISOLATION, DockerInDockerDriver, removeFleet, type SandboxIsolation } from "@drydock/engine";
import { AGENT_API, SANDBOX_NAMESPACE, TERMINAL_NAMESPACE } from "@drydock/protocol";
import Docker from "dockerode";
import type { Socket } from "socket.io-client";
import type { RunningAgent } from "../apps/sandbox-agent/src/agent";
import { type AgentHarness, startAgentHarness } from "../apps/sandbox-agent/src/testing/agent-harness";
import { ratios, startBaseline } from "./lib/baseline";
import { percentile, round, summarize as summary } from "./lib/stats";

const runId = randomBytes(3).toString("hex");
const FLEET = process.env.BENCH_FLEET ?? "bench";
const fleets: string[] = [];
const harnesses: AgentHarness[] = [];
const docker = new Docker();
const progress = (event: string, fields: Record<string, unknown> = {}) => console.error(JSON.stringify({ event, ...fields }));

function driverFor(fleet: string, isolation: SandboxIsolation = DEFAULT_ISOLATION): DockerInDockerDriver {
  fleets.push(fleet);
  return new DockerInDockerDriver({
    fleet,
    isolation,
    image: "drydock/sandbox:latest",
    network: "drydock",
    memoryBytes: 1 << 30,
    nanoCpus: 1e9,
    pidsLimit: 1024,
    // As deployed: each sandbox on its own data disk.
    diskBytes: 4 * 1024 ** 3,
  });
}

function connect(harness: AgentHarness, namespace: string, sandboxId: string): Socket {
  return harness.connect(namespace, { sandboxId, token: harness.token(sandboxId, "write", 600) });
}

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** From the start request to the first byte of the shell prompt in a socket.io client. */
async function startToPrompt(harness: AgentHarness): Promise<{ ms: number; sandboxId: string }> {
  const started = performance.now();
  const response = await fetch(`${harness.agent.url}${AGENT_API.sandboxes}`, {
    method: "POST",
    headers: await harness.manageHeaders(),
    body: JSON.stringify({ owner: "bench" }),
  });
  const { id: sandboxId } = (await response.json()) as { id: string };
  const channel = connect(harness, SANDBOX_NAMESPACE, sandboxId);
  let ready = false;
  channel.on("sandbox:status", (status: { state: string }) => {
    if (status.state === "ready") ready = true;
  });
  await until(() => ready, "the sandbox to be ready");
  channel.close();
  const terminal = connect(harness, TERMINAL_NAMESPACE, sandboxId);
  let firstByte = false;
  terminal.on("terminal:output", (_data: Uint8Array, ack: () => void) => {
    firstByte = true;
    ack();
  });
  await until(() => firstByte, "the first prompt byte");
  const ms = performance.now() - started;
  terminal.close();
  return { ms, sandboxId };
}

async function measureStarts(harness: AgentHarness, runs: number, waitForPool: boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (waitForPool) await until(() => harness.agent.fleet.pooled.length > 0, "the pool to refill");
    const { ms, sandboxId } = await startToPrompt(harness);
    samples.push(ms);
    await harness.agent.fleet.remove(sandboxId, "bench");
  }
  return samples;
}

const CONCURRENT_COUNTS = [1, 5, 20] as const;
/** Cold starts at once, by how many: their p50, p95 and max in ms. */
type Concurrent = Record<(typeof CONCURRENT_COUNTS)[number], Record<string, number>>;

async function concurrentColdStarts(count: number, isolation: SandboxIsolation): Promise<number[]> {
  const driver = driverFor(`${FLEET}-concurrent-${count}-${isolation}-${runId}`, isolation);
  const times = await Promise.all(
    Array.from({ length: count }, async () => {
      const started = performance.now();
      await driver.create({ owner: "bench", lifetimeSeconds: 600 });
      return performance.now() - started;
    }),
  );
  await removeFleet(driver.fleet);
  return times;
}

async function idleMemoryMiB(count: number, isolation: SandboxIsolation): Promise<number[]> {
  const driver = driverFor(`${FLEET}-memory-${isolation}-${runId}`, isolation);
  const sandboxes = await Promise.all(Array.from({ length: count }, () => driver.create({ owner: "bench", lifetimeSeconds: 600 })));
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const usage: number[] = [];
  for (const sandbox of sandboxes) {
    const [info] = await docker.listContainers({ filters: { label: [`io.drydock.sandbox-id=${sandbox.id}`] } });
    if (!info) continue;
    const stats = (await docker.getContainer(info.Id).stats({ stream: false })) as {
      memory_stats: { usage: number; stats?: { cache?: number } };
    };
    usage.push((stats.memory_stats.usage - (stats.memory_stats.stats?.cache ?? 0)) / (1024 * 1024));
  }
  await removeFleet(driver.fleet);
  return usage;
}

async function echoSamples(harness: AgentHarness, sandboxId: string, keystrokes: number): Promise<number[]> {
  const terminal = connect(harness, TERMINAL_NAMESPACE, sandboxId);
  let onOutput: (() => void) | undefined;
  let prompt = false;
  terminal.on("terminal:output", (data: Uint8Array, ack: () => void) => {
    if (Buffer.from(data).toString("utf8").includes("@sandbox")) prompt = true;
    ack();
    onOutput?.();
  });
  await until(() => prompt, "the prompt");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const samples: number[] = [];
  for (let i = 0; samples.length < keystrokes; i++) {
    const key = i % 50 === 49 ? "\u0015" : "x";
    const sent = performance.now();
    await new Promise<void>((resolve) => {
      onOutput = resolve;
      terminal.emit("terminal:input", key);
    });
    onOutput = undefined;
    if (key === "x") samples.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  terminal.close();
  return samples;
}

async function metricValue(agent: RunningAgent, line: RegExp): Promise<number> {
  const text = await (await fetch(`${agent.url}${AGENT_API.metrics}`)).text();
  return Number(line.exec(text)?.[1] ?? 0);
}

const FLOOD_SOURCE_BYTES = 20_000_000;
/** What `base64` prints for the flood's source: 4 characters per 3 bytes, a newline every 76. */
const FLOOD_OUTPUT_BYTES = Math.ceil(FLOOD_SOURCE_BYTES / 3) * 4 + Math.ceil((Math.ceil(FLOOD_SOURCE_BYTES / 3) * 4) / 76);

/**
 * A flood through tmux to a client that acknowledges as it consumes. tmux
 * renders the screen rather than forwarding every byte, so two rates are
 * reported: the flood's own output per second (how fast a learner's `cat`
 * of a big file finishes) and what actually crossed the socket. Bytes lost:
 * what the agent sent minus what the client received.
 */
async function throughput(harness: AgentHarness, sandboxId: string): Promise<{ floodMBps: number; deliveredMBps: number; lost: number }> {
  const { agent } = harness;
  const outBytes = /^drydock_terminal_bytes_total\{direction="out"\} (\d+)/m;
  const terminal = connect(harness, TERMINAL_NAMESPACE, sandboxId);
  let received = 0;
  let tail = "";
  terminal.on("terminal:output", (data: Uint8Array, ack: () => void) => {
    received += data.byteLength;
    tail = (tail + Buffer.from(data).toString("utf8")).slice(-200);
    ack();
  });
  await until(() => received > 0, "the terminal");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sentBefore = await metricValue(agent, outBytes);
  const receivedBefore = received;
  const started = performance.now();
  // Ctrl-U first: the echo measurement may have left typed characters on the line.
  terminal.emit("terminal:input", `\u0015head -c ${FLOOD_SOURCE_BYTES} /usr/sbin/dockerd | base64; echo FLOOD"-"END\n`);
  await until(() => tail.includes("FLOOD-END"), "the end of the flood", 300_000);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const sent = (await metricValue(agent, outBytes)) - sentBefore;
  const delivered = received - receivedBefore;
  terminal.close();
  if (delivered < 100_000) throw new Error(`the flood showed only ${delivered} bytes; did the command run? (${tail})`);
  return { floodMBps: round(FLOOD_OUTPUT_BYTES / seconds / 1e6), deliveredMBps: round(delivered / seconds / 1e6), lost: sent - delivered };
}

async function checkSamples(harness: AgentHarness, sandboxId: string, runs: number): Promise<number[]> {
  const channel = connect(harness, SANDBOX_NAMESPACE, sandboxId);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const reply = (await channel.timeout(30_000).emitWithAck("check:run", { script: "true" })) as { ok: boolean };
    if (!reply.ok) throw new Error("check failed");
    samples.push(performance.now() - started);
  }
  channel.close();
  return samples;
}

// Starts compare with a plain `docker run`; the keystroke echo (a byte through the agent's long-lived
// exec of tmux) with a byte through a running `docker exec -i … cat`; a check (one fresh exec per
// check) with a plain `docker exec … true`.
const baseline = await startBaseline({ fleet: `${FLEET}-${runId}`, samples: { run: 5, exec: 10, echo: 100 } });
try {
  await baseline.measure("before");
  const pooledAgent = await startAgentHarness({ poolSize: 1, fleetPrefix: FLEET });
  harnesses.push(pooledAgent);
  const pooled = await measureStarts(pooledAgent, Number(process.env.BENCH_POOLED_RUNS ?? 20), true);
  progress("pooled", summary(pooled, 50, 95));
  const coldAgent = await startAgentHarness({ poolSize: 0, fleetPrefix: FLEET });
  harnesses.push(coldAgent);
  const cold = await measureStarts(coldAgent, Number(process.env.BENCH_COLD_RUNS ?? 10), false);
  progress("cold", summary(cold, 50, 95));

  // The default isolation beside the near-privileged opt-in: concurrent cold starts and idle memory.
  const isolations: Record<string, { concurrent: Concurrent; idleMemMiB: number }> = {};
  for (const isolation of [DEFAULT_ISOLATION, "privileged"] as const) {
    const concurrent = {} as Concurrent;
    for (const count of CONCURRENT_COUNTS) {
      const times = await concurrentColdStarts(count, isolation);
      concurrent[count] = { ...summary(times, 50, 95), max: round(Math.max(...times)) };
      progress("concurrent", { isolation, count, ...concurrent[count] });
    }
    const memory = await idleMemoryMiB(10, isolation);
    isolations[isolation] = { concurrent, idleMemMiB: round(percentile(memory, 50)) };
    progress("memory", { isolation, samples: memory.length, p50: isolations[isolation].idleMemMiB });
  }
  const defaults = isolations[DEFAULT_ISOLATION] as (typeof isolations)[string];
  // This run is long and the machine's load moves: a third look at the baseline, between the starts and the terminal.
  await baseline.measure("middle");

  const { sandboxId } = await startToPrompt(coldAgent);
  const echo = await echoSamples(coldAgent, sandboxId, Number(process.env.BENCH_KEYSTROKES ?? 500));
  progress("echo", summary(echo, 50, 99));
  const flood = await throughput(coldAgent, sandboxId);
  progress("throughput", flood);
  const checks = await checkSamples(coldAgent, sandboxId, 20);
  await baseline.measure("after");

  const baselineMs = baseline.report();
  const pooledStartMs = summary(pooled, 50, 95);
  const coldStartMs = summary(cold, 50, 95);
  const echoMs = summary(echo, 50, 99);
  const checkMs = summary(checks, 50);
  const concurrentRatios = (concurrent: Concurrent) =>
    Object.fromEntries(Object.entries(concurrent).map(([count, times]) => [count, ratios(times, baselineMs.run)]));
  console.log(
    JSON.stringify({
      pooledStartMs,
      coldStartMs,
      concurrent1StartMs: defaults.concurrent[1],
      concurrent5StartMs: defaults.concurrent[5],
      concurrent20StartMs: defaults.concurrent[20],
      idleMemMiB: { p50: defaults.idleMemMiB },
      idleSandboxesIn8GiB: Math.floor(8192 / defaults.idleMemMiB),
      echoMs,
      throughputMBps: flood.floodMBps,
      deliveredMBps: flood.deliveredMBps,
      bytesLost: flood.lost,
      checkMs,
      isolation: DEFAULT_ISOLATION,
      byIsolation: Object.fromEntries(
        Object.entries(isolations).map(([isolation, figures]) => [
          isolation,
          { ...figures, concurrentRatio: concurrentRatios(figures.concurrent) },
        ]),
      ),
      baselineMs,
      pooledStartRatio: ratios(pooledStartMs, baselineMs.run),
      coldStartRatio: ratios(coldStartMs, baselineMs.run),
      concurrent1Ratio: ratios(defaults.concurrent[1], baselineMs.run),
      concurrent5Ratio: ratios(defaults.concurrent[5], baselineMs.run),
      concurrent20Ratio: ratios(defaults.concurrent[20], baselineMs.run),
      echoRatio: ratios(echoMs, baselineMs.echo),
      checkRatio: ratios(checkMs, baselineMs.exec),
    }),
  );
} finally {
  await baseline.close();
  for (const harness of harnesses) await harness.close();
  for (const fleet of fleets) await removeFleet(fleet);
}
process.exit(0);
