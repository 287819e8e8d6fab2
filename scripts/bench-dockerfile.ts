/**
 * `npm run bench:dockerfile`: how soon a learner typing in a Dockerfile sees
 * the language service's verdict, in Debian's Chromium through Playwright,
 * against a Drydock of its own (lab 2's Dockerfile in the editor).
 * Each sample is one keystroke on line 1 that breaks or mends `FROM`
 * (`XFROM` ⇄ `FROM`): from the key's keydown in the page to the frame after
 * the problems line under the editor appears or goes. The diagnostics wait
 * for a pause in typing (pauseMs) on purpose; beyondPauseMs is the rest
 * (the check, the markers, React, the paint).
 * Keystrokes: BENCH_DOCKERFILE_KEYSTROKES (default 40). Ports:
 * BENCH_WEB_PORT, BENCH_AGENT_PORT; fleet: BENCH_FLEET.
 * Last line: one JSON object.
 */

import { join } from "node:path";
import { chromium } from "@playwright/test";
import { DIAGNOSTICS_PAUSE_MS } from "../apps/web/src/components/editor/dockerfile-timing";
import { startDrydock } from "./lib/drydock-server";
import { round, summarize } from "./lib/stats";

const KEYSTROKES = Number(process.env.BENCH_DOCKERFILE_KEYSTROKES ?? 40);
const webPort = Number(process.env.BENCH_WEB_PORT ?? 3390);

type Probe = { keyAt: number; samples: number[] };

const drydock = await startDrydock({
  webPort,
  agentPort: Number(process.env.BENCH_AGENT_PORT ?? webPort + 1000),
  fleet: process.env.BENCH_FLEET ?? "bench-dockerfile",
  env: { POOL_SIZE: "1" },
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript({ path: join(import.meta.dirname, "lib/dockerfile-probes.js") });
  // Through the catalog, as a learner comes: the lesson page has hydrated by the time Start is clicked.
  await page.goto(drydock.base);
  await page.getByRole("link", { name: "A Dockerfile and its layers" }).click();
  await page.getByRole("heading", { level: 1, name: "A Dockerfile and its layers" }).waitFor();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.getByTestId("sandbox-state").getByText("Sandbox ready").waitFor({ timeout: 120_000 });
  await page.getByRole("button", { name: /^(Next|Begin)$/ }).click();
  await page.getByRole("button", { name: "Write Dockerfile in the editor" }).click();
  const lines = page.getByTestId("monaco").locator(".view-lines");
  await lines.getByText("FROM debian:bookworm-slim").waitFor();
  await lines.click();
  await page.keyboard.press("ControlOrMeta+Home");
  for (let key = 0; key < KEYSTROKES; key++) {
    await page.keyboard.press(key % 2 === 0 ? "X" : "Backspace");
    await page.waitForFunction(
      (count) => (globalThis as unknown as { __dockerfileBench: Probe }).__dockerfileBench.samples.length > count,
      key,
    );
  }
  const samples = await page.evaluate(() => (globalThis as unknown as { __dockerfileBench: Probe }).__dockerfileBench.samples);
  const total = summarize(samples, 50, 95);
  console.log(
    JSON.stringify({
      keystrokes: samples.length,
      pauseMs: DIAGNOSTICS_PAUSE_MS,
      keystrokeToDiagnosticMs: total,
      beyondPauseMs: { p50: round((total.p50 ?? 0) - DIAGNOSTICS_PAUSE_MS), p95: round((total.p95 ?? 0) - DIAGNOSTICS_PAUSE_MS) },
    }),
  );
} finally {
  await browser.close();
  await drydock.stop();
}
