import { expect, type Page, test } from "@playwright/test";
import { expectStep, nextPage, passCheck, runBlock, startLesson, terminalText, typeInTerminal } from "./lesson-helpers";

/**
 * The lesson format's promises in the browser, on the test lessons in
 * e2e/lessons: a step's setup runs when the step is opened (once per
 * sandbox), a step that must pass holds Next until its check passes, the
 * lesson's own workspace, its files byte for byte and with their modes, and
 * a setup that fails said plainly without stopping the learner.
 */

const stepLink = (page: Page, number: number) =>
  page.getByRole("navigation", { name: "Steps" }).getByRole("button", { name: new RegExp(`^Step ${number}:`) });

test("a step's setup runs when the step opens, once; a step that must pass holds Next until it passes", async ({ page }) => {
  test.setTimeout(300_000);
  await startLesson(page, "Format promises (a test lesson)");
  // The lesson's own workspace: the shell starts there.
  await expect(terminalText(page)).toContainText("root@sandbox:~/project#");
  await nextPage(page);

  await expectStep(page, 1, "A step prepared for you");
  // Opening the step ran its setup: the file it made shows in the editor's tree of the workspace.
  await page.getByRole("tab", { name: "Editor" }).click();
  await expect(page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "prepared.txt" })).toBeVisible({
    timeout: 60_000,
  });
  // Next waits for the check, and says why; the later steps are closed too.
  const next = page.getByRole("button", { name: "Next", exact: true });
  await expect(next).toBeDisabled();
  await expect(page.getByTestId("next-closed")).toHaveText(
    "Pass this step's check to go on: this lesson asks for each of its steps to pass before the next.",
  );
  await expect(stepLink(page, 2)).toBeDisabled();
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByTestId("check-result")).toHaveText("✗ Run touch done-1 first.");
  await expect(next).toBeDisabled();

  await runBlock(page, "touch done-1");
  await passCheck(page);
  await expect(next).toBeEnabled();
  await expect(page.getByTestId("next-closed")).toHaveCount(0);
  await nextPage(page);

  await expectStep(page, 2, "Files as the lesson made them");
  // Its check is optional: Next is open before it passes.
  await expect(next).toBeEnabled();
  await runBlock(page, "./bin/hello.sh && drydock-e2e-tool && touch seen-2");
  await expect(terminalText(page)).toContainText("hello from a script that stayed executable");
  await expect(terminalText(page)).toContainText("tool-ok");
  // The check proves the picture's bytes, the modes, the tool outside the workspace and the checks' folder.
  await passCheck(page);

  // Back to step 1 and forward again: its setup does not run a second time.
  await stepLink(page, 1).click();
  await expectStep(page, 1, "A step prepared for you");
  await nextPage(page);
  await expectStep(page, 2, "Files as the lesson made them");
  await typeInTerminal(page, "echo setups=$(wc -l < /root/.setup-count)");
  await expect(terminalText(page)).toContainText("setups=1");
  // Step 3 is open (step 2's check is optional), step 4 waits for step 3.
  await expect(stepLink(page, 3)).toBeEnabled();
  await expect(stepLink(page, 4)).toBeDisabled();

  // A reload attaches to the same sandbox: the setup still counts as run there.
  await page.reload();
  await expectStep(page, 3, "A server in the foreground");
  await stepLink(page, 1).click();
  await expectStep(page, 1, "A step prepared for you");
  await typeInTerminal(page, "echo after-reload=$(wc -l < /root/.setup-count)");
  await expect(terminalText(page)).toContainText("after-reload=1");
});

test("a step whose setup fails says so plainly, and the learner carries on", async ({ page }) => {
  test.setTimeout(300_000);
  await startLesson(page, "A setup that fails (a test lesson)");
  await nextPage(page);
  await expectStep(page, 1, "Carry on anyway");
  await expect(page.getByTestId("setup-failure")).toContainText(
    "Preparing this step in your sandbox failed: the package mirror is unreachable.",
    { timeout: 60_000 },
  );
  await runBlock(page, "touch carried-on");
  await passCheck(page);
});
