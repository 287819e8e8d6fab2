import { type Browser, expect, type Page, test } from "@playwright/test";
import { type RunningDrydock, startDrydock } from "../scripts/lib/drydock-server";
import { createInstructorWithAdminCommand, type InstructorAccount, signInAsInstructor } from "./instructor-helpers";
import { E2E_FLEET } from "./playwright.config";

/**
 * Instructor accounts and workshop management as instructors meet them, on a
 * Drydock of its own (E2E_WEB_PORT + 6) with a fresh database: the first-run
 * page is there only while no instructor exists, so the suite's shared
 * database could not show it twice. Further accounts come from the operator's
 * command, `npm run admin`, run for real against that database.
 */
const fleet = `${E2E_FLEET}-instructors`;
const SIGN_INS_PER_MINUTE = 15;
let drydock: RunningDrydock;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  drydock = await startDrydock({
    webPort: Number(process.env.E2E_WEB_PORT ?? 3100) + 6,
    agentPort: Number(process.env.E2E_AGENT_PORT ?? 4200) + 6,
    fleet,
    // Room for this file's sign-ins within a minute, then the last test meets the limit.
    env: { POOL_SIZE: "0", SIGN_INS_PER_ADDRESS_PER_MINUTE: String(SIGN_INS_PER_MINUTE) },
  });
});

test.afterAll(async () => {
  await drydock?.stop();
});

const owner: InstructorAccount = { name: "Olive Owner", email: "olive@example.org", password: "a sturdy pass phrase" };
const co = { name: "Cole Co", email: "cole@example.org", password: "another sturdy phrase" };
const stranger = { name: "Stan Stranger", email: "stan@example.org", password: "yet another phrase" };

const createInstructor = (account: InstructorAccount) => createInstructorWithAdminCommand(drydock.databaseUrl, account);

async function newInstructorPage(browser: Browser, account: InstructorAccount): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsInstructor(page, drydock.base, account);
  return page;
}

test("the first instructor sets Drydock up, signs out, and signs in again; a wrong password gets one plain message", async ({
  page,
  context,
}) => {
  await page.goto(`${drydock.base}/instructor`);
  await expect(page).toHaveURL(/\/instructor\/setup$/);
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("E-mail").fill(owner.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create the account and sign in" }).click();
  await expect(page.getByRole("form", { name: "First instructor account" }).getByRole("alert")).toContainText(
    "The password is too short (5 characters)",
  );
  // Nothing typed is lost.
  await expect(page.getByLabel("Your name")).toHaveValue(owner.name);
  await expect(page.getByLabel("E-mail")).toHaveValue(owner.email);

  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Create the account and sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your workshops" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${owner.name}`)).toBeVisible();

  const cookie = (await context.cookies()).find((c) => c.name === "drydock_instructor");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  // A cookie's expiry is kept in whole seconds (rounded up): up to a second past 14 days is 14 days.
  const seconds = (cookie?.expires ?? 0) - Date.now() / 1000;
  expect(seconds).toBeGreaterThan(13.9 * 86_400);
  expect(seconds).toBeLessThanOrEqual(14 * 86_400 + 1);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "drydock_instructor")).toBeUndefined();
  await page.goto(`${drydock.base}/instructor`);
  await expect(page).toHaveURL(/\/instructor\/login\?next=%2Finstructor$/);

  // The first-run page is done for good.
  await page.goto(`${drydock.base}/instructor/setup`);
  await expect(page.getByText("An instructor account exists already")).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();

  const signInForm = page.getByRole("form", { name: "Instructor sign-in" });
  await page.getByLabel("E-mail").fill(owner.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(signInForm.getByRole("alert")).toHaveText(
    "That e-mail and password do not match an instructor account. Check both and try again.",
  );
  await page.getByLabel("E-mail").fill("nobody@example.org");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(signInForm.getByRole("alert")).toHaveText(
    "That e-mail and password do not match an instructor account. Check both and try again.",
  );
  await expect(page.getByLabel("E-mail")).toHaveValue("nobody@example.org");

  await page.getByLabel("E-mail").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`Signed in as ${owner.name}`)).toBeVisible();
});

test("a workshop of two lessons is shared with an invited co-instructor and stays hidden from any other instructor", async ({
  browser,
}) => {
  expect(await createInstructor(co)).toMatch(/^Created instructor Cole Co <cole@example.org>/);
  await createInstructor(stranger);

  const ownerPage = await newInstructorPage(browser, owner);
  const form = ownerPage.getByRole("form", { name: "New workshop" });
  const title = "<b>Docker</b> day";
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Add a lesson").selectOption({ label: "A Dockerfile and its layers" });
  await form.getByRole("button", { name: "Add lesson" }).click();
  await form.getByLabel("Add a lesson").selectOption({ label: "Commit a container" });
  await form.getByRole("button", { name: "Add lesson" }).click();
  await form.getByRole("button", { name: "Move Commit a container up" }).click();
  await form.getByLabel("Capacity").fill("12");
  await form.getByLabel("Memory per seat (MiB)").fill("999999");
  await form.getByRole("button", { name: "Create workshop" }).click();
  await expect(form.getByRole("alert")).toHaveText(/Memory per seat: at most \d+ MiB, this deployment's limit per sandbox\./);
  await expect(form.getByLabel("Title")).toHaveValue(title);
  await expect(form.getByRole("list", { name: "Chosen lessons" }).getByRole("listitem")).toHaveText([
    /1\. Commit a container/,
    /2\. A Dockerfile and its layers/,
  ]);

  await form.getByLabel("Memory per seat (MiB)").fill("512");
  await form.getByRole("button", { name: "Create workshop" }).click();
  await expect(form.getByRole("status")).toHaveText(/^Created “<b>Docker<\/b> day”: join code [A-HJ-NP-Z2-9]{6}\.$/);

  // The title is text, never markup.
  const link = ownerPage.getByRole("link", { name: title });
  await expect(link).toBeVisible();
  const row = ownerPage.getByRole("row").filter({ has: link });
  await expect(row).toContainText("Commit a container → A Dockerfile and its layers");
  await expect(row).toContainText("Draft");
  await expect(row).toContainText("0 / 12");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/instructor\/workshops\/wks_[0-9a-f]+$/);
  const workshopId = href?.split("/").pop() ?? "";

  await ownerPage.goto(`${drydock.base}/instructor/workshops/${workshopId}/settings`);
  await ownerPage.getByLabel("Invite a co-instructor by e-mail").fill("nobody@example.org");
  await ownerPage.getByRole("button", { name: "Invite" }).click();
  await expect(ownerPage.getByRole("region", { name: "Instructors" }).getByRole("alert")).toContainText(
    "No instructor has the e-mail nobody@example.org",
  );
  await ownerPage.getByLabel("Invite a co-instructor by e-mail").fill(co.email);
  await ownerPage.getByRole("button", { name: "Invite" }).click();
  await expect(ownerPage.getByRole("list", { name: "Instructors of this workshop" })).toContainText(
    `${co.name} <${co.email}> · co-instructor`,
  );
  await ownerPage.getByRole("button", { name: "Open for joining" }).click();
  await expect(ownerPage.getByRole("button", { name: "Start the workshop" })).toBeVisible();

  const coPage = await newInstructorPage(browser, co);
  const coRow = coPage.getByRole("row").filter({ has: coPage.getByRole("link", { name: title }) });
  await expect(coRow).toContainText("Co-instructor");
  await expect(coRow).toContainText("Open for joining");
  await coPage.goto(`${drydock.base}/instructor/workshops/${workshopId}/settings`);
  await expect(coPage.getByRole("button", { name: "Start the workshop" })).toBeVisible();
  await expect(coPage.getByText("Only the owner invites co-instructors.")).toBeVisible();
  await expect(coPage.getByRole("button", { name: "Delete workshop" })).toHaveCount(0);

  const strangerPage = await newInstructorPage(browser, stranger);
  await expect(strangerPage.getByText("None yet")).toBeVisible();
  await expect(strangerPage.getByRole("link", { name: title })).toHaveCount(0);
  const settings = await strangerPage.goto(`${drydock.base}/instructor/workshops/${workshopId}/settings`);
  expect(settings?.status()).toBe(404);
  const api = await strangerPage.request.get(`${drydock.base}/api/instructor/workshops/${workshopId}`);
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: "No such workshop among the ones you run." });
  const renamed = await strangerPage.request.put(`${drydock.base}/api/instructor/workshops/${workshopId}`, {
    headers: { origin: drydock.base },
    data: { title: "Mine now" },
  });
  expect(renamed.status()).toBe(404);
});

test("another site's page cannot sign in, sign out or change a workshop", async ({ request }) => {
  const foreign = { origin: "http://evil.example" };
  for (const [method, path] of [
    ["POST", "/api/instructor/login"],
    ["POST", "/api/instructor/logout"],
    ["POST", "/api/instructor/workshops"],
    ["PUT", "/api/instructor/workshops/wks_1"],
    ["DELETE", "/api/instructor/workshops/wks_1"],
  ]) {
    const answer = await request.fetch(`${drydock.base}${path}`, { method, headers: foreign, data: {} });
    expect(answer.status(), `${method} ${path}`).toBe(403);
  }
});

test("sign-in attempts beyond the address's rate are refused at the door with the wait", async ({ request }) => {
  const statuses: number[] = [];
  let refusal: { status: number; retryAfter?: string; body: unknown } | undefined;
  for (let attempt = 0; attempt <= SIGN_INS_PER_MINUTE && !refusal; attempt++) {
    const answer = await request.post(`${drydock.base}/api/instructor/login`, {
      data: { email: owner.email, password: `guess ${attempt}` },
    });
    statuses.push(answer.status());
    if (answer.status() === 429) refusal = { status: 429, retryAfter: answer.headers()["retry-after"], body: await answer.json() };
  }
  expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
  expect(refusal?.body).toEqual({
    error: expect.stringMatching(/^Too many sign-in attempts from your address\. Wait \d+ s, then try again\.$/),
  });
  expect(Number(refusal?.retryAfter)).toBeGreaterThan(0);
});
