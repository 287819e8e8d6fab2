import { expect, test } from "@playwright/test";
import { terminalText } from "./lesson-helpers";

test("a start that fails shows its reason and a retry that works", async ({ page }) => {
  await page.goto("/lessons/commit-a-container");
  // The first start fails midway, as a sandbox that cannot come up would.
  await page.route("**/api/sessions", (route) =>
    route.fulfill({
      status: 200,
      contentType: "application/x-ndjson",
      body: `${JSON.stringify({ status: { sandboxId: "sbx_x", state: "starting", percent: 40, message: "Starting the engine" } })}\n${JSON.stringify({ error: "The engine did not answer within 30 s." })}\n`,
    }),
  );
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "could not start" })).toHaveText(
    "The sandbox could not start: The engine did not answer within 30 s.",
  );
  await expect(page.getByTestId("sandbox-state")).toHaveText("Failed to start");
  await page.unroute("**/api/sessions");

  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox");
});

test("the lesson page works from the keyboard: steps, tabs and the splitter", async ({ page }) => {
  await page.goto("/lessons/dockerfile-layers");
  const splitter = page.getByRole("separator", { name: "Resize the lesson and the terminal" });
  await splitter.focus();
  const before = Number(await splitter.getAttribute("aria-valuenow"));
  await page.keyboard.press("ArrowRight");
  await expect(splitter).toHaveAttribute("aria-valuenow", String(before + 2));
  await page.getByRole("button", { name: "Begin" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("1. Write a program and its Dockerfile");
  await expect(page.getByRole("heading", { level: 2 })).toBeFocused();
  await page.getByRole("tab", { name: "Terminal" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Editor" })).toHaveAttribute("aria-selected", "true");
});
