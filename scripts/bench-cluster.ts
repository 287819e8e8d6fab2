/**
 * `npm run bench:cluster`: the one-machine cluster (scripts/cluster: PostgreSQL,
 * Redis, two web nodes behind HAProxy, three agents as fleets of their own on
 * this host's engine) under N learners (BENCH_CLUSTER_LEARNERS, default 100),
 * each a real socket.io client with a real sandbox.
 * 1. start: learners arrive spread over BENCH_CLUSTER_ARRIVAL_MS, first 10,
 *    then the rest; each POSTs /api/sessions through the balancer (reading
 *    the progress stream, as the page does) and opens
 *    its terminal on web1 or web2 (alternately) until the prompt: startMs.
 *    After each wave: the idle cost (below) with that many learners.
 * 2. echo: every learner types BENCH_CLUSTER_KEYSTROKES keystrokes at once,
 *    each through its own web node to the agent holding its sandbox, each
 *    keystroke as soon as the last one's echo is back: echoMs. Before that,
 *    one learner on each node types 100 alone: echoMs.alone, the path's own
 *    cost without the room's load. After it, the whole room types at a
 *    person's pace (a keystroke every BENCH_CLUSTER_PACE_MS, 150: 80 words a
 *    minute, each learner's keystrokes phased at random), for
 *    BENCH_CLUSTER_PACED_KEYSTROKES each (100: 15 s, so the p99 is not just
 *    the one worst moment of a short window): echoAtTypingPaceMs, with its
 *    `cpu`: how busy the machine was, and the CPU time each part a keystroke
 *    crosses spent per keystroke in µs (web nodes, balancer, agents, the
 *    host's Docker engine, the sandboxes with their tmux and shell, and this
 *    bench's own clients); and the stalls of the bench's own process
 *    (`clientStalls`: its event loop's delay, its GC pauses), of each
 *    agent (`agentStalls`, from its /metrics) and of each web node
 *    (`webStalls`, from its metrics listener), which the echo waited on too.
 * 3. broadcast: a workshop of N attendees (no sandboxes: they join by code and
 *    sit in the room's socket, alternately on web1 and web2); the instructor's
 *    room message (on web1) until each attendee's socket has it.
 * 4. failover: a learner on an agent other than a1 (a1 holds the registry
 *    gateway) saves a file; that agent is killed with SIGKILL; from the kill
 *    until the learner, told its machine went away, has started again and has
 *    a prompt on another agent with the file restored.
 * Idle cost: the fleets' sandboxes' memory (cgroup, as docker stats counts it)
 * and CPU over 30 s (cgroup cpuacct), every service's process group's RSS and
 * CPU, rows in each PostgreSQL table, Redis commands over a minute of idle
 * and the socket.io stream's length. Each also per learner.
 * Targets (issue 12): echo p99 ≤ 10 ms, failover ≤ 20 s, skew ≤ 1.2.
 * Last line: one JSON object. Everything it starts is removed (cluster.stop()).
 */

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { sandboxFilter } from "@drydock/engine";
import { AGENT_API, type Reply, SANDBOX_NAMESPACE, type SandboxStatus } from "@drydock/protocol";
import { createClient } from "redis";
import { io, type Socket } from "socket.io-client";
import { openDatabase } from "../apps/web/src/server/db";
import { newJoinCode } from "../apps/web/src/server/workshops/join-code";
import { startCluster } from "./cluster/start-cluster";
import { fleetSandboxes, waitUntil } from "./lib/drydock-server";
import { ownStallsDuring } from "./lib/own-stalls";
import { round, summarize } from "./lib/stats";
import { type EchoProbe, openEchoProbe } from "./lib/terminal-echo";
import { Attendee, openDashboard, withTimeout } from "./lib/workshop-clients";

const run = promisify(execFile);
const LEARNERS = Number(process.env.BENCH_CLUSTER_LEARNERS ?? 100);
const FIRST_WAVE = Math.min(10, LEARNERS);
const ARRIVAL_MS = Number(process.env.BENCH_CLUSTER_ARRIVAL_MS ?? LEARNERS * 300);
const KEYSTROKES = Number(process.env.BENCH_CLUSTER_KEYSTROKES ?? 20);
/** "direct" measures web nodes dialing agents at their own URLs instead of through the agents' tunnels (the default). */
const AGENT_REACH = process.env.BENCH_CLUSTER_AGENT_REACH === "direct" ? "direct" : "tunnel";
const SOLO_KEYSTROKES = 100;
/** 150 ms between keystrokes: a fast typist's 80 words a minute. */
const PACE_MS = Number(process.env.BENCH_CLUSTER_PACE_MS ?? 150);
const PACED_KEYSTROKES = Number(process.env.BENCH_CLUSTER_PACED_KEYSTROKES ?? 100);
const basePort = Number(process.env.BENCH_CLUSTER_BASE_PORT ?? 5900);
const fleetPrefix = process.env.BENCH_CLUSTER_FLEET_PREFIX ?? "bc";
const LESSON = "commit-a-container";
const CPU_WINDOW_MS = 30_000;
const REDIS_WINDOW_MS = 60_000;
const HOUR = 3_600_000;
/** Every learner of the bench comes from 127.0.0.1: the per-address budgets are raised so a class behind one router gets in. */
const LIMITS = {
  STARTS_PER_ADDRESS_PER_MINUTE: "5000",
  JOINS_PER_ADDRESS_PER_MINUTE: "5000",
  MAX_LIVE_SANDBOXES: String(LEARNERS + 10),
};
/** Each agent could hold every learner: capacity never decides the spread, placement does. */
const AGENT_CAPACITY = LEARNERS + 5;
const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;
const HOST_ENGINE = /^(dockerd|containerd|containerd-shim.*|docker-proxy)$/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = (bytes: number) => round(bytes / 1024 / 1024);
const log = (event: string, fields: Record<string, unknown> = {}) => console.error(JSON.stringify({ event, ...fields }));

const cluster = await startCluster({
  basePort,
  fleetPrefix,
  agentReach: AGENT_REACH,
  webEnv: LIMITS,
  agentEnv: { POOL_SIZE: "0", MAX_SANDBOXES: String(AGENT_CAPACITY) },
  log: (event, fields) => log(event, fields),
});
const db = openDatabase(cluster.databaseUrl);
const redis = createClient({ url: cluster.redisUrl });
const sockets: Array<{ close(): void }> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const socket of sockets) socket.close();
    await redis.quit().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    await cluster.stop();
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
process.once("uncaughtException", (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});

const balancer = cluster.balancerUrl;
const webNodes = cluster.services().filter((service) => service.kind === "web");

interface Learner {
  index: number;
  /** The learner's page's HTTP side (the visitor's cookie, starts through the balancer as the page streams them). */
  visitor: Attendee;
  sessionId: string;
  node: string;
  terminal: EchoProbe;
  startMs: number;
}

/** A learner arrives: starts through the balancer, then its terminal on its web node until the prompt. */
async function arrive(index: number): Promise<Learner> {
  const node = webNodes[index % webNodes.length];
  if (!node) throw new Error("the cluster has no web node");
  const visitor = new Attendee(balancer, `Learner ${index + 1}`);
  const started = performance.now();
  await visitor.startSession(LESSON);
  const terminal = await openEchoProbe(node.url, visitor.sessionId, visitor.cookie());
  sockets.push(terminal);
  return { index, visitor, sessionId: visitor.sessionId, node: node.name, terminal, startMs: performance.now() - started };
}

async function wave(from: number, to: number): Promise<Learner[]> {
  const count = to - from;
  const spread = (ARRIVAL_MS * count) / LEARNERS;
  const settled = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) => {
      await sleep((i * spread) / count);
      return arrive(from + i);
    }),
  );
  const failures = settled.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : []));
  if (failures.length > 0)
    throw new Error(`${failures.length} of ${count} starts failed: ${[...new Set(failures)].slice(0, 5).join("; ")}`);
  return settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
}

/** The fleets' sandbox containers' full ids. */
async function sandboxContainers(): Promise<string[]> {
  const ids = await Promise.all(
    cluster.fleets.map(async (fleet) => {
      const filters = sandboxFilter({ fleet }).label.flatMap((label) => ["--filter", `label=${label}`]);
      const { stdout } = await run("docker", ["ps", "--quiet", "--no-trunc", ...filters]);
      return stdout.split("\n").filter(Boolean);
    }),
  );
  return ids.flat();
}

/** A container's memory as docker stats counts it on cgroup v1 (usage less inactive file cache), and its CPU time so far (ns). */
async function containerUsage(id: string): Promise<{ memoryBytes: number; cpuNs: number }> {
  const [usage, stat, cpu] = await Promise.all([
    readFile(`/sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`, "utf8"),
    readFile(`/sys/fs/cgroup/memory/docker/${id}/memory.stat`, "utf8"),
    readFile(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, "utf8"),
  ]);
  const inactive = Number(/^total_inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
  return { memoryBytes: Number(usage) - inactive, cpuNs: Number(cpu) };
}

interface ProcessUsage {
  command: string;
  processGroup: number;
  /** In a container's cgroup (a sandbox's own processes, its inner engine among them). */
  inContainer: boolean;
  rssBytes: number;
  /** CPU time so far (user and system). */
  cpuMs: number;
}

/** Every process on the host, from /proc/<pid>/stat and its cgroup. */
async function hostProcesses(): Promise<ProcessUsage[]> {
  const processes: ProcessUsage[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat, cgroup] = await Promise.all([
      readFile(`/proc/${entry}/stat`, "utf8").catch(() => ""),
      readFile(`/proc/${entry}/cgroup`, "utf8").catch(() => ""),
    ]);
    if (!stat) continue;
    // Fields after the command's closing parenthesis: state is field 3, so field n is at n - 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    processes.push({
      command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      processGroup: Number(fields[2]),
      inContainer: cgroup.includes("/docker/"),
      rssBytes: Number(fields[21]) * PAGE_BYTES,
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
    });
  }
  return processes;
}

/** Every process of each service's process group: RSS and CPU time so far (ms), by service name. */
function serviceUsage(processes: ProcessUsage[]): Map<string, { kind: string; rssBytes: number; cpuMs: number }> {
  const groups = new Map(cluster.services().map((service) => [service.pid, service]));
  const usage = new Map<string, { kind: string; rssBytes: number; cpuMs: number }>();
  for (const running of processes) {
    const service = groups.get(running.processGroup);
    if (!service) continue;
    const sum = usage.get(service.name) ?? { kind: service.kind, rssBytes: 0, cpuMs: 0 };
    sum.rssBytes += running.rssBytes;
    sum.cpuMs += running.cpuMs;
    usage.set(service.name, sum);
  }
  return usage;
}

/** The host's Docker engine (dockerd, containerd and the shims outside any container): CPU time so far (ms). */
function engineCpuMs(processes: ProcessUsage[]): number {
  // A sandbox's own dockerd runs in the sandbox's container: counted with the sandboxes.
  return processes
    .filter((running) => HOST_ENGINE.test(running.command) && !running.inContainer)
    .reduce((sum, running) => sum + running.cpuMs, 0);
}

/** The whole machine's CPU time so far, busy and in all (ms across every core), from /proc/stat. */
async function machineCpuMs(): Promise<{ busy: number; total: number }> {
  const [, ...jiffies] = ((await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "").trim().split(/\s+/).map(Number);
  const total = jiffies.reduce((sum, n) => sum + n, 0);
  // idle and iowait
  const idle = (jiffies[3] ?? 0) + (jiffies[4] ?? 0);
  return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
}

/** CPU time so far (ms) of every part a keystroke crosses, and of the machine. */
async function cpuByPart(): Promise<{ parts: Record<string, number>; machine: { busy: number; total: number } }> {
  const [processes, sandboxes, machine] = await Promise.all([
    hostProcesses(),
    sandboxContainers().then(async (ids) =>
      (await Promise.all(ids.map(containerUsage))).reduce((sum, usage) => sum + usage.cpuNs / 1e6, 0),
    ),
    machineCpuMs(),
  ]);
  const own = process.cpuUsage();
  const parts: Record<string, number> = {
    dockerEngine: engineCpuMs(processes),
    sandboxes,
    benchClients: (own.user + own.system) / 1000,
  };
  for (const [name, usage] of serviceUsage(processes)) parts[name] = usage.cpuMs;
  return { parts, machine };
}

/** Runs `work` and says what CPU it cost each part, per keystroke, and how busy the machine was meanwhile. */
async function cpuDuring<T>(keystrokesOf: (result: T) => number, work: () => Promise<T>) {
  const before = await cpuByPart();
  const result = await work();
  const after = await cpuByPart();
  const keystrokes = keystrokesOf(result);
  const perKeystrokeUs = Object.fromEntries(
    Object.entries(after.parts).map(([part, ms]) => [part, Math.round(((ms - (before.parts[part] ?? ms)) * 1000) / keystrokes)]),
  );
  const machineBusyPercent = round(((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 100);
  return { result, cpu: { machineBusyPercent, perKeystrokeUs } };
}

async function tableRows(): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<Array<{ table_name: string }>>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const rows: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [count] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}"`);
    if (count && count.n > 0n) rows[table] = Number(count.n);
  }
  return rows;
}

async function redisCommands(): Promise<{ total: number; byCommand: Record<string, number> }> {
  const [stats, commandStats] = await Promise.all([redis.info("stats"), redis.info("commandstats")]);
  const byCommand = Object.fromEntries(
    [...commandStats.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)].map(([, name, calls]) => [name as string, Number(calls)]),
  );
  return { total: Number(/^total_commands_processed:(\d+)/m.exec(stats)?.[1] ?? 0), byCommand };
}

/** What the cluster costs at rest with `learners` learners: memory, CPU over 30 s, rows, Redis commands over a minute. */
async function idleCost(learners: number) {
  const containers = await sandboxContainers();
  const before = await Promise.all(containers.map(containerUsage));
  const processesBefore = await hostProcesses();
  const servicesBefore = serviceUsage(processesBefore);
  const engineBefore = engineCpuMs(processesBefore);
  const redisBefore = await redisCommands();
  const startedAt = performance.now();
  await sleep(CPU_WINDOW_MS);
  const cpuSeconds = (performance.now() - startedAt) / 1000;
  const after = await Promise.all(containers.map(containerUsage));
  const processesAfter = await hostProcesses();
  const servicesAfter = serviceUsage(processesAfter);
  const engineCpuPercent = (engineCpuMs(processesAfter) - engineBefore) / 10 / cpuSeconds;
  const sandboxMemory = after.reduce((sum, usage) => sum + usage.memoryBytes, 0);
  const sandboxCpuNs = after.reduce((sum, usage, i) => sum + usage.cpuNs - (before[i]?.cpuNs ?? usage.cpuNs), 0);
  const services: Record<string, { rssMiB: number; cpuPercent: number }> = {};
  for (const [name, usage] of servicesAfter) {
    const cpuMs = usage.cpuMs - (servicesBefore.get(name)?.cpuMs ?? usage.cpuMs);
    services[name] = { rssMiB: MiB(usage.rssBytes), cpuPercent: round(cpuMs / 10 / cpuSeconds) };
  }
  const webAgentRss = [...servicesAfter.values()]
    .filter((usage) => usage.kind === "web" || usage.kind === "agent")
    .reduce((sum, usage) => sum + usage.rssBytes, 0);
  await sleep(Math.max(0, REDIS_WINDOW_MS - (performance.now() - startedAt)));
  const redisAfter = await redisCommands();
  const minutes = (performance.now() - startedAt) / 60_000;
  const byCommand = Object.fromEntries(
    Object.entries(redisAfter.byCommand)
      .map(([name, calls]) => [name, round((calls - (redisBefore.byCommand[name] ?? 0)) / minutes)] as const)
      .filter(([, perMinute]) => perMinute > 0),
  );
  const redisPerMinute = round((redisAfter.total - redisBefore.total) / minutes);
  const rows = await tableRows();
  const totalRows = Object.values(rows).reduce((sum, n) => sum + n, 0);
  const sandboxCpuPercent = round(sandboxCpuNs / 1e7 / cpuSeconds);
  return {
    learners,
    sandboxes: containers.length,
    sandboxMemoryMiB: MiB(sandboxMemory),
    sandboxCpuPercent,
    /** The host's Docker engine at rest, beside the sandboxes: what the paced phase's per-keystroke figure for it includes. */
    dockerEngineCpuPercent: round(engineCpuPercent),
    services,
    webAndAgentRssMiB: MiB(webAgentRss),
    databaseRows: { total: totalRows, byTable: rows },
    redis: { commandsPerMinute: redisPerMinute, byCommand, streamLength: await redis.xLen("drydock:socket.io").catch(() => 0) },
    perLearner: {
      sandboxMemoryMiB: round(MiB(sandboxMemory) / learners),
      hostMemoryMiB: round(MiB(sandboxMemory + webAgentRss) / learners),
      sandboxCpuPercent: round(sandboxCpuPercent / learners),
      databaseRows: round(totalRows / learners),
      redisCommandsPerMinute: round(redisPerMinute / learners),
    },
  };
}

/** Every learner types KEYSTROKES keystrokes at once; each keystroke's echo through its own web node. */
async function echoes(learners: Learner[]): Promise<{ all: number[]; byNode: Record<string, number[]> }> {
  const byNode: Record<string, number[]> = {};
  await Promise.all(
    learners.map(async (learner) => {
      for (let i = 0; i < KEYSTROKES; i += 1) {
        const ms = await learner.terminal.echo();
        byNode[learner.node] = [...(byNode[learner.node] ?? []), ms];
      }
    }),
  );
  return { all: Object.values(byNode).flat(), byNode };
}

/** Every learner types PACED_KEYSTROKES keystrokes at a person's pace, one every PACE_MS, starting at a random point of the first interval. */
async function pacedEchoes(learners: Learner[]): Promise<number[]> {
  const samples: number[] = [];
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  await Promise.all(
    learners.map(async (learner) => {
      await pause(Math.random() * PACE_MS);
      for (let i = 0; i < PACED_KEYSTROKES; i += 1) {
        const ms = await learner.terminal.echo();
        samples.push(ms);
        await pause(PACE_MS - ms);
      }
    }),
  );
  return samples;
}

/**
 * The event-loop delay of each agent and each web node since the last scrape
 * of its metrics (which starts the next measurement): where the echo waited
 * on a process of the path stalling.
 */
async function loopDelays(): Promise<Record<"agents" | "webNodes", Record<string, { eventLoopDelayMs: { p99: number; max: number } }>>> {
  const running = cluster.services().filter((service) => service.pid !== undefined);
  const scrape = async (targets: Array<{ name: string; url: string }>) => {
    const scraped = await Promise.all(targets.map(async (target) => (await fetch(target.url)).text()));
    const seconds = (text: string, metric: string) => Number(new RegExp(`^${metric} ([\\d.e+-]+)`, "m").exec(text)?.[1] ?? Number.NaN);
    return Object.fromEntries(
      targets.map((target, i) => {
        const text = scraped[i] ?? "";
        const eventLoopDelayMs = {
          p99: round(seconds(text, "nodejs_eventloop_lag_p99_seconds") * 1000),
          max: round(seconds(text, "nodejs_eventloop_lag_max_seconds") * 1000),
        };
        return [target.name, { eventLoopDelayMs }];
      }),
    );
  };
  const [agents, webNodes] = await Promise.all([
    scrape(
      running.filter((service) => service.kind === "agent").map((agent) => ({ name: agent.name, url: `${agent.url}${AGENT_API.metrics}` })),
    ),
    scrape(running.flatMap((node) => (node.kind === "web" && node.metricsUrl ? [{ name: node.name, url: node.metricsUrl }] : []))),
  ]);
  return { agents, webNodes };
}

/** One learner on each web node types alone (the others idle), in turn: the path's own cost, without the room's load. */
async function soloEchoes(learners: Learner[]): Promise<Record<string, Record<`p${number}`, number>>> {
  const solo: Record<string, Record<`p${number}`, number>> = {};
  for (const node of webNodes) {
    const learner = learners.find((candidate) => candidate.node === node.name);
    if (!learner) continue;
    const samples: number[] = [];
    for (let i = 0; i < SOLO_KEYSTROKES; i += 1) samples.push(await learner.terminal.echo());
    solo[node.name] = summarize(samples, 50, 99);
  }
  return solo;
}

/** Sandboxes per agent (the engine's count: no pool, so each is a learner's) and the largest over the mean. */
async function placement(): Promise<{ perAgent: Record<string, number>; skew: number }> {
  const counts = await Promise.all(cluster.fleets.map((fleet) => fleetSandboxes(fleet)));
  const perAgent = Object.fromEntries(cluster.fleets.map((fleet, i) => [fleet, counts[i]?.length ?? 0]));
  const values = Object.values(perAgent);
  const mean = values.reduce((sum, n) => sum + n, 0) / values.length;
  return { perAgent, skew: round(Math.max(...values) / mean) };
}

/** An instructor on web1 and a running workshop with N attendees in its room, half on each web node. */
async function broadcastFanout(): Promise<{ attendees: number; p95: number; p50: number; max: number }> {
  const instructorId = `ins_${randomBytes(6).toString("hex")}`;
  const token = randomBytes(32).toString("hex");
  await db.instructor.create({ data: { id: instructorId, email: `${instructorId}@bench.test`, name: "Bench", passwordHash: "unused" } });
  await db.instructorSession.create({
    data: { tokenHash: createHash("sha256").update(token).digest("hex"), instructorId, expiresAt: new Date(Date.now() + HOUR) },
  });
  const workshopId = `wks_${randomBytes(4).toString("hex")}`;
  const code = newJoinCode();
  await db.workshop.create({
    data: {
      id: workshopId,
      code,
      title: "Cluster room",
      lessonIds: JSON.stringify([LESSON]),
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 2 * HOUR),
      capacity: LEARNERS,
      recordTerminals: false,
      state: "running",
      instructors: { create: { instructorId, role: "owner" } },
    },
  });
  const [web1] = webNodes;
  if (!web1) throw new Error("the cluster has no web node");
  const dashboard = await openDashboard(web1.url, workshopId, token);
  sockets.push(dashboard);
  const attendees = await Promise.all(
    Array.from({ length: LEARNERS }, async (_, i) => {
      const attendee = new Attendee(webNodes[i % webNodes.length]?.url ?? web1.url, `Attendee ${i + 1}`);
      sockets.push(attendee);
      await attendee.join(code, { lessonId: LESSON, stepId: "01-start-a-container" });
      await attendee.inRoom();
      return attendee;
    }),
  );
  const text = `Break over, back in 1 (${randomBytes(3).toString("hex")})`;
  const sent = performance.now();
  const arrivals = attendees.map((attendee) => attendee.messageArrival(text));
  await new Promise<void>((resolve, reject) =>
    dashboard.emit("room:message", { text }, (reply) => (reply.ok ? resolve() : reject(new Error(reply.error)))),
  );
  const samples = (await Promise.all(arrivals)).map((at) => at - sent);
  for (const attendee of attendees) attendee.close();
  dashboard.close();
  return { attendees: samples.length, ...summarize(samples, 50, 95), max: round(Math.max(...samples)) } as {
    attendees: number;
    p50: number;
    p95: number;
    max: number;
  };
}

/** The learner's page's sandbox channel through the balancer. */
async function sandboxChannel(sessionId: string, cookie: string): Promise<Socket> {
  const socket = io(`${balancer}${SANDBOX_NAMESPACE}`, {
    auth: { sessionId },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: balancer, cookie },
  });
  sockets.push(socket);
  await withTimeout(
    new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(undefined));
      socket.once("connect_error", reject);
    }),
    "the sandbox channel",
    60_000,
  );
  return socket;
}

async function request<T>(socket: Socket, event: string, body: unknown): Promise<T> {
  const reply = (await socket.timeout(60_000).emitWithAck(event, body)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event} was refused: ${reply.error}`);
  return reply.value;
}

/** A learner on an agent other than a1 saves a file; its agent dies (SIGKILL); until it has a prompt elsewhere with the file. */
async function failover(learners: Learner[]) {
  const agents = await db.agent.findMany({ select: { id: true, name: true } });
  const nameOf = new Map(agents.map((agent) => [agent.id, agent.name]));
  const sessions = await db.session.findMany({
    where: { id: { in: learners.map((learner) => learner.sessionId) } },
    select: { id: true, agentId: true },
  });
  const victim = sessions.find((session) => session.agentId && nameOf.get(session.agentId) !== "a1");
  const learner = learners.find((candidate) => candidate.sessionId === victim?.id);
  const agentName = victim?.agentId ? nameOf.get(victim.agentId) : undefined;
  if (!learner || !agentName) throw new Error("no learner's sandbox is on an agent other than a1");
  const content = `kept across machines ${randomBytes(4).toString("hex")}\n`;
  const page = await sandboxChannel(learner.sessionId, learner.visitor.cookie());
  await request(page, "files:write", { path: "notes.txt", content });
  await waitUntil("the saved file is kept", async () => (await db.savedFile.count({ where: { path: "notes.txt", content } })) === 1);
  const killedAt = performance.now();
  const told = withTimeout(
    new Promise<number>((resolve) =>
      page.on("sandbox:status", (status: SandboxStatus) => status.state === "gone" && resolve(performance.now() - killedAt)),
    ),
    "the page to hear its machine went away",
    60_000,
  );
  await cluster.kill(agentName, "SIGKILL");
  const toldMs = await told;
  await learner.visitor.startSession(LESSON);
  const again = learner.visitor.sessionId;
  const terminal = await openEchoProbe(balancer, again, learner.visitor.cookie());
  sockets.push(terminal);
  const restored = await request<{ content: string }>(await sandboxChannel(again, learner.visitor.cookie()), "files:read", {
    path: "notes.txt",
  });
  const backMs = performance.now() - killedAt;
  if (restored.content !== content) throw new Error(`the restored file holds ${JSON.stringify(restored.content)}, not the saved one`);
  const replaced = await db.session.findUniqueOrThrow({ where: { id: again }, select: { agentId: true } });
  return { agentFailoverMs: round(backMs), toldMs: round(toldMs), killed: agentName, newAgent: nameOf.get(replaced.agentId ?? "") ?? null };
}

try {
  await waitUntil(
    "the three agents report up",
    async () => (await db.agent.count({ where: { state: "up" } })) === cluster.fleets.length,
    120_000,
  );
  await redis.connect();
  log("bench.cluster_up", { balancer, learners: LEARNERS });

  const first = await wave(0, FIRST_WAVE);
  log("bench.wave_started", { learners: first.length });
  const costAtFirst = await idleCost(first.length);
  log("bench.idle_cost", costAtFirst);
  const rest = LEARNERS > FIRST_WAVE ? await wave(FIRST_WAVE, LEARNERS) : [];
  const learners = [...first, ...rest];
  log("bench.wave_started", { learners: learners.length });
  const costAtAll = LEARNERS > FIRST_WAVE ? await idleCost(learners.length) : costAtFirst;
  if (rest.length > 0) log("bench.idle_cost", costAtAll);
  const spread = await placement();
  const solo = await soloEchoes(learners);
  const echo = await echoes(learners);
  log("bench.echoed", { keystrokes: echo.all.length });
  await loopDelays();
  const {
    result: { result: paced, stalls: clientStalls },
    cpu: pacedCpu,
  } = await cpuDuring(
    ({ result }) => result.length,
    () => ownStallsDuring(() => pacedEchoes(learners)),
  );
  const { agents: agentStalls, webNodes: webStalls } = await loopDelays();
  log("bench.echoed_at_pace", { keystrokes: paced.length, ...pacedCpu, clientStalls, agentStalls, webStalls });
  const broadcast = await broadcastFanout();
  log("bench.broadcast", broadcast);
  const failed = await failover(learners);
  log("bench.failover", failed);

  console.log(
    JSON.stringify({
      learners: LEARNERS,
      agentReach: AGENT_REACH,
      startMs: summarize(
        learners.map((learner) => learner.startMs),
        50,
        95,
      ),
      echoMs: {
        ...summarize(echo.all, 50, 99),
        byNode: Object.fromEntries(Object.entries(echo.byNode).map(([node, samples]) => [node, summarize(samples, 50, 99)])),
        keystrokes: echo.all.length,
        alone: solo,
      },
      echoAtTypingPaceMs: {
        ...summarize(paced, 50, 99),
        keystrokes: paced.length,
        paceMs: PACE_MS,
        cpu: pacedCpu,
        clientStalls,
        agentStalls,
        webStalls,
      },
      broadcastFanoutMs: broadcast,
      agentFailoverMs: failed.agentFailoverMs,
      failover: failed,
      placementSkew: spread.skew,
      placement: spread.perAgent,
      cost: { [`at${costAtFirst.learners}`]: costAtFirst, [`at${costAtAll.learners}`]: costAtAll },
      targets: { echoP99Ms: 10, agentFailoverMs: 20_000, placementSkew: 1.2 },
      setup: {
        arrivalMs: ARRIVAL_MS,
        keystrokesPerLearner: KEYSTROKES,
        agentCapacity: AGENT_CAPACITY,
        poolSize: 0,
        limits: LIMITS,
        terminals: "learner i opens its terminal on web node (i mod 2)+1; starts go through the balancer",
        broadcast:
          "the attendees join a workshop by code and sit in its room socket without sandboxes, alternately on web1 and web2; the instructor's dashboard is on web1",
      },
    }),
  );
} finally {
  await cleanUp();
}
