import { expect, test } from "@playwright/test";

/**
 * A page's script that fails to load (here the first one, aborted as a
 * dropped connection would; in CI, Chromium's "network changed" as Docker
 * adds a sandbox's interfaces) must not leave the page dead: it reloads
 * itself once and becomes usable.
 */
test("a page whose script failed to load reloads itself and becomes usable", async ({ page }) => {
  let aborted = 0;
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    if (aborted > 0) return route.continue();
    aborted += 1;
    return route.abort("internetdisconnected");
  });
  await page.goto("/join?code=ABCDEF");
  await expect(page.getByLabel("Your name, as the room will see it")).toBeEnabled({ timeout: 30_000 });
  expect(aborted).toBe(1);
});
