/**
 * `npm run bench:start`: how quickly Start gives a prompt, and how quickly a
 * keystroke comes back, through the whole path a browser uses:
 * socket.io client → web gateway → agent → sandbox shell → back.
 * Starts its own web app and agent (scripts/serve.sh) on spare ports
 * (BENCH_WEB_PORT, BENCH_AGENT_PORT) with a fleet of its own (BENCH_FLEET).
 * Each time is also given as a ratio to the same run's plain Docker baseline
 * (scripts/lib/baseline.ts), measured before and after the main work.
 * Last line: {"startToPromptMs":{"p50","p95"},"echoMs":{"p50","p99"},
 * "baselineMs":{"run","echo"},"startToPromptRatio","echoRatio"}.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { removeFleet } from "@drydock/engine";
import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { ratios, startBaseline } from "./lib/baseline";
import { summarize } from "./lib/stats";

const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 10);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3200);
const agentPort = Number(process.env.BENCH_AGENT_PORT ?? webPort + 1100);
const base = `http://127.0.0.1:${webPort}`;
const BENCH_FLEET = process.env.BENCH_FLEET ?? "bench-start";

type Terminal = Socket<TerminalServerEvents, TerminalClientEvents>;

function withTimeout<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitForServer(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`serve.sh exited with ${server.exitCode}`);
    if (
      await fetch(base)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The web app did not answer on ${base} within 120 s`);
}

async function startSession(cookie?: string): Promise<{ id: string; cookie: string }> {
  const response = await fetch(`${base}/api/sessions`, { method: "POST", headers: cookie ? { cookie } : {} });
  if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.get("set-cookie");
  const { id } = (await response.json()) as { id: string };
  return { id, cookie: cookie ?? setCookie?.split(";")[0] ?? "" };
}

function openTerminal(sessionId: string, cookie: string): Terminal {
  return io(`${base}${TERMINAL_NAMESPACE}`, {
    auth: { sessionId, size: { cols: 120, rows: 40 } },
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie, origin: base },
  });
}

async function endSession(id: string, cookie: string): Promise<void> {
  await fetch(`${base}/api/sessions/${id}`, { method: "DELETE", headers: { cookie } });
}

async function measureStartToPrompt(cookie?: string): Promise<{ ms: number; cookie: string }> {
  const started = performance.now();
  const session = await startSession(cookie);
  const terminal = openTerminal(session.id, session.cookie);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      terminal.once("terminal:output", () => resolve());
      terminal.once("connect_error", reject);
    }),
    "the first byte of the prompt",
  );
  const ms = performance.now() - started;
  terminal.close();
  await endSession(session.id, session.cookie);
  return { ms, cookie: session.cookie };
}

async function measureEcho(): Promise<number[]> {
  const session = await startSession();
  const terminal = openTerminal(session.id, session.cookie);
  let pending: ((text: string) => void) | undefined;
  terminal.on("terminal:output", (data) => pending?.(Buffer.from(data).toString("utf8")));
  // The prompt (root@sandbox:…#) shows the shell is ready for keystrokes.
  await withTimeout(
    new Promise<void>((resolve) => {
      pending = (text) => text.includes("@sandbox") && resolve();
    }),
    "the shell prompt",
  );
  const samples: number[] = [];
  for (let i = 0; samples.length < KEYSTROKES; i++) {
    // A line of 50 characters, then Ctrl-U clears it, so the echo stays one byte.
    const key = i % 50 === 49 ? "\u0015" : "x";
    const sent = performance.now();
    await withTimeout(
      new Promise<void>((resolve) => {
        pending = () => resolve();
        terminal.emit("terminal:input", key);
      }),
      `the echo of keystroke ${i + 1}`,
    );
    if (key === "x") samples.push(performance.now() - sent);
    // Let any trailing bytes of the redraw arrive before the next keystroke.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  terminal.close();
  await endSession(session.id, session.cookie);
  return samples;
}

// A start compares with a plain `docker run`; a keystroke's echo (a byte through the agent's
// long-lived exec of tmux) with a byte through a running `docker exec -i … cat`.
const baseline = await startBaseline({ fleet: BENCH_FLEET, samples: { run: 5, echo: 100 } });
const server = spawn("bash", ["scripts/serve.sh"], {
  env: {
    ...process.env,
    WEB_PORT: String(webPort),
    WEB_HOST: "127.0.0.1",
    AGENT_PORT: String(agentPort),
    AGENT_FLEET: BENCH_FLEET,
    POOL_SIZE: "0",
  },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
try {
  await waitForServer(server);
  await baseline.measure("before");
  // One warm-up run: the first request compiles the route.
  let { cookie } = await measureStartToPrompt();
  const startSamples: number[] = [];
  for (let i = 0; i < START_RUNS; i++) {
    const run = await measureStartToPrompt(cookie);
    cookie = run.cookie;
    startSamples.push(run.ms);
    console.error(JSON.stringify({ event: "start", run: i + 1, ms: Math.round(run.ms) }));
  }
  const echoSamples = await measureEcho();
  await baseline.measure("after");
  const baselineMs = baseline.report();
  const startToPromptMs = summarize(startSamples, 50, 95);
  const echoMs = summarize(echoSamples, 50, 99);
  console.log(
    JSON.stringify({
      startToPromptMs: { ...startToPromptMs, runs: startSamples.length },
      echoMs: { ...echoMs, keystrokes: echoSamples.length },
      baselineMs,
      startToPromptRatio: ratios(startToPromptMs, baselineMs.run),
      echoRatio: ratios(echoMs, baselineMs.echo),
    }),
  );
} finally {
  await baseline.close();
  if (server.pid) process.kill(-server.pid, "SIGTERM");
  await removeFleet(BENCH_FLEET);
}
