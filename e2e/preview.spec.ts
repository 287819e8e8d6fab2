import { expect, type Page, test } from "@playwright/test";

function terminalText(page: Page) {
  return page.getByTestId("terminal").locator(".xterm-rows");
}

async function type(page: Page, command: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}

test("a port published in the sandbox opens on its own origin for its owner only", async ({ page, context, browser, baseURL }) => {
  await page.goto("/playground");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByRole("status")).toHaveText("Your sandbox is ready.", { timeout: 60_000 });
  await expect(terminalText(page)).toContainText("sandbox", { timeout: 30_000 });

  await type(page, "mkdir -p /tmp/site && echo '<h1>Flask-free hello from port 8888</h1>' > /tmp/site/index.html");
  await type(page, "python3 -m http.server 8888 --directory /tmp/site");

  // Discovery, end to end: the sandbox's new listener shows up as a link on Drydock's page.
  const link = page.getByRole("navigation", { name: "Open ports" }).getByRole("link", { name: "8888" });
  await expect(link).toBeVisible({ timeout: 15_000 });

  const [preview] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(preview.getByRole("heading")).toHaveText("Flask-free hello from port 8888");
  const previewUrl = new URL(preview.url());
  expect(previewUrl.hostname).toMatch(/^8888-ses-[0-9a-f]+\.preview\.localhost$/);
  expect(previewUrl.origin).not.toBe(new URL(baseURL ?? "").origin);
  expect(previewUrl.pathname).toBe("/");
  // The app's scripts see none of Drydock's cookies, not even the preview's own.
  expect(await preview.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe("");
  // The grant was traded for a cookie: later requests (a reload) need nothing more.
  expect((await preview.reload())?.status()).toBe(200);
  await expect(preview.getByRole("heading")).toHaveText("Flask-free hello from port 8888");

  // Latency of a small GET through the whole path: browser → web gateway → agent → sandbox.
  const timings = await preview.evaluate(async () => {
    const measured: number[] = [];
    for (let index = 0; index < 100; index++) {
      const started = performance.now();
      await (await fetch(`/index.html?n=${index}`)).text();
      measured.push(performance.now() - started);
    }
    return measured.sort((a, b) => a - b);
  });
  const p50 = timings[49] ?? 0;
  console.info(`preview GET through the browser's whole path: p50 ${p50.toFixed(1)} ms, p95 ${(timings[94] ?? 0).toFixed(1)} ms`);
  expect(p50).toBeLessThan(100);

  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    const refused = await other.goto(previewUrl.href);
    expect(refused?.status()).toBe(403);
    await expect(other.getByRole("heading")).toHaveText("This preview is private");
    // Nor can a stranger mint the grant through the owner's link.
    const openLink = new URL((await link.getAttribute("href")) ?? "", baseURL).href;
    expect((await other.goto(openLink))?.status()).toBe(404);
  } finally {
    await stranger.close();
  }

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Start" })).toBeVisible();
});
