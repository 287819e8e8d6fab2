import { expect, test } from "@playwright/test";
import { expectStep, nextPage, passCheck, recordForeignRequests, runBlock, startLesson, terminalText } from "./lesson-helpers";

test("a newcomer completes lab 3, A web app in an image: the pizza page in a preview, the image pushed", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(900_000);
  const foreign = recordForeignRequests(context, new URL(baseURL ?? "").origin);
  await startLesson(page, "A web app in an image");
  await nextPage(page);

  await expectStep(page, 1, "Write the app");
  await page.getByRole("button", { name: "Write app.py in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("app.py");
  await page.getByRole("button", { name: "Write templates/index.html in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("templates/index.html");
  // The lesson's pictures were placed in the workspace before the first step.
  const tree = page.getByRole("navigation", { name: "Files" });
  await expect(tree.getByRole("button", { name: "margherita.svg" })).toBeVisible();
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 2, "Write the Dockerfile");
  await page.getByRole("button", { name: "Write Dockerfile in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("Dockerfile");
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 3, "Build the image");
  await runBlock(page, "echo $DRYDOCK_USER");
  await expect(terminalText(page)).toContainText(/learner[0-9a-f]{16}/);
  await runBlock(page, "docker build -t $DRYDOCK_USER/myfirstapp .");
  await passCheck(page, 600_000);
  await runBlock(page, "docker image ls");
  await nextPage(page);

  await expectStep(page, 4, "Run it and open it");
  await runBlock(page, "docker run -d -p 8888:5000 --name myfirstapp $DRYDOCK_USER/myfirstapp");
  await runBlock(page, "docker logs -f myfirstapp");
  await expect(terminalText(page)).toContainText("Running on", { timeout: 60_000 });
  // The published port shows up as a chip; it opens the app on its own preview origin.
  const chip = page.getByRole("navigation", { name: "Open ports" }).getByRole("link", { name: "Open port 8888 in a new tab" });
  await expect(chip).toBeVisible({ timeout: 30_000 });
  const [preview] = await Promise.all([context.waitForEvent("page"), chip.click()]);
  await expect(preview.getByRole("heading", { name: "Here is a pizza for you" })).toBeVisible();
  const picture = preview.getByRole("img");
  await expect(picture).toHaveAttribute("src", /^\/static\/(margherita|pepperoni|funghi)\.svg$/);
  await expect.poll(() => picture.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  expect(new URL(preview.url()).hostname).toMatch(/^8888-ses-[0-9a-f]+\.preview\.localhost$/);
  await preview.close();
  // The lesson's own link to the app leads there too.
  const [linked] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "open the app" }).click()]);
  await expect(linked.getByRole("heading", { name: "Here is a pizza for you" })).toBeVisible();
  await linked.close();
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 5, "Push it to a registry");
  // This block presses Ctrl-C first: `docker logs -f` still runs in the foreground.
  await runBlock(page, "docker tag $DRYDOCK_USER/myfirstapp $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp");
  await runBlock(page, "docker login $DRYDOCK_REGISTRY");
  await expect(terminalText(page)).toContainText("Login Succeeded", { timeout: 60_000 });
  await runBlock(page, "docker push $DRYDOCK_REGISTRY/$DRYDOCK_USER/myfirstapp");
  await expect(terminalText(page)).toContainText("latest: digest: sha256:", { timeout: 300_000 });
  await runBlock(page, "curl -s -u");
  await expect(terminalText(page)).toContainText('"tags":["latest"]');
  await passCheck(page);
  await nextPage(page);

  await expectStep(page, 6, "Stop and remove the container");
  await runBlock(page, "docker stop myfirstapp");
  await runBlock(page, "docker rm myfirstapp");
  await passCheck(page, 60_000);

  await page.goto("/");
  await expect(page.getByTestId("progress-flask-pizza")).toHaveText("Completed");
  expect(foreign).toEqual([]);
});
