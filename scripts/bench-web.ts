/**
 * `npm run bench:web`: the lesson page as a browser sees it (Debian's Chromium
 * through Playwright), against its own web app and agent (scripts/serve.sh)
 * on spare ports with a warm pool of one.
 * - lessonPageJsKbGz: the JavaScript the lesson page loads before Start (the
 *   terminal and the editor load later, on demand), each file gzipped from
 *   the build output;
 * - startToPromptMs: from the click on Start to the shell's prompt on screen,
 *   timed in the page; each run waits for the pool to refill first;
 * - echoMs: from a key's keydown in the page to its echo arriving on the
 *   page's terminal socket; echoPaintMs: to the echo drawn in the terminal;
 * - baselineMs and a ratio beside each time (scripts/lib/baseline.ts): a start
 *   to a plain `docker run`, an echo to a byte through a running
 *   `docker exec -i … cat`, both measured before and after the runs.
 * Ports: BENCH_WEB_PORT, BENCH_AGENT_PORT; fleet: BENCH_FLEET.
 * Last line: one JSON object.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { removeFleet } from "@drydock/engine";
import { chromium, type Page } from "@playwright/test";
import { ratios, startBaseline } from "./lib/baseline";
import { percentile, summarize } from "./lib/stats";

const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 10);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3250);
const agentPort = Number(process.env.BENCH_AGENT_PORT ?? webPort + 1100);
const base = `http://127.0.0.1:${webPort}`;
const BENCH_FLEET = process.env.BENCH_FLEET ?? "bench-web";
const LESSON = "/lessons/commit-a-container";
const STATIC_DIR = join(import.meta.dirname, "../apps/web/.next/static");

async function waitFor(what: string, ready: () => Promise<boolean>, server: ChildProcess, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`serve.sh exited with ${server.exitCode}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${ms / 1000} s`);
}

const poolIsWarm = async () => ((await (await fetch(`http://127.0.0.1:${agentPort}/healthz`)).json()) as { pooled: number }).pooled >= 1;

type Probe = { clickAt: number; promptAt: number; echoes: number[]; paints: number[] };
const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as { __bench: Probe }).__bench);

/** The lesson page's JavaScript before Start, each file read from the build output and gzipped. */
async function lessonPageJs(page: Page): Promise<{ kb: number; files: number }> {
  const scripts = new Set<string>();
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.add(new URL(request.url()).pathname);
  });
  await page.goto(`${base}${LESSON}`, { waitUntil: "networkidle" });
  let bytes = 0;
  for (const path of scripts) {
    if (!path.startsWith("/_next/static/")) throw new Error(`The lesson page loads a script from outside the build: ${path}`);
    bytes += gzipSync(await readFile(join(STATIC_DIR, path.slice("/_next/static/".length)))).length;
  }
  return { kb: Math.round((bytes / 1024) * 10) / 10, files: scripts.size };
}

const baseline = await startBaseline({ fleet: BENCH_FLEET, samples: { run: 5, echo: 100 } });
const server = spawn("bash", ["scripts/serve.sh"], {
  env: {
    ...process.env,
    WEB_PORT: String(webPort),
    WEB_HOST: "127.0.0.1",
    AGENT_PORT: String(agentPort),
    AGENT_FLEET: BENCH_FLEET,
    POOL_SIZE: "1",
  },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  await waitFor("the web app answering", async () => (await fetch(base)).ok, server);
  await baseline.measure("before");
  const js = await lessonPageJs(await browser.newPage());

  const startSamples: number[] = [];
  let echoSamples: number[] = [];
  let paintSamples: number[] = [];
  // One warm-up run first: the first request of each route warms the server.
  for (let run = 0; run <= START_RUNS; run++) {
    await waitFor("the warm pool refilling", poolIsWarm, server);
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript({ path: join(import.meta.dirname, "lib/page-probes.js") });
    const page = await context.newPage();
    let sessionId = "";
    page.on("response", async (response) => {
      if (response.url().endsWith("/api/sessions"))
        sessionId = /"id":"(ses_[0-9a-f]+)"/.exec(await response.text().catch(() => ""))?.[1] ?? "";
    });
    await page.goto(`${base}${LESSON}`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.waitForFunction(() => (globalThis as unknown as { __bench: Probe }).__bench.promptAt > 0, undefined, { timeout: 60_000 });
    const timing = await probe(page);
    if (run > 0) {
      startSamples.push(timing.promptAt - timing.clickAt);
      console.error(JSON.stringify({ event: "start", run, ms: Math.round(timing.promptAt - timing.clickAt) }));
    }
    if (run === START_RUNS) {
      await page.getByTestId("terminal").click();
      for (let key = 0; key < KEYSTROKES; key++) {
        await page.keyboard.press("x");
        await page.waitForFunction((count) => (globalThis as unknown as { __bench: Probe }).__bench.paints.length > count, key);
        // A line of 50 characters, then Ctrl-U clears it.
        if (key % 50 === 49) await page.keyboard.press("Control+U");
        await page.waitForTimeout(5);
      }
      ({ echoes: echoSamples, paints: paintSamples } = await probe(page));
    }
    if (sessionId) await context.request.delete(`${base}/api/sessions/${sessionId}`);
    await context.close();
  }
  await baseline.measure("after");
  const baselineMs = baseline.report();
  const round = (value: number) => Math.round(value * 100) / 100;
  console.log(
    JSON.stringify({
      lessonPageJsKbGz: js.kb,
      lessonPageJsFiles: js.files,
      startToPromptMs: { p50: round(percentile(startSamples, 50)), p95: round(percentile(startSamples, 95)), runs: startSamples.length },
      echoMs: { p50: round(percentile(echoSamples, 50)), p99: round(percentile(echoSamples, 99)), keystrokes: echoSamples.length },
      echoPaintMs: { p50: round(percentile(paintSamples, 50)), p99: round(percentile(paintSamples, 99)) },
      baselineMs,
      startToPromptRatio: ratios(summarize(startSamples, 50, 95), baselineMs.run),
      echoRatio: ratios(summarize(echoSamples, 50, 99), baselineMs.echo),
      echoPaintRatio: ratios(summarize(paintSamples, 50, 99), baselineMs.echo),
    }),
  );
} finally {
  await baseline.close();
  await browser.close();
  if (server.pid) process.kill(-server.pid, "SIGTERM");
  await removeFleet(BENCH_FLEET);
}
