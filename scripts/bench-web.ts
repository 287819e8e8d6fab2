/**
 * `npm run bench:web`: the lesson page as a person sees it (Debian's Chromium
 * through Playwright), against its own web app and agent (scripts/serve.sh)
 * on spare ports with a warm pool of one.
 * - lessonPageJsKbGz: the JavaScript the lesson page loads before Start,
 *   each file gzipped from the build output: the page's own, and the
 *   terminal's, fetched once the page is idle (the editor loads on demand);
 * - firstStartToPromptMs: a first visit (a fresh browser context: empty
 *   cache, no cookie) to each built-in lesson's page, then from the click on
 *   Start until the shell's prompt is painted in the terminal (the frame after
 *   the prompt's text reaches xterm's rows); BENCH_START_RUNS runs per lesson,
 *   each with a ready warm pool (the pool refills before every click);
 * - breakdownMs: the p50 of each step of those starts, in ms after the click:
 *   the page's performance marks (drydock:*), the start request's response
 *   (headers, end) and the scripts fetched after the click;
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
import { BUILT_IN_LESSONS_DIR, loadLessons } from "@drydock/lessons";
import { type Browser, chromium, type Page } from "@playwright/test";
import { ratios, startBaseline } from "./lib/baseline";
import { percentile, summarize } from "./lib/stats";

const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 10);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3250);
const agentPort = Number(process.env.BENCH_AGENT_PORT ?? webPort + 1100);
const BENCH_FLEET = process.env.BENCH_FLEET ?? "bench-web";
const base = `http://127.0.0.1:${webPort}`;
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

/** What happened after the click, in ms from it: the page's marks, the start request, the scripts it had to fetch. */
type Steps = Record<string, number>;
const stepsAfterClick = (page: Page) =>
  page.evaluate(() => {
    const clickAt = (globalThis as unknown as { __bench: Probe }).__bench.clickAt;
    const steps: Record<string, number> = {};
    for (const mark of performance.getEntriesByType("mark")) {
      if (mark.startTime >= clickAt && !(mark.name in steps)) steps[mark.name] = mark.startTime - clickAt;
    }
    type Fetched = { name: string; startTime: number; responseStart: number; responseEnd: number; initiatorType: string };
    const after = (performance.getEntriesByType("resource") as unknown as Fetched[]).filter((entry) => entry.startTime >= clickAt);
    const start = after.find((entry) => new URL(entry.name).pathname === "/api/sessions");
    if (start) {
      steps["request:start-headers"] = start.responseStart - clickAt;
      steps["request:start-end"] = start.responseEnd - clickAt;
    }
    const scripts = after.filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
    steps["scripts:fetched-after-click"] = scripts.length;
    if (scripts.length > 0) steps["scripts:all-loaded"] = Math.max(...scripts.map((entry) => entry.responseEnd)) - clickAt;
    return steps;
  });

/** The lesson page's JavaScript before Start, each file read from the build output and gzipped. */
async function lessonPageJs(page: Page, lessonPath: string): Promise<{ kb: number; files: number }> {
  const scripts = new Set<string>();
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.add(new URL(request.url()).pathname);
  });
  await page.goto(`${base}${lessonPath}`, { waitUntil: "networkidle" });
  let bytes = 0;
  for (const path of scripts) {
    if (!path.startsWith("/_next/static/")) throw new Error(`The lesson page loads a script from outside the build: ${path}`);
    bytes += gzipSync(await readFile(join(STATIC_DIR, path.slice("/_next/static/".length)))).length;
  }
  return { kb: Math.round((bytes / 1024) * 10) / 10, files: scripts.size };
}

interface FirstStart {
  ms: number;
  steps: Steps;
  /** The page, still open, and its context; the caller closes the context. */
  page: Page;
  close(): Promise<void>;
}

/** A first visit to the lesson's page in a fresh context, a click on Start once the pool is warm, until the prompt is painted. */
async function firstStart(browser: Browser, server: ChildProcess, lessonPath: string): Promise<FirstStart> {
  // A failed refill is tried again at the agent's next sweep: allow for one.
  await waitFor("the warm pool refilling", poolIsWarm, server, 300_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript({ path: join(import.meta.dirname, "lib/page-probes.js") });
  const page = await context.newPage();
  // A person reads the page before clicking: it has loaded and gone quiet.
  await page.goto(`${base}${lessonPath}`, { waitUntil: "networkidle" });
  const startButton = page.getByRole("button", { name: "Start", exact: true });
  // Until React has hydrated the button, a click on it does nothing (a busy machine can take longer than networkidle).
  await page.waitForFunction(
    () =>
      Object.keys(
        (globalThis as unknown as { document: { querySelector(s: string): object | null } }).document.querySelector(
          ".start-panel button",
        ) ?? {},
      ).some((key) => key.startsWith("__reactProps")),
    undefined,
    { timeout: 120_000 },
  );
  await startButton.click();
  await page
    .waitForFunction(() => (globalThis as unknown as { __bench: Probe }).__bench.promptAt > 0, undefined, { timeout: 60_000 })
    .catch(async (error: unknown) => {
      const text = (selector: string) =>
        page
          .locator(selector)
          .first()
          .textContent({ timeout: 1000 })
          .catch(() => null);
      const seen = {
        state: await text("[data-testid=sandbox-state]"),
        alert: await text("[role=alert]"),
        terminal: await text("[data-testid=terminal] .xterm-rows"),
      };
      throw new Error(`No prompt within 60 s on ${lessonPath}; the page showed ${JSON.stringify(seen)}`, { cause: error });
    });
  const timing = await probe(page);
  return {
    ms: timing.promptAt - timing.clickAt,
    steps: await stepsAfterClick(page),
    page,
    close: async () => {
      // The page marks the session it started (its start stream is cancelled once ready, so its body cannot be read here).
      const sessionId = await page.evaluate(
        () =>
          (globalThis as unknown as { performance: { getEntriesByName(name: string): { detail?: { sessionId?: string } }[] } }).performance
            .getEntriesByName("drydock:session-ready")
            .at(-1)?.detail?.sessionId,
      );
      if (!sessionId) throw new Error(`The page on ${lessonPath} marked no session; it would stay alive and fill the deployment.`);
      const ended = await context.request.delete(`${base}/api/sessions/${sessionId}`);
      if (ended.status() !== 204) throw new Error(`Ending session ${sessionId} answered ${ended.status()}: ${await ended.text()}`);
      await context.close();
    },
  };
}

/** Keystrokes typed into the open terminal: when each echo arrives and when it is drawn. */
async function typeAndTime(page: Page): Promise<{ echoes: number[]; paints: number[] }> {
  await page.getByTestId("terminal").click();
  for (let key = 0; key < KEYSTROKES; key++) {
    await page.keyboard.press("x");
    await page.waitForFunction((count) => (globalThis as unknown as { __bench: Probe }).__bench.paints.length > count, key);
    // A line of 50 characters, then Ctrl-U clears it.
    if (key % 50 === 49) await page.keyboard.press("Control+U");
    await page.waitForTimeout(5);
  }
  const { echoes, paints } = await probe(page);
  return { echoes, paints };
}

const round = (value: number) => Math.round(value * 100) / 100;
const summary = (samples: number[]) => ({ p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), runs: samples.length });

function medianSteps(all: Steps[]): Steps {
  const names = [...new Set(all.flatMap((steps) => Object.keys(steps)))];
  const median = (name: string) =>
    round(
      percentile(
        all.flatMap((steps) => (name in steps ? [steps[name] as number] : [])),
        50,
      ),
    );
  return Object.fromEntries(names.map((name) => [name, median(name)] as const).sort((a, b) => a[1] - b[1]));
}

const library = await loadLessons(BUILT_IN_LESSONS_DIR);
if (library.lessons.length === 0) throw new Error(`No built-in lessons in ${BUILT_IN_LESSONS_DIR}`);
const lessonPaths = library.lessons.map((lesson) => ({ id: lesson.id, path: `/lessons/${lesson.id}` }));

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
  const firstLesson = lessonPaths[0] as { id: string; path: string };
  const js = await lessonPageJs(await browser.newPage(), firstLesson.path);

  // One warm-up start, not counted: a server that has just started loads each route's code on its first request.
  await (await firstStart(browser, server, firstLesson.path)).close();

  const all: number[] = [];
  const byLesson: Record<string, ReturnType<typeof summary>> = {};
  const steps: Steps[] = [];
  let typing = { echoes: [] as number[], paints: [] as number[] };
  for (const [index, lesson] of lessonPaths.entries()) {
    const samples: number[] = [];
    for (let run = 1; run <= START_RUNS; run++) {
      const start = await firstStart(browser, server, lesson.path);
      samples.push(start.ms);
      steps.push(start.steps);
      console.error(JSON.stringify({ event: "first_start", lesson: lesson.id, run, ms: Math.round(start.ms), steps: start.steps }));
      if (index === lessonPaths.length - 1 && run === START_RUNS) typing = await typeAndTime(start.page);
      await start.close();
    }
    byLesson[lesson.id] = summary(samples);
    all.push(...samples);
  }
  await baseline.measure("after");
  const baselineMs = baseline.report();
  console.log(
    JSON.stringify({
      lessonPageJsKbGz: js.kb,
      lessonPageJsFiles: js.files,
      firstStartToPromptMs: { ...summary(all), byLesson },
      breakdownMs: medianSteps(steps),
      echoMs: { p50: round(percentile(typing.echoes, 50)), p99: round(percentile(typing.echoes, 99)), keystrokes: typing.echoes.length },
      echoPaintMs: { p50: round(percentile(typing.paints, 50)), p99: round(percentile(typing.paints, 99)) },
      baselineMs,
      firstStartToPromptRatio: ratios(summarize(all, 50, 95), baselineMs.run),
      echoRatio: ratios(summarize(typing.echoes, 50, 99), baselineMs.echo),
      echoPaintRatio: ratios(summarize(typing.paints, 50, 99), baselineMs.echo),
    }),
  );
} finally {
  await baseline.close();
  await browser.close();
  if (server.pid) process.kill(-server.pid, "SIGTERM");
  await removeFleet(BENCH_FLEET);
}
