import { type BrowserContext, expect, type Page, test } from "@playwright/test";

/** The whole visible terminal text (xterm's DOM renderer keeps one row per element). */
function terminalText(page: Page) {
  return page.getByTestId("terminal").locator(".xterm-rows");
}

async function startSandbox(page: Page): Promise<void> {
  await page.goto("/playground");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByRole("status")).toHaveText("Your sandbox is ready.", { timeout: 60_000 });
  // The prompt proves the shell is attached end to end.
  await expect(terminalText(page)).toContainText("sandbox", { timeout: 30_000 });
}

async function type(page: Page, command: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}

/** Every request a page makes must go to its own origin: browsers never address agents. */
function recordForeignRequests(context: BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  context.on("request", (request) => {
    if (!request.url().startsWith(origin)) foreign.push(request.url());
  });
  return foreign;
}

test("Start gives a terminal on a private Docker engine that runs Debian from the local registry", async ({ page, context, baseURL }) => {
  const foreign = recordForeignRequests(context, baseURL ?? "");
  await startSandbox(page);

  await type(page, "docker version --format 'client={{.Client.Version}} server={{.Server.Version}}'");
  await expect(terminalText(page)).toContainText(/client=\d+\.\d+\.\d+\S* server=\d+\.\d+\.\d+/);

  await type(page, "clear; docker run --rm debian:bookworm cat /etc/os-release");
  await expect(terminalText(page)).toContainText('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', { timeout: 120_000 });

  expect(foreign).toEqual([]);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Start" })).toBeVisible();
});

test("a second browser session gets an engine of its own", async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const a = await first.newPage();
    const b = await second.newPage();
    await Promise.all([startSandbox(a), startSandbox(b)]);

    await type(a, "docker create --name made-in-a debian:bookworm true && echo CREATED-IN-A");
    await expect(terminalText(a)).toContainText("CREATED-IN-A", { timeout: 120_000 });
    await type(a, "clear; docker ps -a --format 'seen:{{.Names}}'");
    await expect(terminalText(a)).toContainText("seen:made-in-a");

    await type(b, "clear; docker ps -a --format 'seen:{{.Names}}'; echo LISTED-IN-B");
    await expect(terminalText(b)).toContainText("LISTED-IN-B");
    await expect(terminalText(b)).not.toContainText("seen:made-in-a");

    await a.getByRole("button", { name: "Stop" }).click();
    await b.getByRole("button", { name: "Stop" }).click();
    await expect(a.getByRole("button", { name: "Start" })).toBeVisible();
    await expect(b.getByRole("button", { name: "Start" })).toBeVisible();
  } finally {
    await first.close();
    await second.close();
  }
});

test("a terminal socket without the owner's cookie is refused", async ({ page, browser }) => {
  await startSandbox(page);
  const sessionId = await page.evaluate(async () => {
    const response = await fetch("/api/sessions", { method: "POST" });
    return ((await response.json()) as { id: string }).id;
  });
  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    await other.goto("/playground");
    const deleted = await other.evaluate(async (id) => (await fetch(`/api/sessions/${id}`, { method: "DELETE" })).status, sessionId);
    expect(deleted).toBe(404);
  } finally {
    await stranger.close();
  }
  const ended = await page.evaluate(async (id) => (await fetch(`/api/sessions/${id}`, { method: "DELETE" })).status, sessionId);
  expect(ended).toBe(204);
  await page.getByRole("button", { name: "Stop" }).click();
});
