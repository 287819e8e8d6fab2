import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { removeFleet } from "@drydock/engine";
import { expect, test } from "@playwright/test";
import { type AgentProcess, startAgentProcess } from "../apps/sandbox-agent/src/testing/agent-process";
import { issueAgent, revokeAgent } from "../apps/web/src/server/agents/agent-registry";
import { type Database, openDatabase } from "../apps/web/src/server/db";
import { saveInEditor, startLesson, terminalText, typeInTerminal, typeNewFile } from "./lesson-helpers";
import { E2E_FLEET } from "./playwright.config";

/**
 * Two sandbox hosts registered with the served web app (real agents of
 * fleets of their own on this host's engine, heartbeating with their
 * credentials). The learner's sandbox is placed on one; its agent is killed
 * with SIGKILL; the page says the machine went away, and its one button
 * starts a sandbox on the other host with the saved file. Both agents are
 * revoked at the end, which puts the web app back to its one agent for the
 * other specs.
 */
const webPort = Number(process.env.E2E_WEB_PORT ?? 3100);
const firstPort = Number(process.env.E2E_AGENT_PORT ?? 4200) + 1;
const names = ["one", "two"].map((name) => `${E2E_FLEET}-host-${name}-${randomBytes(2).toString("hex")}`);
const secret = process.env.DRYDOCK_AGENT_SECRET ?? readFileSync(new URL("../.drydock/agent-secret", import.meta.url), "utf8").trim();

let db: Database;
const agents = new Map<string, AgentProcess>();

test.beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the browser tests through npm test (scripts/test.sh sets it).");
  db = openDatabase(url);
  for (const [index, name] of names.entries()) {
    const { credential } = await issueAgent(db, name);
    const agent = await startAgentProcess({ fleet: name, secret }, firstPort + index, {
      CONTROL_PLANE_URL: `http://127.0.0.1:${webPort}`,
      DRYDOCK_AGENT_CREDENTIAL: credential,
      MAX_SANDBOXES: "2",
    });
    agents.set(name, agent);
  }
  await expect.poll(() => db.agent.count({ where: { name: { in: names }, state: "up" } }), { timeout: 60_000 }).toBe(2);
});

test.afterAll(async () => {
  for (const name of names) await revokeAgent(db, name).catch(() => undefined);
  for (const agent of agents.values()) if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill("SIGTERM");
  await Promise.all(names.map((name) => removeFleet(name)));
  await db.$disconnect();
});

test("when the learner's machine dies, the page says so and one button gives a sandbox on another machine with the saved files", async ({
  page,
}) => {
  await startLesson(page, "A Dockerfile and its layers");
  await typeNewFile(page, "kept.txt", ["saved before the machine died"]);
  await saveInEditor(page);
  await page.getByRole("tab", { name: "Terminal" }).click();

  const session = await db.session.findFirstOrThrow({ where: { state: "ready", agentId: { not: null } }, orderBy: { createdAt: "desc" } });
  const hostName = (await db.agent.findUniqueOrThrow({ where: { id: session.agentId ?? "" } })).name;
  agents.get(hostName)?.child.kill("SIGKILL");

  // Silent for 15 s, then marked down; the page hears it on its open socket.
  const notice = page.getByRole("alert").filter({ hasText: "Your sandbox was lost." });
  await expect(notice).toBeVisible({ timeout: 25_000 });
  await expect(notice).toContainText("Your machine went away");
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox lost");

  await page.getByRole("button", { name: "Start a new sandbox with my files" }).click();
  await expect(page.getByTestId("sandbox-state")).toHaveText("Sandbox ready", { timeout: 90_000 });
  await expect(terminalText(page)).toContainText("root@sandbox", { timeout: 30_000 });
  await typeInTerminal(page, "cat kept.txt");
  await expect(terminalText(page)).toContainText("saved before the machine died");
  const again = await db.session.findFirstOrThrow({
    where: { state: "ready", visitorId: session.visitorId },
    orderBy: { createdAt: "desc" },
  });
  expect(again.agentId).not.toBe(session.agentId);
  expect(again.agentId).not.toBeNull();
});
