import { expect, type Page, test } from "@playwright/test";
import Docker from "dockerode";
import { saveInEditor, startLesson, terminalText, typeInTerminal, typeNewFile } from "./lesson-helpers";
import { E2E_FLEET } from "./playwright.config";

const docker = new Docker();

/**
 * The container of the sandbox a learner was handed last in the e2e fleet:
 * the one whose assignment is newest (tests run one at a time; pooled
 * sandboxes have no assignment).
 */
async function newestLearnerContainer(): Promise<Docker.ContainerInfo> {
  const [containers, { Volumes }] = await Promise.all([
    docker.listContainers({ filters: { label: ["io.drydock.role=sandbox", `io.drydock.fleet=${E2E_FLEET}`] } }),
    docker.listVolumes({ filters: { label: ["io.drydock.role=sandbox-assignment"] } }),
  ]);
  const assignedAt = new Map(
    (Volumes ?? []).map((volume) => [
      volume.Labels?.["io.drydock.sandbox-id"],
      Date.parse((volume as { CreatedAt?: string }).CreatedAt ?? ""),
    ]),
  );
  const assigned = containers.filter((container) => assignedAt.has(container.Labels["io.drydock.sandbox-id"]));
  const newest = assigned.sort(
    (a, b) => (assignedAt.get(b.Labels["io.drydock.sandbox-id"]) ?? 0) - (assignedAt.get(a.Labels["io.drydock.sandbox-id"]) ?? 0),
  )[0];
  if (!newest) throw new Error(`no learner's sandbox in fleet ${E2E_FLEET}`);
  return newest;
}

/** What a crash or an operator does: the container removed from under the learner. */
async function loseSandbox(): Promise<void> {
  await docker.getContainer((await newestLearnerContainer()).Id).remove({ force: true });
}

async function expectLost(page: Page): Promise<void> {
  // Within seconds, not at the next sweep.
  const notice = page.getByRole("alert").filter({ hasText: "Your sandbox was lost." });
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await expect(notice).toContainText("Your saved files and your progress are safe");
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox lost");
  await expect(page.getByTestId("terminal")).toHaveCount(0);
}

test("a sandbox lost under the learner's page is reported at once, and one button brings back a prompt with the saved files", async ({
  page,
}) => {
  await startLesson(page, "A Dockerfile and its layers");
  await typeNewFile(page, "kept.txt", ["saved before the loss"]);
  await saveInEditor(page);
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, "echo from-the-lost-sandbox > only-in-the-sandbox.txt");

  await loseSandbox();
  await expectLost(page);

  await page.getByRole("button", { name: "Start a new sandbox with my files" }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });
  await typeInTerminal(page, "cat kept.txt; ls");
  await expect(terminalText(page)).toContainText("saved before the loss");
  await expect(terminalText(page)).not.toContainText("only-in-the-sandbox.txt");
});

test("after a reload, a lost sandbox is not attached as if it ran: the page offers a new one", async ({ page }) => {
  await startLesson(page, "A Dockerfile and its layers");
  await loseSandbox();
  await expectLost(page);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "A Dockerfile and its layers" })).toBeVisible();
  await expect(page.getByTestId("sandbox-state")).not.toHaveText("Sandbox ready");
  await expect(page.getByTestId("terminal")).toHaveCount(0);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });
});
