import { randomBytes } from "node:crypto";
import { removeFleet } from "@drydock/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetSandboxes, type RunningDrydock, startDrydock, waitUntil } from "../../../../../scripts/lib/drydock-server";

/**
 * The start budget against a real Drydock: the built web app, a real agent,
 * real sandboxes. Limits: 1 sandbox per visitor, 2 in the deployment, 9
 * start attempts per address per minute (every request here comes from 127.0.0.1).
 * The tests run in order and share the budget: each says what it spends.
 */
const fleet = `${process.env.DRYDOCK_TEST_FLEET_PREFIX ?? "test"}-budget-${randomBytes(3).toString("hex")}`;
let drydock: RunningDrydock;

const LESSON = "commit-a-container";
const sameOrigin = () => ({ origin: drydock.base, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" });

async function start(
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { error?: string; id?: string }; response: Response }> {
  const response = await fetch(`${drydock.base}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: string; id?: string }, response };
}

function visitorCookie(response: Response): string {
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie?.startsWith("drydock_visitor=")) throw new Error(`No visitor cookie in ${response.headers.get("set-cookie")}`);
  return cookie;
}

beforeAll(async () => {
  drydock = await startDrydock({
    webPort: Number(process.env.TEST_WEB_PORT ?? 3190),
    agentPort: Number(process.env.TEST_AGENT_PORT ?? 4290),
    fleet,
    env: {
      POOL_SIZE: "0",
      SANDBOXES_PER_VISITOR: "1",
      MAX_LIVE_SANDBOXES: "2",
      STARTS_PER_ADDRESS_PER_MINUTE: "9",
      SANDBOX_IDLE_SECONDS: "600",
    },
  });
});

afterAll(async () => {
  await drydock?.stop();
});

describe("the start budget, through the real web app", () => {
  it("refuses requests it must not serve, before any sandbox is asked for (spends 2 attempts: the 400 and the 404)", async () => {
    const foreign = await start({ lessonId: LESSON }, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error).toMatch(/another site \(http:\/\/evil\.example\)/);

    const browserWithoutOrigin = await start({ lessonId: LESSON }, { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" });
    expect(browserWithoutOrigin.status).toBe(403);
    expect(browserWithoutOrigin.json.error).toMatch(/no Origin header/);

    const foreignDelete = await fetch(`${drydock.base}/api/sessions/ses_1`, {
      method: "DELETE",
      headers: { origin: "http://evil.example" },
    });
    expect(foreignDelete.status).toBe(403);

    const unknownKey = await start({ lesson: "../../etc/passwd" }, sameOrigin());
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.json.error).toMatch(/"lesson"/);
    expect(unknownKey.json.error).toMatch(/\{"lessonId": "<a lesson id>"\}/);

    const unknownLesson = await start({ lessonId: "../../etc/passwd" }, sameOrigin());
    expect(unknownLesson.status).toBe(404);
    expect(unknownLesson.json.error).toMatch(/no lesson "\.\.\/\.\.\/etc\/passwd"/);

    expect(await fleetSandboxes(fleet)).toEqual([]);
  });

  let visitorA = "";
  let sessionOfA = "";
  it("holds one sandbox per lesson and visitor: a second start of the same lesson replaces the first (spends 2 starts)", async () => {
    const first = await start(undefined, sameOrigin());
    expect(first.status, first.json.error).toBe(201);
    visitorA = visitorCookie(first.response);
    const [firstSandbox] = await fleetSandboxes(fleet);
    expect(firstSandbox).toBeDefined();

    const again = await start(undefined, { ...sameOrigin(), cookie: visitorA });
    expect(again.status, again.json.error).toBe(201);
    sessionOfA = again.json.id ?? "";
    expect(again.json.id).not.toBe(first.json.id);
    await waitUntil("the replaced sandbox is removed", async () => {
      const left = await fleetSandboxes(fleet);
      return left.length === 1 && left[0] !== firstSandbox;
    });
  });

  it("refuses a visitor a sandbox beyond their cap, with when one frees up (spends 1 start)", async () => {
    const other = await start({ lessonId: LESSON }, { ...sameOrigin(), cookie: visitorA });
    expect(other.status).toBe(429);
    expect(other.json.error).toMatch(/already has 1 sandboxes.*about (10|9) minutes/);
    expect(["600", "540"]).toContain(other.response.headers.get("retry-after"));
    expect(await fleetSandboxes(fleet)).toHaveLength(1);
  });

  it("answers 503 with an estimate while the deployment is full, and starts again once a place is freed (spends 4 attempts)", async () => {
    const second = await start(undefined);
    expect(second.status, second.json.error).toBe(201);
    expect(await fleetSandboxes(fleet)).toHaveLength(2);

    for (let attempt = 0; attempt < 2; attempt++) {
      // The first is refused by the reservation, the second (the deployment was just found full) at the door: the same answer.
      const full = await start(undefined);
      expect(full.status).toBe(503);
      // Both sessions were active within the last minute or so and may idle 10 minutes: the first frees up in about 10 (9 on a slow machine).
      expect(full.json.error).toMatch(/^Drydock is full — a sandbox frees up in about (10|9) minutes\. Try again then\.$/);
      expect(["600", "540"]).toContain(full.response.headers.get("retry-after"));
    }
    expect(await fleetSandboxes(fleet)).toHaveLength(2);

    const ended = await fetch(`${drydock.base}/api/sessions/${encodeURIComponent(sessionOfA)}`, {
      method: "DELETE",
      headers: { cookie: visitorA },
    });
    expect(ended.status).toBe(204);
    const afterEnd = await start(undefined);
    expect(afterEnd.status, afterEnd.json.error).toBe(201);
    await waitUntil("A's sandbox is removed", async () => (await fleetSandboxes(fleet)).length === 2);
  });

  it("refuses an address that started too many in the last minute, as the page would see it", async () => {
    // The tenth attempt within the minute, as the lesson page sends it (streaming): refused before the stream, readable.
    const limited = await start({ lessonId: LESSON }, { ...sameOrigin(), accept: "application/x-ndjson" });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatch(/Too many sandboxes were started from your address in the last minute\. Try again in \d+ s\./);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await fleetSandboxes(fleet)).toHaveLength(2);
  });
});

describe("the budget trusts the engine over its records", () => {
  const engineFleet = `${fleet}-engine`;
  let other: RunningDrydock;

  beforeAll(async () => {
    other = await startDrydock({
      webPort: Number(process.env.TEST_WEB_PORT ?? 3190) + 1,
      agentPort: Number(process.env.TEST_AGENT_PORT ?? 4290) + 1,
      fleet: engineFleet,
      env: { POOL_SIZE: "0", SANDBOXES_PER_VISITOR: "1", MAX_LIVE_SANDBOXES: "1", STARTS_PER_ADDRESS_PER_MINUTE: "60" },
    });
  });

  afterAll(async () => {
    await other?.stop();
  });

  const startOn = async (drydockUnderTest: RunningDrydock) => {
    const response = await fetch(`${drydockUnderTest.base}/api/sessions`, { method: "POST", headers: { origin: drydockUnderTest.base } });
    return { status: response.status, json: (await response.json()) as { error?: string } };
  };

  it("frees the places of sandboxes removed behind its back (npm run stop, a lost machine) instead of staying full for hours", async () => {
    const first = await startOn(other);
    expect(first.status, first.json.error).toBe(201);
    expect((await startOn(other)).status).toBe(503);

    // What `npm run stop` does: the sandboxes go, the sessions' records stay "ready".
    await removeFleet(engineFleet);
    expect(await fleetSandboxes(engineFleet)).toEqual([]);

    let status = 0;
    await waitUntil("a start is admitted again", async () => {
      status = (await startOn(other)).status;
      return status !== 503;
    });
    expect(status).toBe(201);
    expect(await fleetSandboxes(engineFleet)).toHaveLength(1);
  });
});
