import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import Docker from "dockerode";
import { saveInEditor, terminalText, typeInTerminal, typeNewFile } from "./lesson-helpers";
import { E2E_FLEET } from "./playwright.config";
import {
  e2eDatabase,
  instructorContext,
  joinAsAttendee,
  type SeededWorkshop,
  seatRow,
  seedInstructor,
  seedWorkshop,
} from "./workshop-helpers";

const docker = new Docker();

/**
 * One instructor and three attendees, each in a browser context of their own,
 * through a live workshop on the real agent: joining, the grid, watching and
 * typing with an attendee, hands, messages, a reset, a pause and a resume.
 */
test.describe
  .serial("a live workshop room", () => {
    let workshop: SeededWorkshop;
    let contexts: BrowserContext[] = [];
    let dashboard: Page;
    const attendees: Record<string, Page> = {};

    test.beforeAll(async ({ browser, baseURL }) => {
      const instructor = await seedInstructor("Grace Instructor");
      workshop = await seedWorkshop(instructor.id, {
        title: "Docker images, live",
        lessonIds: ["commit-a-container", "dockerfile-layers"],
        recordTerminals: true,
      });
      const teacher = await instructorContext(browser, baseURL as string, instructor.token);
      contexts.push(teacher);
      dashboard = await teacher.newPage();
      for (const name of ["Ada", "<b>Bo</b>", "Cy"]) {
        const context = await browser.newContext();
        contexts.push(context);
        attendees[name] = await context.newPage();
      }
    });

    test.afterAll(async () => {
      await Promise.all(contexts.map((context) => context.close()));
      contexts = [];
    });

    test("attendees join by code with a name and appear on the instructor's grid", async () => {
      await dashboard.goto(`/instructor/workshops/${workshop.id}`);
      await expect(dashboard.getByTestId("join-code")).toHaveText(workshop.code);
      await expect(dashboard.getByText("Nobody has joined yet")).toBeVisible();
      // A seat prepared ahead: its sandbox starts now, with the first lesson's files, and the first to join takes it.
      await dashboard.getByLabel("Seats ready").fill("1");
      await dashboard.getByRole("button", { name: "Prepare seats" }).click();
      await expect(dashboard.getByTestId("seat-meter")).toContainText("1 ready (1 waiting for an attendee)", { timeout: 120_000 });

      await (attendees.Ada as Page).goto(`/join?code=${workshop.code}`);
      // Attendees are told before they join that their terminals are recorded.
      await expect((attendees.Ada as Page).getByTestId("recording-notice")).toContainText("This workshop records your terminal");
      for (const [name, page] of Object.entries(attendees)) await joinAsAttendee(page, workshop.code, name);
      await expect(dashboard.getByTestId("seat-meter")).toContainText("(0 waiting for an attendee)");
      // Markup in a name is shown as text, never rendered.
      await expect(seatRow(dashboard, "<b>Bo</b>")).toContainText("<b>Bo</b>");
      await expect(dashboard.getByTestId("seat-grid").locator("tbody tr")).toHaveCount(3);
      for (const name of Object.keys(attendees)) await expect(seatRow(dashboard, name).locator(".presence.online")).toBeVisible();
      await dashboard.getByRole("button", { name: "Start the workshop" }).click();
      await expect(dashboard.getByTestId("workshop-state")).toHaveText("running");
    });

    test("a duplicate name and an unknown code are refused with what to do", async ({ browser }) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`/join?code=${workshop.code}`);
      await page.getByLabel("Your name, as the room will see it").fill("ada");
      await page.getByRole("button", { name: "Join", exact: true }).click();
      const refusal = page.locator(".panel-form").getByRole("alert");
      await expect(refusal).toContainText('Someone in this workshop already goes by "ada"');
      await page.getByLabel("Workshop code").fill("ZZZZZZ");
      await page.getByLabel("Your name, as the room will see it").fill("Dee");
      await page.getByRole("button", { name: "Join", exact: true }).click();
      await expect(refusal).toContainText('No workshop has the code "ZZZZZZ"');
      // What was typed stays.
      await expect(page.getByLabel("Your name, as the room will see it")).toHaveValue("Dee");
      await context.close();
    });

    test("an attendee's passed check reaches the grid", async () => {
      const ada = attendees.Ada as Page;
      await ada.getByRole("button", { name: "Begin" }).click();
      await expect(seatRow(dashboard, "Ada").locator("td.cell").first()).toHaveAttribute("data-state", "current");
      await ada.getByRole("button", { name: "Run docker container run -ti debian:bookworm bash" }).click();
      // The container's own prompt: its host name is its id.
      await expect(terminalText(ada)).toContainText(/root@[0-9a-f]{12}:\/#/, { timeout: 120_000 });
      await expect(async () => {
        await ada.getByRole("button", { name: "Check", exact: true }).click();
        await expect(ada.getByTestId("check-result")).toHaveText("✓ Passed", { timeout: 60_000 });
      }).toPass({ timeout: 180_000 });
      await expect(seatRow(dashboard, "Ada").locator("td.cell").first()).toHaveAttribute("data-state", "passed");
      await expect(seatRow(dashboard, "Ada")).toContainText("1/");
    });

    test("the instructor watches an attendee's terminal, then types with them under a banner", async () => {
      const bo = attendees["<b>Bo</b>"] as Page;
      await seatRow(dashboard, "<b>Bo</b>").getByRole("button", { name: "<b>Bo</b>" }).click();
      const panel = dashboard.getByTestId("seat-panel");
      await expect(panel.getByRole("heading", { name: "<b>Bo</b>" })).toBeVisible();
      const seatId = await panel.locator("[data-testid^='watch-seat_']").getAttribute("data-testid");
      expect(seatId).toMatch(/-read$/);
      await typeInTerminal(bo, "echo seen-by-the-$((6*7))-watcher");
      await expect(panel.locator(".xterm-rows")).toContainText("seen-by-the-42-watcher");

      dashboard.once("dialog", (dialog) => void dialog.accept());
      await panel.getByRole("button", { name: "Type with them" }).click();
      await expect(bo.getByTestId("takeover-banner")).toContainText("Grace Instructor (instructor) is typing in your terminal");
      await panel.locator(".xterm").click();
      await dashboard.keyboard.type("echo typed-by-$((40+2))-instructor");
      await dashboard.keyboard.press("Enter");
      await expect(terminalText(bo)).toContainText("typed-by-42-instructor");
      await panel.getByRole("button", { name: "Stop typing with them" }).click();
      await expect(bo.getByTestId("takeover-banner")).toHaveCount(0);
      const db = e2eDatabase();
      const logged = await db.takeover.findMany({ where: { seat: { workshopId: workshop.id } } });
      await db.$disconnect();
      expect(logged).toHaveLength(1);
      expect(logged[0]?.endedAt).not.toBeNull();
    });

    test("failing commands in an attendee's terminal raise the stuck radar, with the reason", async () => {
      const bo = attendees["<b>Bo</b>"] as Page;
      for (const attempt of [1, 2, 3]) await typeInTerminal(bo, `docker build -t try${attempt} ./no-such-folder`);
      await expect(dashboard.getByTestId("radar-<b>Bo</b>")).toContainText(/Probably stuck: 3 failed builds in \d+ min \(last exit 1\)/);
      await expect(seatRow(dashboard, "<b>Bo</b>").locator(".exit.bad")).toHaveCount(3);
    });

    test("a raised hand is claimed and resolved from the help queue", async () => {
      const cy = attendees.Cy as Page;
      await cy.getByRole("button", { name: "Raise hand" }).click();
      const hand = dashboard.getByTestId("hand-Cy");
      await expect(hand).toBeVisible();
      await expect(seatRow(dashboard, "Cy")).toContainText("✋");
      await hand.getByRole("button", { name: "Claim" }).click();
      await expect(hand).toContainText("yours");
      await hand.getByRole("button", { name: "Resolved" }).click();
      await expect(dashboard.getByTestId("help-queue")).toHaveCount(0);
      await expect(cy.getByRole("button", { name: "Raise hand" })).toBeVisible();
    });

    test("a message reaches every attendee", async () => {
      await dashboard.getByLabel("Message to everyone").fill("Break until 14:00 <script>");
      await dashboard.getByRole("button", { name: "Send", exact: true }).first().click();
      for (const page of Object.values(attendees)) {
        await expect(page.getByTestId("workshop-banner")).toContainText("Grace Instructor: Break until 14:00 <script>");
      }
    });

    test("present mode shows the instructor's own terminal on every attendee's page, read-only", async () => {
      await dashboard.getByRole("button", { name: "Present my terminal" }).click();
      const own = dashboard.getByTestId("watch-presenter-write");
      await expect(own.locator(".xterm-rows")).toContainText("root@sandbox", { timeout: 120_000 });
      await own.click();
      await dashboard.keyboard.type("echo presented-$((6*7))-to-the-room");
      await dashboard.keyboard.press("Enter");
      const cy = attendees.Cy as Page;
      await cy.getByRole("button", { name: "Watch the instructor's terminal" }).click();
      const shown = cy.getByTestId("watch-presenter-read");
      await expect(shown.locator(".xterm-rows")).toContainText("presented-42-to-the-room");
      // Read-only: what the attendee types there never reaches the instructor's shell.
      await shown.click();
      await cy.keyboard.type("echo from-an-attendee");
      await expect(own.locator(".xterm-rows")).not.toContainText("from-an-attendee");
      await dashboard.getByRole("button", { name: "Stop presenting" }).click();
      await expect(cy.getByTestId("watch-presenter-read")).toHaveCount(0);
    });

    test("a reset gives the attendee a fresh sandbox with their saved files", async () => {
      const cy = attendees.Cy as Page;
      await typeNewFile(cy, "notes.txt", ["kept across the reset"]);
      await saveInEditor(cy);
      await cy.getByRole("tab", { name: "Terminal" }).click();
      await typeInTerminal(cy, "touch only-in-the-old-sandbox");

      await seatRow(dashboard, "Cy").getByRole("button", { name: "Cy" }).click();
      // The page reloads onto the new sandbox once it is ready: mark this one to see it go.
      await cy.evaluate(() => Object.assign(globalThis, { beforeTheReset: true }));
      await dashboard.getByTestId("seat-panel").getByRole("button", { name: "Reset seat" }).click();
      await cy.waitForFunction(() => !("beforeTheReset" in globalThis), undefined, { timeout: 120_000 });
      await expect(terminalText(cy)).toContainText("root@sandbox", { timeout: 120_000 });
      await expect(async () => {
        await typeInTerminal(cy, "ls; cat notes.txt");
        await expect(terminalText(cy)).toContainText("kept across the reset", { timeout: 5_000 });
      }).toPass({ timeout: 60_000 });
      await expect(terminalText(cy)).not.toContainText("only-in-the-old-sandbox");
    });

    test("pausing freezes every seat's sandbox and resuming brings them back as they were", async () => {
      const ada = attendees.Ada as Page;
      await dashboard.getByRole("button", { name: "Pause all seats" }).click();
      for (const page of Object.values(attendees)) await expect(page.getByTestId("paused-notice")).toBeVisible();
      await expect(dashboard.getByTestId("workshop-state")).toHaveText("paused");
      const containers = await docker.listContainers({
        all: true,
        filters: { label: ["io.drydock.role=sandbox", `io.drydock.fleet=${E2E_FLEET}`] },
      });
      const seats = containers.filter((container) => container.State === "paused");
      expect(seats.length).toBeGreaterThanOrEqual(3);

      await dashboard.getByRole("button", { name: "Resume all seats" }).click();
      for (const page of Object.values(attendees)) await expect(page.getByTestId("paused-notice")).toHaveCount(0);
      await typeInTerminal(ada, "echo back-after-$((20+22))-resume");
      await expect(terminalText(ada)).toContainText("back-after-42-resume");
    });

    test("the instructor replays an attendee's recorded terminal", async () => {
      const db = e2eDatabase();
      const bo = await db.seat.findFirst({ where: { workshopId: workshop.id, name: "<b>Bo</b>" } });
      await db.$disconnect();
      const replay = await dashboard.context().newPage();
      await replay.goto(`/instructor/workshops/${workshop.id}/seats/${bo?.id}/recording`);
      const position = replay.getByRole("slider", { name: "Position" });
      await position.focus();
      await replay.keyboard.press("End");
      const screen = replay.getByTestId("recording-terminal").locator(".xterm-rows");
      await expect(screen).toContainText("seen-by-the-42-watcher");
      await expect(screen).toContainText("typed-by-42-instructor");
      await replay.close();
    });

    test("the report has a row per attendee and step, with the passed check", async () => {
      const response = await dashboard.request.get(`/api/workshops/${workshop.id}/report.csv`);
      expect(response.status()).toBe(200);
      const lines = (await response.text()).trim().split("\r\n");
      const header = (lines[0] ?? "").split(",");
      const rows = lines.slice(1);
      const steps = rows.filter((row) => row.startsWith("Ada,")).length;
      expect(steps).toBeGreaterThan(5);
      expect(rows).toHaveLength(3 * steps);
      const passedAt = header.indexOf("passed at");
      const adaFirst = (rows.find((row) => row.startsWith("Ada,")) ?? "").split(",");
      expect(adaFirst[passedAt]).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(rows.filter((row) => row.startsWith("<b>Bo</b>,"))).toHaveLength(steps);
    });

    test("a rejoin code moves an attendee's seat to another device", async ({ browser }) => {
      const ada = attendees.Ada as Page;
      await ada.goto("/workshop");
      const code = (await ada.getByTestId("rejoin-code").textContent()) ?? "";
      expect(code).toMatch(/^[A-Z2-9]{10}$/);
      const laptop = await browser.newContext();
      contexts.push(laptop);
      const page = await laptop.newPage();
      await page.goto("/join");
      await page.getByLabel("Your rejoin code").fill(code.toLowerCase());
      await page.getByRole("button", { name: "Rejoin" }).click();
      await expect(page.getByTestId("workshop-bar")).toBeVisible();
      await expect(terminalText(page)).toContainText("root@", { timeout: 60_000 });
      await page.goto("/workshop");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Docker images, live");
      await expect(page.getByText("You are Ada.")).toBeVisible();
      await expect(dashboard.getByTestId("seat-grid").locator("tbody tr")).toHaveCount(3);
    });

    test("an attendee never reaches the dashboard", async () => {
      const bo = attendees["<b>Bo</b>"] as Page;
      await bo.goto(`/instructor/workshops/${workshop.id}`);
      await expect(bo.getByTestId("seat-grid")).toHaveCount(0);
      await expect(bo).toHaveURL(/\/instructor\/login/);
    });
  });
