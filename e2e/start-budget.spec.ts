import { expect, test } from "@playwright/test";
import { fleetSandboxes, type RunningDrydock, startDrydock } from "../scripts/lib/drydock-server";
import { E2E_FLEET } from "./playwright.config";

/**
 * The start budget as a learner's browser meets it, on a Drydock of its own
 * with room for one sandbox (next to the suite's ports: E2E_WEB_PORT + 5).
 */
const fleet = `${E2E_FLEET}-budget`;
let drydock: RunningDrydock;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  drydock = await startDrydock({
    webPort: Number(process.env.E2E_WEB_PORT ?? 3100) + 5,
    agentPort: Number(process.env.E2E_AGENT_PORT ?? 4200) + 5,
    fleet,
    env: { POOL_SIZE: "0", MAX_LIVE_SANDBOXES: "1", SANDBOX_IDLE_SECONDS: "1800" },
  });
});

test.afterAll(async () => {
  await drydock?.stop();
});

test("another site's page cannot start a sandbox with the learner's browser", async ({ page }) => {
  // localhost and 127.0.0.1 are two origins: the page is served by one and posts to the other.
  await page.goto(drydock.base.replace("127.0.0.1", "localhost"));
  const status = await page.evaluate(async (target) => {
    const response = await fetch(`${target}/api/sessions`, { method: "POST", credentials: "include" }).catch(() => undefined);
    return response?.status ?? "blocked";
  }, drydock.base);
  // CORS hides the 403 from the page; either way, nothing started.
  expect([403, "blocked"]).toContain(status);
  expect(await fleetSandboxes(fleet)).toEqual([]);
});

test("a full Drydock tells the learner on the lesson page how long to wait", async ({ page }) => {
  // Someone else holds the only place.
  const other = await fetch(`${drydock.base}/api/sessions`, { method: "POST" });
  expect(other.status).toBe(201);

  await page.goto(`${drydock.base}/lessons/commit-a-container`);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "could not start" })).toHaveText(
    /^The sandbox could not start: Drydock is full — a sandbox frees up in about (30|29) minutes\. Try again then\.$/,
  );
  await expect(page.getByTestId("sandbox-state")).toHaveText("Failed to start");
  expect(await fleetSandboxes(fleet)).toHaveLength(1);
});
