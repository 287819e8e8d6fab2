import { expect, test } from "@playwright/test";
import { expectStep, nextPage, passCheck, saveInEditor, startLesson, terminalText, typeInTerminal, typeNewFile } from "./lesson-helpers";

const PROGRAM = ['var os = require("os");', 'console.log("hello from " + os.hostname());'];

test("a network drop and a reload mid-lesson find the same shell, the same files and the same progress", async ({ page }) => {
  await startLesson(page, "A Dockerfile and its layers");
  await nextPage(page);
  await typeNewFile(page, "index.js", PROGRAM);
  await saveInEditor(page);
  await page.getByRole("button", { name: "Write Dockerfile in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("Dockerfile");
  await passCheck(page);
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "MARK=kept-in-this-shell; echo before-the-reload");
  await expect(terminalText(page)).toContainText("before-the-reload");

  // A network drop: the sockets come back on their own, to the same shell.
  await page.context().setOffline(true);
  await page.waitForTimeout(2_000);
  await page.context().setOffline(false);
  await expect(async () => {
    await typeInTerminal(page, "echo after-the-drop-$MARK");
    await expect(terminalText(page)).toContainText("after-the-drop-kept-in-this-shell", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await page.reload();
  // No Start: the page attaches to the running sandbox, at the first step not passed yet.
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready");
  await expectStep(page, 2, "Build the image");
  await expect(page.getByRole("button", { name: /^Step 1: .*\(passed\)$/ })).toBeVisible();
  // The shell's scrollback is replayed, and its variables are still set.
  await expect(terminalText(page)).toContainText("before-the-reload");
  await typeInTerminal(page, "echo mark=$MARK");
  await expect(terminalText(page)).toContainText("mark=kept-in-this-shell");
  await page.getByRole("tab", { name: "Editor" }).click();
  const tree = page.getByRole("navigation", { name: "Files" });
  await expect(tree.getByRole("button", { name: "index.js" })).toBeVisible();
  await tree.getByRole("button", { name: "index.js" }).click();
  await expect(page.getByTestId("monaco").locator(".view-lines")).toContainText('console.log("hello from " + os.hostname());');
});

test("Reset gives a fresh sandbox with the files the learner saved, and keeps the progress", async ({ page }) => {
  await startLesson(page, "A web app in an image");
  await nextPage(page);
  await typeNewFile(page, "notes.txt", ["my own notes"]);
  await saveInEditor(page);
  await page.getByRole("button", { name: "Write app.py in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("app.py");
  await page.getByRole("button", { name: "Write templates/index.html in the editor" }).click();
  await passCheck(page);
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "touch made-in-the-terminal.txt; echo old-sandbox");
  await expect(terminalText(page)).toContainText("old-sandbox");

  await page.getByRole("button", { name: "Reset", exact: true }).click();
  await page.getByRole("button", { name: "Yes, reset" }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).not.toContainText("old-sandbox", { timeout: 30_000 });
  await expect(terminalText(page)).toContainText("root@sandbox");

  // The saved files and the lesson's own are back; what was only made in the old sandbox is not.
  await typeInTerminal(page, "ls -1 . static templates; cat notes.txt");
  await expect(terminalText(page)).toContainText("my own notes");
  await expect(terminalText(page)).toContainText("app.py");
  await expect(terminalText(page)).toContainText("index.html");
  await expect(terminalText(page)).toContainText("margherita.svg");
  await expect(terminalText(page)).not.toContainText("made-in-the-terminal.txt");
  await expectStep(page, 1, "Write the app");
  await expect(page.getByRole("button", { name: /^Step 1: .*\(passed\)$/ })).toBeVisible();
  await passCheck(page);
});

test("the editor follows changes made in the terminal, and a file changed on both sides is not overwritten silently", async ({ page }) => {
  await startLesson(page, "A Dockerfile and its layers");
  await typeNewFile(page, "notes.txt", ["first line"]);
  await saveInEditor(page);
  const lines = page.getByTestId("monaco").locator(".view-lines");

  // A clean buffer follows the file.
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "echo from-the-terminal >> notes.txt");
  await page.getByRole("tab", { name: "Editor" }).click();
  await expect(lines).toContainText("from-the-terminal");

  // Both sides: the terminal writes while the learner is still typing.
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "(sleep 2; echo second-from-the-terminal >> notes.txt) &");
  await page.getByRole("tab", { name: "Editor" }).click();
  await lines.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("typed while the terminal wrote", { delay: 120 });
  const conflict = page.getByRole("alert").filter({ hasText: "changed in the sandbox" });
  await expect(conflict).toBeVisible();
  // Autosave holds off; the learner chooses.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId("editor-file")).toContainText("unsaved");
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(page.getByTestId("editor-file")).not.toContainText("unsaved");
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "clear; tail -n 1 notes.txt; grep -q second-from notes.txt || echo only-mine-$((40 + 2))");
  await expect(terminalText(page)).toContainText("typed while the terminal wrote");
  await expect(terminalText(page)).toContainText("only-mine-42");
});
