import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { acceptHeartbeat, issueAgent, listAgents, revokeAgent } from "./agent-registry";

let test: TestDatabase;
beforeEach(async () => {
  test = await createTestDatabase();
});
afterEach(async () => {
  await test.remove();
});

const heartbeat = {
  publicUrl: "http://127.0.0.1:5551/",
  labels: { zone: "a", size: "m" },
  capacity: { freeMemoryBytes: 8 * 2 ** 30, cpus: 2, load: 0.5, sandboxes: 1, readySeats: 2, maxSandboxes: 10 },
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: { status: number; message: string }) => ({ status: error.status, message: error.message }),
  );

describe("agent credentials and heartbeats (real SQLite)", () => {
  it("issues a credential shown once (only its hash is stored) and records the agent's heartbeat", async () => {
    const { credential } = await issueAgent(test.db, "host-a");
    expect(credential).toMatch(/^host-a\.[A-Za-z0-9_-]{43}$/);
    const row = await test.db.agent.findUniqueOrThrow({ where: { name: "host-a" } });
    expect(row.credentialHash).not.toContain(credential.split(".")[1]);
    expect(row.state).toBe("down");

    const answer = await acceptHeartbeat(test.db, `Bearer ${credential}`, heartbeat);
    expect(answer).toEqual({ agentId: row.id, name: "host-a", publicUrl: "http://127.0.0.1:5551", cameBack: false });
    const [listed] = await listAgents(test.db);
    expect(listed).toMatchObject({
      name: "host-a",
      state: "up",
      revoked: false,
      publicUrl: "http://127.0.0.1:5551",
      labels: { zone: "a", size: "m" },
      sandboxes: 1,
      readySeats: 2,
      maxSandboxes: 10,
      freeMemoryBytes: 8 * 2 ** 30,
    });
    expect(listed?.lastHeartbeatAt).toBeInstanceOf(Date);
  });

  it("says when an agent marked down reports again, so what it left behind can be removed", async () => {
    const { credential } = await issueAgent(test.db, "host-a");
    expect((await acceptHeartbeat(test.db, `Bearer ${credential}`, heartbeat)).cameBack).toBe(false);
    expect((await acceptHeartbeat(test.db, `Bearer ${credential}`, heartbeat)).cameBack).toBe(false);
    await test.db.agent.update({ where: { name: "host-a" }, data: { state: "down" } });
    expect((await acceptHeartbeat(test.db, `Bearer ${credential}`, heartbeat)).cameBack).toBe(true);
    expect((await acceptHeartbeat(test.db, `Bearer ${credential}`, heartbeat)).cameBack).toBe(false);
  });

  it("refuses a missing, malformed or wrong credential with 401 and says how to get one", async () => {
    const { credential } = await issueAgent(test.db, "host-a");
    for (const authorization of [
      null,
      "Basic x",
      "Bearer nodot",
      `Bearer ${credential}x`,
      "Bearer host-b.abc",
      `Bearer ${credential.toUpperCase()}`,
    ]) {
      const refused = await refusal(acceptHeartbeat(test.db, authorization, heartbeat));
      expect(refused.status).toBe(401);
      expect(refused.message).toMatch(/issue-agent --name NAME/);
    }
    expect((await test.db.agent.findUniqueOrThrow({ where: { name: "host-a" } })).state).toBe("down");
  });

  it("refuses a revoked credential with 401 naming the revocation, and a new issue replaces it", async () => {
    const first = await issueAgent(test.db, "host-a");
    await acceptHeartbeat(test.db, `Bearer ${first.credential}`, heartbeat);
    await revokeAgent(test.db, "host-a");
    const refused = await refusal(acceptHeartbeat(test.db, `Bearer ${first.credential}`, heartbeat));
    expect(refused).toMatchObject({ status: 401, message: expect.stringMatching(/"host-a" was revoked at .*issue-agent --name host-a/) });
    expect((await listAgents(test.db))[0]).toMatchObject({ state: "down", revoked: true });

    const second = await issueAgent(test.db, "host-a");
    expect(second.credential).not.toBe(first.credential);
    await acceptHeartbeat(test.db, `Bearer ${second.credential}`, heartbeat);
    expect((await refusal(acceptHeartbeat(test.db, `Bearer ${first.credential}`, heartbeat))).status).toBe(401);
  });

  it("refuses a second issue of a name in use, bad names, and revoking what is not there", async () => {
    await issueAgent(test.db, "host-a");
    expect(await refusal(issueAgent(test.db, "host-a"))).toMatchObject({ status: 409, message: expect.stringMatching(/Revoke it first/) });
    expect((await refusal(issueAgent(test.db, "Host A"))).status).toBe(400);
    expect((await refusal(issueAgent(test.db, "a.b"))).status).toBe(400);
    expect(await refusal(revokeAgent(test.db, "host-b"))).toMatchObject({
      status: 404,
      message: expect.stringMatching(/no agent "host-b"/),
    });
    await revokeAgent(test.db, "host-a");
    expect(await refusal(revokeAgent(test.db, "host-a"))).toMatchObject({ status: 404, message: expect.stringMatching(/revoked already/) });
  });

  it("refuses a heartbeat whose body is not the protocol's (400), recording nothing", async () => {
    const { credential } = await issueAgent(test.db, "host-a");
    for (const body of [
      null,
      {},
      { ...heartbeat, publicUrl: "ftp://x" },
      { ...heartbeat, capacity: { ...heartbeat.capacity, cpus: -1 } },
      { ...heartbeat, extra: 1 },
    ]) {
      const refused = await refusal(acceptHeartbeat(test.db, `Bearer ${credential}`, body));
      expect(refused.status).toBe(400);
      expect(refused.message).toMatch(/The heartbeat is not valid/);
    }
    expect((await test.db.agent.findUniqueOrThrow({ where: { name: "host-a" } })).lastHeartbeatAt).toBeNull();
  });
});
