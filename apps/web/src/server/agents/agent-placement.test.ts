import { randomBytes } from "node:crypto";
import { AGENT_DOWN_AFTER_MS } from "@drydock/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../db";
import { HttpError } from "../http/http-error";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { type Placement, placeSession, recountPlaced } from "./agent-placement";

let test: TestDatabase;
beforeEach(async () => {
  test = await createTestDatabase();
});
afterEach(async () => {
  await test.remove();
});

const FALLBACK = "http://127.0.0.1:4100";

async function agent(
  db: Database,
  name: string,
  fields: { maxSandboxes: number; placed?: number; state?: string; heardMsAgo?: number; readySeats?: number },
) {
  const made = await db.agent.create({
    data: {
      id: `agt_${name}`,
      name,
      credentialHash: "00",
      publicUrl: `http://${name}.test:4100`,
      state: fields.state ?? "up",
      lastHeartbeatAt: new Date(Date.now() - (fields.heardMsAgo ?? 0)),
      maxSandboxes: fields.maxSandboxes,
      placed: fields.placed ?? 0,
      readySeats: fields.readySeats ?? 0,
    },
  });
  return made.id;
}

const newSession = () => ({
  id: `ses_${randomBytes(8).toString("hex")}`,
  visitorId: `vis_${randomBytes(8).toString("hex")}`,
  lessonId: null,
  workshopId: null,
  state: "starting",
});

describe("placement (real SQLite)", () => {
  it("without registered agents, records the session on AGENT_URL as one machine always did", async () => {
    const session = newSession();
    expect(await placeSession(test.db, session, FALLBACK)).toEqual({ agentId: null, agentUrl: FALLBACK });
    expect(await test.db.session.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({ agentUrl: FALLBACK, agentId: null });
  });

  it("places on the least loaded healthy agent, by share of its capacity, and records which", async () => {
    await agent(test.db, "busy", { maxSandboxes: 10, placed: 5 });
    const light = await agent(test.db, "light", { maxSandboxes: 10, placed: 2 });
    await agent(test.db, "full", { maxSandboxes: 3, placed: 3 });
    await agent(test.db, "down", { maxSandboxes: 10, state: "down" });
    await agent(test.db, "silent", { maxSandboxes: 10, heardMsAgo: AGENT_DOWN_AFTER_MS + 1_000 });
    const session = newSession();
    const placed = await placeSession(test.db, session, FALLBACK);
    expect(placed).toEqual({ agentId: light, agentUrl: "http://light.test:4100" });
    expect(await test.db.session.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject(placed);
    expect((await test.db.agent.findUniqueOrThrow({ where: { id: light } })).placed).toBe(3);
  });

  it("refuses with 503 and Retry-After when every registered agent is full or down, leaving no session behind", async () => {
    await agent(test.db, "full", { maxSandboxes: 1, placed: 1 });
    await agent(test.db, "down", { maxSandboxes: 5, state: "down" });
    const session = newSession();
    const refused = await placeSession(test.db, session, FALLBACK).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, headers: { "retry-after": "15" }, message: expect.stringMatching(/full or down/) });
    expect(await test.db.session.count()).toBe(0);
  });

  it("recounts an agent's places from its live sessions, so ended ones free their place", async () => {
    const id = await agent(test.db, "a", { maxSandboxes: 2 });
    const first = newSession();
    await placeSession(test.db, first, FALLBACK);
    await placeSession(test.db, newSession(), FALLBACK);
    await expect(placeSession(test.db, newSession(), FALLBACK)).rejects.toMatchObject({ status: 503 });
    await test.db.session.update({ where: { id: first.id }, data: { state: "gone" } });
    await recountPlaced(test.db);
    expect((await test.db.agent.findUniqueOrThrow({ where: { id } })).placed).toBe(1);
    expect((await placeSession(test.db, newSession(), FALLBACK)).agentId).toBe(id);
  });

  it("two web nodes (two database clients) placing 40 sandboxes at once never book an agent beyond its capacity nor place one twice", async () => {
    const capacities = { a: 3, b: 5, c: 7 };
    for (const [name, maxSandboxes] of Object.entries(capacities)) await agent(test.db, name, { maxSandboxes });
    const nodes = [openDatabase(test.url), openDatabase(test.url)];
    try {
      const sessions = Array.from({ length: 40 }, newSession);
      // Recounts run meanwhile, as every node's sweeper does.
      let placing = true;
      const recounting = (async () => {
        while (placing) await recountPlaced(nodes[0] as Database);
      })();
      const outcomes = await Promise.all(
        sessions.map((session, index) =>
          placeSession(nodes[index % 2] as Database, session, FALLBACK).then(
            (placement: Placement) => placement,
            (error: unknown) => error,
          ),
        ),
      );
      placing = false;
      await recounting;
      const placed = outcomes.filter((outcome): outcome is Placement => !(outcome instanceof Error));
      const refused = outcomes.filter((outcome) => outcome instanceof Error);
      expect(refused.every((error) => error instanceof HttpError && error.status === 503)).toBe(true);
      // Every place is taken: 3 + 5 + 7.
      expect(placed).toHaveLength(15);
      const rows = await test.db.session.findMany();
      expect(rows).toHaveLength(15);
      expect(new Set(rows.map((row) => row.id)).size).toBe(15);
      for (const [name, maxSandboxes] of Object.entries(capacities)) {
        const onIt = rows.filter((row) => row.agentId === `agt_${name}`);
        expect(onIt.length, `sessions on ${name}`).toBe(maxSandboxes);
        expect(onIt.every((row) => row.agentUrl === `http://${name}.test:4100`)).toBe(true);
      }
      await recountPlaced(test.db);
      const agents = await test.db.agent.findMany({ orderBy: { name: "asc" } });
      expect(agents.map((row) => row.placed)).toEqual([3, 5, 7]);
    } finally {
      await Promise.all(nodes.map((node) => node.$disconnect()));
    }
  });
});
