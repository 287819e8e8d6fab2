import { expect, type Page, test } from "@playwright/test";
import { recordForeignRequests, terminalText, typeInTerminal } from "./lesson-helpers";

const LESSON = "dockerfile-layers";

/** Lab 2's program and Dockerfile, written from the terminal as a learner could. */
const FILES = [
  "cat > index.js <<'EOF'",
  'var os = require("os");',
  'console.log("hello from " + os.hostname());',
  "EOF",
  "cat > Dockerfile <<'EOF'",
  "FROM debian:bookworm-slim",
  "RUN apt-get update && apt-get install -y --no-install-recommends nodejs",
  "COPY . /app",
  "WORKDIR /app",
  'CMD ["node", "index.js"]',
  "EOF",
];

const imagesPanel = (page: Page) => page.locator("#panel-images");
/** An image's column in the panel, found by one of its tags. */
const stack = (page: Page, tag: string) => imagesPanel(page).locator(`[data-tags~="${tag}"]`);
const layer = (page: Page, tag: string, instruction: RegExp) => stack(page, tag).getByRole("button", { name: instruction });

async function showTab(page: Page, name: "Terminal" | "Images"): Promise<void> {
  await page.getByRole("tab", { name, exact: true }).click();
  await expect(page.getByRole("tab", { name, exact: true })).toHaveAttribute("aria-selected", "true");
}

async function build(page: Page, tag: string): Promise<void> {
  await showTab(page, "Terminal");
  await typeInTerminal(page, `docker build -t ${tag} .`);
  await expect(terminalText(page)).toContainText(`naming to docker.io/library/${tag}`, { timeout: 600_000 });
}

test("the Images panel draws lab 2's builds as stacks of layers, marks cached steps and shared layers, and follows a tag", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(900_000);
  const foreign = recordForeignRequests(context, new URL(baseURL ?? "").origin);
  await page.goto(`/lessons/${LESSON}`);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });

  // Loaded only when opened: nothing of the panel is on the page before.
  await expect(imagesPanel(page)).toBeEmpty();
  // The tabs go round with the arrow keys: left from Terminal is Images.
  await page.getByRole("tab", { name: "Terminal", exact: true }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("tab", { name: "Images", exact: true })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tab", { name: "Images", exact: true })).toBeFocused();
  await expect(imagesPanel(page).getByText("No images yet — build one with docker build")).toBeVisible();

  await showTab(page, "Terminal");
  for (const line of FILES) await typeInTerminal(page, line);
  await build(page, "hello:v0.1");

  await showTab(page, "Images");
  await expect(stack(page, "hello:v0.1")).toBeVisible({ timeout: 10_000 });
  const install = layer(page, "hello:v0.1", /RUN apt-get update && apt-get install/);
  await expect(install).toBeVisible();
  // The full instruction is the layer's tooltip; its size and how it was made are in its accessible name.
  await expect(install).toHaveAttribute("title", "RUN apt-get update && apt-get install -y --no-install-recommends nodejs");
  await expect(install).toHaveAccessibleName(/MB; ran in the last build/);
  await expect(layer(page, "hello:v0.1", /^Step 5 of 5: CMD \["node" "index\.js"\]; no layer/)).toBeVisible();
  await expect(stack(page, "hello:v0.1").getByText("last build")).toBeVisible();

  // Change the program and rebuild: the install step comes from the cache, the copy runs again.
  await showTab(page, "Terminal");
  await typeInTerminal(page, "echo 'console.log(\"this is v0.2\");' >> index.js");
  await build(page, "hello:v0.2");

  await showTab(page, "Images");
  const cachedInstall = layer(page, "hello:v0.2", /RUN apt-get update && apt-get install/);
  await expect(cachedInstall).toHaveAccessibleName(/reused from the build cache.*; shared with hello:v0\.1$/, { timeout: 10_000 });
  await expect(cachedInstall.getByText("CACHED", { exact: true })).toBeVisible();
  // BuildKit printed CACHED for the install only: COPY and the WORKDIR after it ran again.
  await expect(imagesPanel(page).getByText("2 images. Last build: hello:v0.2, 1 of 3 steps from the cache.")).toBeVisible();
  await expect(layer(page, "hello:v0.2", /COPY \. \/app/)).toHaveAccessibleName(/ran in the last build/);
  await expect(layer(page, "hello:v0.2", /COPY \. \/app/)).not.toHaveAccessibleName(/shared with/);
  // A shared layer is the same element in both stacks: pointing at one lights up the other.
  const sameLayerInV1 = layer(page, "hello:v0.1", /RUN apt-get update && apt-get install/);
  await expect(sameLayerInV1).toHaveAccessibleName(/shared with hello:v0\.2/);
  await cachedInstall.focus();
  await expect(sameLayerInV1).toHaveClass(/\blinked\b/);
  await cachedInstall.click();
  await expect(imagesPanel(page).getByRole("region", { name: "The selected layer" })).toContainText("the same layer is in hello:v0.1");

  // A tag appears as it happens, without a reload.
  await showTab(page, "Terminal");
  await typeInTerminal(page, "docker tag hello:v0.2 hello:latest");
  await showTab(page, "Images");
  await expect(stack(page, "hello:latest").getByRole("heading")).toContainText("hello:v0.2", { timeout: 5_000 });

  await test.info().attach("images panel", { body: await imagesPanel(page).screenshot(), contentType: "image/png" });
  // Readable in the other theme too.
  await page.getByRole("button", { name: /theme/i }).click();
  await expect(stack(page, "hello:v0.1")).toBeVisible();
  await test.info().attach("images panel, other theme", { body: await imagesPanel(page).screenshot(), contentType: "image/png" });
  expect(foreign).toEqual([]);
});
