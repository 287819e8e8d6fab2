import { expect, test } from "@playwright/test";
import {
  expectStep,
  nextPage,
  passCheck,
  recordForeignRequests,
  runBlock,
  saveInEditor,
  startLesson,
  terminalText,
  typeInEditor,
  typeNewFile,
} from "./lesson-helpers";

test("a newcomer completes lab 2, A Dockerfile and its layers, writing files in the editor", async ({ page, context, baseURL }) => {
  test.setTimeout(900_000);
  const foreign = recordForeignRequests(context, new URL(baseURL ?? "").origin);
  await startLesson(page, "A Dockerfile and its layers");
  await nextPage(page);

  await expectStep(page, 1, "Write a program and its Dockerfile");
  // index.js typed key by key in Monaco, saved with Ctrl+S.
  await typeNewFile(page, "index.js", [
    'var os = require("os");',
    "var hostname = os.hostname();",
    'console.log("hello from " + hostname);',
  ]);
  await expect(page.getByTestId("editor-file")).toContainText("unsaved");
  await saveInEditor(page);
  // The Dockerfile from its file block: opened in the editor with the lesson's content, and saved.
  await page.getByRole("button", { name: "Write Dockerfile in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("Dockerfile");
  await expect(page.getByTestId("monaco").locator(".view-lines")).toContainText("FROM debian:bookworm-slim");
  await expect(page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "Dockerfile" })).toBeVisible();
  await runBlock(page, "ls -l");
  await expect(terminalText(page)).toContainText("index.js");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 2, "Build the image");
  await runBlock(page, "docker image build -t hello:v0.1 .");
  await passCheck(page, 600_000);
  await nextPage(page);

  await expectStep(page, 3, "Run it, and read its history");
  await runBlock(page, "docker container run hello:v0.1");
  await expect(terminalText(page)).toContainText("hello from");
  await runBlock(page, "docker image history hello:v0.1");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 4, "Change the program and build again");
  await page.getByRole("tab", { name: "Editor" }).click();
  await page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "index.js" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("index.js");
  await typeInEditor(page, ['console.log("this is v0.2");']);
  // Autosave: no Ctrl+S this time.
  await expect(page.getByTestId("editor-file")).not.toContainText("unsaved", { timeout: 10_000 });
  await runBlock(page, "docker image build -t hello:v0.2 .");
  // BuildKit names the image at the end of its output.
  await expect(terminalText(page)).toContainText("naming to docker.io/library/hello:v0.2", { timeout: 300_000 });
  await runBlock(page, "docker container run hello:v0.2");
  await passCheck(page, 300_000);
  await nextPage(page);

  await expectStep(page, 5, "Look inside: the layers images share");
  await runBlock(page, "docker image pull debian:bookworm-slim");
  await page.getByText("Solution", { exact: true }).click();
  await runBlock(page, 'docker image inspect --format "{{ index .RootFS.Layers 0 }}" debian:bookworm-slim > shared-layer.txt');
  // A file made in the terminal appears in the editor's tree.
  await page.getByRole("tab", { name: "Editor" }).click();
  await expect(page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "shared-layer.txt" })).toBeVisible();
  await passCheck(page);

  await page.goto("/");
  await expect(page.getByTestId("progress-dockerfile-layers")).toHaveText("Completed");
  expect(foreign).toEqual([]);
});
