import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const webPort = Number(process.env.E2E_WEB_PORT ?? 3100);
const agentPort = Number(process.env.E2E_AGENT_PORT ?? 4200);
/** The e2e agent's sandboxes carry this fleet label, so teardown removes exactly them. */
export const E2E_FLEET = process.env.E2E_FLEET ?? "e2e";
/** The built-in lessons, and the browser tests' own (e2e/lessons: a step's setup, steps that must pass, files and modes). */
const LESSONS_DIR = ["../packages/lessons/lessons", "lessons"].map((folder) => fileURLToPath(new URL(folder, import.meta.url))).join(":");

/**
 * Real Chromium (Debian's), the real web app and agent (built and started by
 * scripts/serve.sh), real sandboxes on the local Docker engine.
 */
export default defineConfig({
  testDir: ".",
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  globalTeardown: "./global-teardown.ts",
  reporter: [["list"], ["json", { outputFile: "../test-results/e2e.json" }]],
  outputDir: "../test-results/e2e",
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "bash scripts/serve.sh",
    cwd: "..",
    url: `http://127.0.0.1:${webPort}/`,
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM, not SIGKILL: the agent then finishes (and removes) a pool refill under way instead of leaving it behind.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: {
      WEB_PORT: String(webPort),
      WEB_HOST: "127.0.0.1",
      AGENT_PORT: String(agentPort),
      AGENT_FLEET: E2E_FLEET,
      POOL_SIZE: "1",
      LESSONS_DIR,
    },
    stdout: "pipe",
    stderr: "pipe",
  },
});
