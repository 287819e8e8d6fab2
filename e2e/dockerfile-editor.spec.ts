import { expect, type Page, test } from "@playwright/test";
import { nextPage, recordForeignRequests, saveInEditor, startLesson, terminalText, typeInTerminal } from "./lesson-helpers";

const MISSPELT = "`FORM` is not a Dockerfile instruction. Did you mean `FROM`?";
/** The problems line renders the backticked parts as code: its text has no backticks. */
const MISSPELT_TEXT = MISSPELT.replaceAll("`", "");

function editorLines(page: Page) {
  return page.getByTestId("monaco").locator(".view-lines");
}

/** Selects the first `length` characters of line `lineNumber` (1-based) with the keyboard, as a learner would. */
async function selectStartOfLine(page: Page, lineNumber: number, length: number): Promise<void> {
  await editorLines(page).click();
  await page.keyboard.press("ControlOrMeta+Home");
  for (let line = 1; line < lineNumber; line++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  for (let step = 0; step < length; step++) await page.keyboard.press("Shift+ArrowRight");
}

test("the Dockerfile editor explains a misspelt instruction as it is typed, completes instructions, documents them, and still saves", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const foreign = recordForeignRequests(context, new URL(baseURL ?? "").origin);
  await startLesson(page, "A Dockerfile and its layers");
  await nextPage(page);

  // Lab 2's Dockerfile, from its file block: correct, so nothing is flagged.
  await page.getByRole("button", { name: "Write Dockerfile in the editor" }).click();
  await expect(page.getByTestId("editor-file")).toHaveText("Dockerfile");
  await expect(editorLines(page)).toContainText("FROM debian:bookworm-slim");
  const problems = page.getByTestId("dockerfile-problems");
  await expect(problems).toHaveCount(0);

  // A slip of the fingers: FROM typed as FORM.
  await selectStartOfLine(page, 1, 4);
  await page.keyboard.type("FORM");
  await expect(problems).toContainText(`Line 1 ${MISSPELT_TEXT}`);
  await expect(problems.getByRole("listitem")).toHaveCount(1);
  // The service's own words, close to what `docker build` prints, stay beside the explanation.
  await expect(problems).toContainText("Docker's words: Unknown instruction: FORM");
  const squiggle = page.getByTestId("monaco").locator(".squiggly-error");
  await expect(squiggle).toHaveCount(1);
  // The marker's own message, on hover over the word.
  await editorLines(page)
    .locator(".view-line", { hasText: "FORM debian" })
    .hover({ position: { x: 12, y: 8 } });
  await expect(page.locator(".monaco-hover").filter({ hasText: MISSPELT })).toBeVisible();

  // The diagnostic never blocks a save: the misspelt file reaches the sandbox as it is.
  await saveInEditor(page);
  await page.getByRole("tab", { name: "Terminal" }).click();
  await typeInTerminal(page, 'echo "first line: $(head -n 1 Dockerfile)"');
  await expect(terminalText(page)).toContainText("first line: FORM debian:bookworm-slim");

  // Corrected with the quick fix the diagnostic offers (Ctrl+.), the diagnostic goes.
  await page.getByRole("tab", { name: "Editor" }).click();
  await selectStartOfLine(page, 1, 1);
  await page.keyboard.press("ControlOrMeta+.");
  await page.locator(".action-widget").getByText("Change to FROM").click();
  await expect(editorLines(page)).toContainText("FROM debian:bookworm-slim");
  await expect(problems).toHaveCount(0);
  await expect(squiggle).toHaveCount(0);

  // Completion offers instructions: EXP on a new last line suggests EXPOSE, whose snippet asks for the port.
  await editorLines(page).click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("EXP");
  const suggestions = page.locator(".suggest-widget .monaco-list-row");
  await expect(suggestions.filter({ hasText: "EXPOSE" }).first()).toBeVisible();
  await page.keyboard.press("Enter");
  await page.keyboard.type("8080");
  await expect(editorLines(page)).toContainText("EXPOSE 8080");
  await expect(problems).toHaveCount(0);

  // Hover documents an instruction.
  await editorLines(page)
    .locator(".view-line", { hasText: "RUN apt-get" })
    .hover({ position: { x: 8, y: 8 } });
  await expect(page.locator(".monaco-hover").filter({ hasText: "Execute any commands on top of the current image" })).toBeVisible();

  // A malformed CMD list is flagged as the learner types it. The closing ] is typed too: whether Monaco has
  // auto-closed the [ by then depends on when its bracket rules load, and either way the line ends the same.
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type('CMD ["node" "index.js"]');
  await expect(editorLines(page)).toContainText('CMD ["node" "index.js"]');
  await expect(problems).toContainText("a comma is missing between");

  expect(foreign).toEqual([]);
});
