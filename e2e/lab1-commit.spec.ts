import { expect, test } from "@playwright/test";
import {
  expectStep,
  nextPage,
  passCheck,
  recordForeignRequests,
  runBlock,
  startLesson,
  terminalText,
  typeInTerminal,
} from "./lesson-helpers";

test("a newcomer completes lab 1, Commit a container, in the browser", async ({ page, context, baseURL }) => {
  test.setTimeout(600_000);
  const foreign = recordForeignRequests(context, new URL(baseURL ?? "").origin);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await startLesson(page, "Commit a container");
  await nextPage(page);

  await expectStep(page, 1, "Start a container with a shell in it");
  await runBlock(page, "docker container run -ti debian:bookworm bash");
  await expect(terminalText(page)).toContainText(/root@[0-9a-f]{12}:\/#/, { timeout: 120_000 });
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 2, "Install a program inside it");
  await runBlock(page, "apt-get update");
  await expect(terminalText(page)).toContainText("Reading package lists... Done", { timeout: 300_000 });
  await runBlock(page, "apt-get install -y figlet");
  await expect(terminalText(page)).toContainText("Setting up figlet", { timeout: 300_000 });
  await runBlock(page, 'figlet "hello docker"');
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 3, "Leave it, and find it again");
  await typeInTerminal(page, "exit");
  await runBlock(page, "docker container ls -a");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 4, "See what changed, and commit it");
  await runBlock(page, "CONTAINER_ID=$(docker container ls -a -l -q)");
  await runBlock(page, "docker container diff $CONTAINER_ID");
  await runBlock(page, "docker container commit $CONTAINER_ID");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 5, "Give the image a name");
  // A copy block puts its text on the clipboard.
  await page.getByRole("button", { name: "Copy docker image tag IMAGE_ID ourfiglet" }).click();
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    ),
  ).toBe("docker image tag IMAGE_ID ourfiglet");
  await runBlock(page, "IMAGE_ID=$(docker image ls -q --filter dangling=true)");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 6, "Run your own image");
  await runBlock(page, "docker container run ourfiglet figlet hello");
  await passCheck(page);
  await expect(page.getByRole("button", { name: /Step 6: .*\(passed\)/ })).toBeVisible();
  await nextPage(page);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("Done: an image of your own");

  // The catalog remembers, after a reload too.
  await page.goto("/");
  await expect(page.getByTestId("progress-commit-a-container")).toHaveText("Completed");
  expect(foreign).toEqual([]);
});
