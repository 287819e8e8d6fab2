import { randomBytes } from "node:crypto";
import { AGENT_DOWN_AFTER_MS } from "@drydock/protocol";
import { createLogger } from "@drydock/server-kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebContext } from "../context";
import { type Database, openDatabase } from "../db";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { seedInstructor, seedSeat, seedWorkshop } from "../workshops/testing/workshop-fixtures";
import { MACHINE_WENT_AWAY, sweepAgents } from "./agent-sweeper";

let test: TestDatabase;
beforeEach(async () => {
  test = await createTestDatabase();
});
afterEach(async () => {
  await test.remove();
});

/** The parts of a web node the sweep uses; the rooms and budget only count what they are told. */
function node(db: Database) {
  const told = { released: 0, seatsChanged: [] as string[], tunnelsDropped: [] as string[] };
  const ctx = {
    db,
    log: createLogger("test", () => {}),
    agents: { tunnels: { drop: (agentId: string) => told.tunnelsDropped.push(agentId) } },
    budget: { released: () => (told.released += 1) },
    rooms: { seatsChanged: (id: string) => told.seatsChanged.push(id), meterChanged: () => {} },
  } as unknown as WebContext;
  const started: { visitorId: string; lessonId: string | null }[] = [];
  const starter = { start: async (visitorId: string, lessonId: string | null) => void started.push({ visitorId, lessonId }) };
  return { ctx, starter, started, told };
}

async function agent(name: string, heardMsAgo: number) {
  await test.db.agent.create({
    data: {
      id: `agt_${name}`,
      name,
      credentialHash: "00",
      publicUrl: `http://${name}.test`,
      state: "up",
      lastHeartbeatAt: new Date(Date.now() - heardMsAgo),
      maxSandboxes: 5,
      placed: 2,
    },
  });
}

async function session(agentName: string, visitorId: string, workshopId: string | null = null) {
  const id = `ses_${randomBytes(6).toString("hex")}`;
  await test.db.session.create({
    data: {
      id,
      visitorId,
      lessonId: "commit-a-container",
      workshopId,
      agentId: `agt_${agentName}`,
      agentUrl: `http://${agentName}.test`,
      sandboxId: "sbx",
      state: "ready",
    },
  });
  return id;
}

describe("the agents' sweep (real SQLite)", () => {
  it("marks an agent silent for four heartbeats down, ends its sessions as 'your machine went away' and prepares its unclaimed seats again", async () => {
    await agent("alive", 1_000);
    await agent("dead", AGENT_DOWN_AFTER_MS + 500);
    const workshop = await seedWorkshop(test.db, await seedInstructor(test.db));
    const prepared = await seedSeat(test.db, workshop.id, null);
    const claimed = await seedSeat(test.db, workshop.id, "Ada");
    const onDead = [
      await session("dead", "vis_learner"),
      await session("dead", prepared.visitorId, workshop.id),
      await session("dead", claimed.visitorId, workshop.id),
    ];
    const onAlive = await session("alive", "vis_other");

    const { ctx, starter, started, told } = node(test.db);
    await sweepAgents(ctx, starter);

    const agents = await test.db.agent.findMany({ orderBy: { name: "asc" } });
    expect(agents.map((row) => [row.name, row.state])).toEqual([
      ["alive", "up"],
      ["dead", "down"],
    ]);
    const ended = await test.db.session.findMany({ where: { id: { in: onDead } } });
    expect(ended.map((row) => [row.state, row.failure])).toEqual(onDead.map(() => ["gone", MACHINE_WENT_AWAY]));
    expect(ended.every((row) => row.endedAt instanceof Date)).toBe(true);
    expect((await test.db.session.findUniqueOrThrow({ where: { id: onAlive } })).state).toBe("ready");
    // Only the seat nobody sits in is prepared again; the attendee sees the message and starts again with one click.
    expect(started).toEqual([{ visitorId: prepared.visitorId, lessonId: "commit-a-container" }]);
    expect(told.released).toBe(1);
    expect(told.seatsChanged).toEqual([workshop.id]);
    // Places are recounted: the dead agent holds none any more, the live one its one session.
    expect(agents.map((row) => row.placed)).toEqual([1, 0]);
  });

  it("is idempotent and safe on several web nodes at once: the agent goes down once, its seats are prepared once", async () => {
    await agent("dead", AGENT_DOWN_AFTER_MS + 500);
    const workshop = await seedWorkshop(test.db, await seedInstructor(test.db));
    const prepared = await seedSeat(test.db, workshop.id, null);
    await session("dead", prepared.visitorId, workshop.id);
    const clients = [openDatabase(test.url), openDatabase(test.url), openDatabase(test.url)];
    try {
      const nodes = clients.map(node);
      await Promise.all(nodes.map(({ ctx, starter }) => sweepAgents(ctx, starter)));
      await Promise.all(nodes.map(({ ctx, starter }) => sweepAgents(ctx, starter)));
      expect(nodes.flatMap((each) => each.started)).toHaveLength(1);
      expect(nodes.reduce((sum, each) => sum + each.told.released, 0)).toBe(1);
      expect((await test.db.agent.findUniqueOrThrow({ where: { name: "dead" } })).state).toBe("down");
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("ends the sessions of a revoked agent and closes its tunnels, and leaves a silent agent's sessions alone until four heartbeats have passed", async () => {
    await agent("quiet", AGENT_DOWN_AFTER_MS - 3_000);
    await agent("revoked", 0);
    await test.db.agent.update({ where: { name: "revoked" }, data: { revokedAt: new Date(), state: "down" } });
    const quiet = await session("quiet", "vis_a");
    const revoked = await session("revoked", "vis_b");
    const { ctx, starter, told } = node(test.db);
    await sweepAgents(ctx, starter);
    expect(told.tunnelsDropped).toEqual(["agt_revoked"]);
    expect((await test.db.session.findUniqueOrThrow({ where: { id: quiet } })).state).toBe("ready");
    expect(await test.db.session.findUniqueOrThrow({ where: { id: revoked } })).toMatchObject({
      state: "gone",
      failure: MACHINE_WENT_AWAY,
    });
    await sweepAgents(ctx, starter, Date.now() + 3_500);
    expect(await test.db.session.findUniqueOrThrow({ where: { id: quiet } })).toMatchObject({ state: "gone", failure: MACHINE_WENT_AWAY });
  });
});
