import { AGENT_DOWN_AFTER_MS } from "@drydock/protocol";
import type { WebContext } from "../context";
import type { SessionStarter } from "../workshops/session-starter";
import { AgentRefusal } from "./agent-client";
import { PLACED_STATES, recountPlaced } from "./agent-placement";

/** What a learner whose agent died reads: their sandbox is gone, their saved files are not. */
export const MACHINE_WENT_AWAY =
  "Your machine went away: the computer running your sandbox stopped answering. Start again for a new sandbox on another machine; your saved files come with you.";

/** How often every web node looks for silent agents. */
export const SWEEP_INTERVAL_MS = 1_000;
/** Every so many sweeps the agents' places are recounted (one count per agent): ended sessions free their places this late at most. */
const RECOUNT_EVERY_SWEEPS = 5;

/**
 * A down agent's sessions are ended by the node that marked it down; one
 * that still holds live sessions this long after (that node died on the way)
 * is finished by any node.
 */
const BACKSTOP_AFTER_MS = 2 * AGENT_DOWN_AFTER_MS;

/**
 * One pass of the agents' sweep, run by every web node (idempotent, safe
 * concurrently): an agent silent for AGENT_DOWN_AFTER_MS is marked down,
 * its learners' sessions end as "your machine went away", and the workshop
 * seats prepared on it are prepared again on other agents. Then each
 * agent's count of places is brought back to its live sessions.
 */
export async function sweepAgents(ctx: WebContext, starter: SessionStarter, now = Date.now(), recount = true): Promise<void> {
  const { db, log } = ctx;
  const silentSince = new Date(now - AGENT_DOWN_AFTER_MS);
  const upButSilent = { state: "up", OR: [{ lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: silentSince } }] };
  const silent = await db.agent.findMany({
    where: upButSilent,
    select: { id: true, name: true, lastHeartbeatAt: true },
  });
  for (const agent of silent) {
    // Only one node wins the transition; it alone re-prepares the agent's seats.
    const marked = await db.agent.updateMany({
      where: { id: agent.id, ...upButSilent },
      data: { state: "down" },
    });
    if (marked.count === 0) continue;
    log.warn("agent.down", {
      agent: agent.name,
      lastHeartbeatAt: agent.lastHeartbeatAt,
      silentMs: now - (agent.lastHeartbeatAt?.getTime() ?? 0),
    });
    await endSessionsOf(ctx, [agent.id], starter);
  }
  // Revoked agents, and agents whose marking node died before ending their sessions.
  const stale = await db.agent.findMany({
    where: {
      state: "down",
      OR: [{ revokedAt: { not: null } }, { lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: new Date(now - BACKSTOP_AFTER_MS) } }],
    },
    select: { id: true, revokedAt: true },
  });
  // A revoked credential keeps no connection: the tunnels it opened to this node close (its redials are refused).
  for (const agent of stale) if (agent.revokedAt) ctx.agents.tunnels.drop(agent.id);
  if (stale.length > 0)
    await endSessionsOf(
      ctx,
      stale.map((agent) => agent.id),
      starter,
    );
  if (recount) await recountPlaced(db);
}

/** Ends the live sessions of dead agents, tells their rooms, and prepares again the unclaimed seats among them. */
async function endSessionsOf(ctx: WebContext, agentIds: string[], starter: SessionStarter): Promise<void> {
  const { db, log } = ctx;
  const sessions = await db.session.findMany({
    where: { agentId: { in: agentIds }, state: { in: PLACED_STATES } },
    select: { id: true, visitorId: true, lessonId: true, workshopId: true },
  });
  if (sessions.length === 0) return;
  const ended = await db.session.updateMany({
    where: { id: { in: sessions.map((session) => session.id) }, state: { in: PLACED_STATES } },
    data: { state: "gone", failure: MACHINE_WENT_AWAY, endedAt: new Date() },
  });
  if (ended.count === 0) return;
  ctx.budget.released();
  log.warn("agent.sessions_lost", { agentIds, sessions: ended.count });
  const workshops = new Set(sessions.flatMap((session) => (session.workshopId ? [session.workshopId] : [])));
  for (const workshopId of workshops) {
    ctx.rooms.seatsChanged(workshopId);
    ctx.rooms.meterChanged(workshopId);
  }
  const seated = sessions.filter((session) => session.workshopId);
  const unclaimed = await db.seat.findMany({
    where: { visitorId: { in: seated.map((session) => session.visitorId) }, name: null },
    select: { id: true, visitorId: true },
  });
  for (const seat of unclaimed) {
    const lessonId = seated.find((session) => session.visitorId === seat.visitorId)?.lessonId ?? null;
    void starter.start(seat.visitorId, lessonId).then(
      () => log.info("workshop.seat_prepared_again", { seatId: seat.id }),
      (error: unknown) => log.warn("workshop.seat_not_prepared", { seatId: seat.id, error }),
    );
  }
}

/** Sweeps every SWEEP_INTERVAL_MS for the life of the process; a failed pass is logged and the next one tries again. */
export function startAgentSweeper(ctx: WebContext, starter: SessionStarter): () => void {
  let running = false;
  let sweeps = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweeps += 1;
    sweepAgents(ctx, starter, Date.now(), sweeps % RECOUNT_EVERY_SWEEPS === 0)
      .catch((error: unknown) => ctx.log.error("agent.sweep_failed", { error }))
      .finally(() => {
        running = false;
      });
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** How far back a returning agent's abandoned sandboxes are looked for. */
const LEFT_BEHIND_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * An agent marked down that reports again (it was cut off, not dead): the
 * sandboxes of the sessions that ended as "your machine went away" are
 * removed instead of running on to their idle limit, since their learners
 * have moved on. One it no longer has is skipped.
 */
export async function removeSandboxesLeftBehind(ctx: WebContext, agentId: string, agentUrl: string): Promise<void> {
  const sessions = await ctx.db.session.findMany({
    where: { agentId, state: "gone", failure: MACHINE_WENT_AWAY, endedAt: { gte: new Date(Date.now() - LEFT_BEHIND_WITHIN_MS) } },
    select: { id: true, sandboxId: true },
  });
  const agent = ctx.agents.at(agentUrl);
  for (const session of sessions) {
    if (!session.sandboxId) continue;
    await agent.destroySandbox(session.sandboxId).catch((error: unknown) => {
      if (!(error instanceof AgentRefusal && error.status === 404))
        ctx.log.warn("agent.left_behind_not_removed", { sessionId: session.id, sandboxId: session.sandboxId, error });
    });
  }
  ctx.log.info("agent.came_back", { agentId, sandboxesRemoved: sessions.length });
}
