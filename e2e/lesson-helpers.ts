import { type BrowserContext, expect, type Page } from "@playwright/test";

/** What a learner sees of the terminal: xterm's DOM renderer keeps one row per element. */
export function terminalText(page: Page) {
  return page.getByTestId("terminal").locator(".xterm-rows");
}

/** From the catalog to a started lesson with a prompt in its terminal. */
export async function startLesson(page: Page, title: string): Promise<void> {
  await page.goto("/");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });
}

/** Clicks the command block that starts with `command`, as a learner would. */
export async function runBlock(page: Page, command: string): Promise<void> {
  await page
    .getByRole("button", { name: `Run ${command}` })
    .first()
    .click();
}

/** Types into the terminal with the keyboard. */
export async function typeInTerminal(page: Page, line: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** Presses Check until the step passes (a build may still be running), and proves the result is shown inline. */
export async function passCheck(page: Page, timeout = 180_000): Promise<void> {
  const result = page.getByTestId("check-result");
  await expect(async () => {
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect(result).not.toHaveText("Checking…", { timeout: 150_000 });
    await expect(result).toHaveText("✓ Passed", { timeout: 1 });
  }).toPass({ timeout, intervals: [2_000, 3_000, 5_000] });
}

export async function nextPage(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^(Next|Begin)$/ }).click();
}

export async function expectStep(page: Page, number: number, title: string): Promise<void> {
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(`${number}. ${title}`);
}

/** Every request the browser makes goes to the web origin, except the previews, which open on their own origins on purpose. */
export function recordForeignRequests(context: BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === origin || url.protocol === "data:" || url.protocol === "blob:") return;
    if (/\.preview\.localhost$/.test(url.hostname)) return;
    foreign.push(request.url());
  });
  return foreign;
}

/** Opens the editor and makes a new file by typing its name, then its content, in Monaco. */
export async function typeNewFile(page: Page, path: string, lines: string[]): Promise<void> {
  await page.getByRole("tab", { name: "Editor" }).click();
  await page.getByRole("button", { name: "New file" }).click();
  await page.getByRole("textbox", { name: "New file name" }).fill(path);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("editor-file")).toHaveText(path);
  await typeInEditor(page, lines);
}

/** Types lines at the end of the open file, as a person would, one key at a time. */
export async function typeInEditor(page: Page, lines: string[]): Promise<void> {
  await page.getByTestId("monaco").locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+End");
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press("Enter");
    // The editor's own conveniences (indentation, closing brackets) are the learner's to undo: start each line clean.
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Delete");
  }
}

export async function saveInEditor(page: Page): Promise<void> {
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page.getByTestId("editor-file")).not.toContainText("unsaved");
}
