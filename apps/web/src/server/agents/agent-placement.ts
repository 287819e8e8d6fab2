import { AGENT_DOWN_AFTER_MS } from "@drydock/protocol";
import type { StartRecords } from "../budget/start-lock";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";

/** The session states that hold a place on an agent. */
export const PLACED_STATES = ["starting", "ready"];

/** A new session's record, without the agent it goes to. */
export interface UnplacedSession {
  id: string;
  visitorId: string;
  lessonId: string | null;
  workshopId: string | null;
  state: string;
}

/** Where a session went: a registered agent (agentId) or the one-machine AGENT_URL (agentId null). */
export interface Placement {
  agentId: string | null;
  agentUrl: string;
}

/** How long a start waits for a place to free when every healthy machine is full: a seat's start is retried. */
const FULL_RETRY_SECONDS = 15;

/**
 * The agents a new sandbox may go to, least loaded first: not revoked, up,
 * heard from within AGENT_DOWN_AFTER_MS, with room by the control plane's count.
 * Null when no agent is registered at all (the one-machine default).
 */
async function candidates(db: StartRecords, now: number) {
  const registered = await db.agent.findMany({
    where: { revokedAt: null },
    select: { id: true, publicUrl: true, state: true, lastHeartbeatAt: true, placed: true, maxSandboxes: true, readySeats: true },
  });
  if (registered.length === 0) return null;
  const fresh = now - AGENT_DOWN_AFTER_MS;
  return registered
    .filter(
      (agent): agent is typeof agent & { publicUrl: string } =>
        agent.state === "up" &&
        agent.publicUrl !== null &&
        (agent.lastHeartbeatAt?.getTime() ?? 0) >= fresh &&
        agent.placed < agent.maxSandboxes,
    )
    .sort((a, b) => a.placed / a.maxSandboxes - b.placed / b.maxSandboxes || b.readySeats - a.readySeats);
}

/**
 * Takes one place on the agent if it still has one: a single conditional
 * UPDATE (`placed < maxSandboxes`), atomic on SQLite and PostgreSQL alike,
 * so web nodes placing at once never book an agent beyond its capacity.
 */
async function takePlace(db: StartRecords, agentId: string): Promise<boolean> {
  const taken = await db.agent.updateMany({
    where: { id: agentId, state: "up", revokedAt: null, placed: { lt: db.agent.fields.maxSandboxes } },
    data: { placed: { increment: 1 } },
  });
  return taken.count === 1;
}

/**
 * Records a new session on the agent that should host it. With no agent
 * registered, on AGENT_URL as a one-machine deployment always did. Otherwise
 * on the least loaded healthy agent with room, or a 503 when there is none.
 *
 * The session row is written before its place is taken (and moved to the
 * next agent if that one filled meanwhile): the count that resets `placed`
 * (recountPlaced) then never misses a session whose place is taken.
 */
export async function placeSession(
  db: StartRecords,
  session: UnplacedSession,
  fallbackAgentUrl: string,
  now = Date.now(),
): Promise<Placement> {
  const agents = await candidates(db, now);
  if (agents === null) {
    await db.session.create({ data: { ...session, agentUrl: fallbackAgentUrl } });
    return { agentId: null, agentUrl: fallbackAgentUrl };
  }
  let recorded = false;
  for (const agent of agents) {
    const placement = { agentId: agent.id, agentUrl: agent.publicUrl };
    if (recorded) await db.session.update({ where: { id: session.id }, data: placement });
    else await db.session.create({ data: { ...session, ...placement } });
    recorded = true;
    if (await takePlace(db, agent.id)) return placement;
  }
  if (recorded) await db.session.delete({ where: { id: session.id } });
  throw new HttpError(
    agents.length === 0
      ? `No sandbox machine has room right now (every registered agent is full or down). Try again in ${FULL_RETRY_SECONDS} s.`
      : `Every sandbox machine filled up just now. Try again in ${FULL_RETRY_SECONDS} s.`,
    503,
    { "retry-after": String(FULL_RETRY_SECONDS) },
  );
}

/**
 * Frees the places of ended sessions: lowers each agent's `placed` to the
 * sessions that hold a place on it (a place frees when its session ends,
 * wherever that is recorded). A compare and set: the count is read after
 * `placed`, and written only if no place was taken in between, so a
 * concurrent placement is never lost from the count.
 *
 * It only ever lowers: a session's row is written before its place is taken,
 * so the count may include starts whose place is about to be taken; raising
 * `placed` to it would count those twice and refuse starts an agent has room for.
 */
export async function recountPlaced(db: Database): Promise<void> {
  const agents = await db.agent.findMany({ where: { revokedAt: null }, select: { id: true, placed: true } });
  for (const agent of agents) {
    const live = await db.session.count({ where: { agentId: agent.id, state: { in: PLACED_STATES } } });
    if (live >= agent.placed) continue;
    await db.agent.updateMany({ where: { id: agent.id, placed: agent.placed }, data: { placed: live } });
  }
}
