import type { Lesson } from "@drydock/lessons";
import type { SandboxStatus } from "@drydock/protocol";
import type { AgentClient } from "../agents/agent-client";
import type { ReplacedSession } from "../budget/start-budget";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { type SeatStart, seatStart } from "../workshops/seat-sandboxes";
import { publicVisitorId } from "./visitor";
import { planWorkspace, prepareWorkspace } from "./workspace-preparation";

export interface SessionView {
  id: string;
  state: string;
  failure: string | null;
  expiresAt: string | null;
}

/** A start that passed the budget: its session is recorded as starting, its sandbox not yet asked for. */
export interface ReservedSession {
  id: string;
  visitorId: string;
  lesson: Lesson | undefined;
  agent: AgentClient;
  /** A workshop seat's terms for its sandbox; none for anyone else. */
  seat: SeatStart | undefined;
}

/**
 * The checks before any sandbox is asked for (after server.ts's, see
 * http/door.ts): the lesson exists (404), and the start fits the visitor's
 * cap (429) and the deployment's capacity (503); a workshop seat, its
 * workshop's terms instead of the capacity. The visitor's earlier
 * session of the same lesson ends: one sandbox per lesson and browser.
 */
export async function reserveSession(ctx: WebContext, request: { visitorId: string; lessonId: string | null }): Promise<ReservedSession> {
  const lesson = request.lessonId ? ctx.lessons.find(request.lessonId) : undefined;
  if (request.lessonId && !lesson) throw new HttpError(`There is no lesson "${request.lessonId}". The catalog at / lists them.`, 404);
  const seat = await seatStart(ctx, request.visitorId, request.lessonId);
  const reserved = await ctx.budget.reserve({ ...request, workshopId: seat?.workshopId ?? null });
  for (const replaced of reserved.replaced) void removeSandbox(ctx, replaced);
  return { id: reserved.sessionId, visitorId: request.visitorId, lesson, agent: ctx.agents.at(reserved.placement.agentUrl), seat };
}

/**
 * Asks the agent for a private sandbox for a reserved session; for a lesson,
 * the workspace is prepared before the session counts as ready. Each status
 * of a cold start is reported on the way; a failure is recorded with its reason.
 */
export async function startSession(
  ctx: WebContext,
  session: ReservedSession,
  onStatus: (status: SandboxStatus) => void = () => {},
): Promise<SessionView> {
  const { id, agent, lesson } = session;
  // Read while the sandbox is handed out; awaited (and any failure reported) once it is ready.
  const plan = lesson ? planWorkspace(ctx, lesson, session.visitorId) : undefined;
  plan?.catch(() => {});
  try {
    const sandbox = await agent.createSandbox(publicVisitorId(session.visitorId), {
      ...session.seat?.options,
      ...(lesson ? { workspace: lesson.workspace } : {}),
    });
    await ctx.db.session.update({ where: { id }, data: { sandboxId: sandbox.id } });
    const ready = sandbox.state === "ready" ? sandbox : await agent.awaitReady(sandbox.id, onStatus);
    if (plan) {
      onStatus({ sandboxId: sandbox.id, state: "starting", percent: 95, message: "Putting your files in place" });
      await prepareWorkspace(agent, sandbox.id, await plan);
    }
    const expiresAt = ready.expiresAt ?? null;
    const became = await ctx.db.session.updateMany({
      where: { id, state: "starting" },
      data: { state: "ready", expiresAt: expiresAt ? new Date(expiresAt) : null, activeAt: new Date() },
    });
    if (became.count === 0) {
      // A newer start of the same lesson in this browser replaced this one while it started.
      await agent.destroySandbox(sandbox.id);
      throw new HttpError("A newer start of this lesson in this browser took its place.", 409);
    }
    seatSessionChanged(ctx, session);
    return { id, state: "ready", failure: null, expiresAt };
  } catch (error) {
    seatSessionChanged(ctx, session);
    const failure = error instanceof Error ? error.message : String(error);
    const failed = await ctx.db.session.updateMany({
      where: { id, state: "starting" },
      data: { state: "failed", failure, endedAt: new Date() },
    });
    if (failed.count > 0) ctx.budget.released();
    throw new HttpError(failure, error instanceof HttpError ? error.status : 503);
  }
}

/** A seat's sandbox became ready or failed: the dashboard's meter and row follow. */
function seatSessionChanged(ctx: WebContext, session: ReservedSession): void {
  if (!session.seat) return;
  ctx.rooms.meterChanged(session.seat.workshopId);
  ctx.rooms.seatsChanged(session.seat.workshopId);
}

/** Removes a replaced session's sandbox; its record already says it ended. */
async function removeSandbox(ctx: WebContext, session: ReplacedSession): Promise<void> {
  if (!session.sandboxId) return;
  await ctx.agents
    .at(session.agentUrl)
    .destroySandbox(session.sandboxId)
    .catch((error: unknown) =>
      ctx.log.warn("session.replaced_not_removed", { sessionId: session.id, sandboxId: session.sandboxId, error }),
    );
}

/** The visitor's own session, or an error that does not reveal whether others exist. */
export async function ownedSession(ctx: WebContext, sessionId: string, visitorId: string) {
  const session = await ctx.db.session.findUnique({ where: { id: sessionId } });
  if (!session || session.visitorId !== visitorId) throw new HttpError("No such session for this browser.", 404);
  return session;
}

/**
 * The visitor's latest ready session for a lesson whose sandbox still runs, to
 * attach to after a reload; a session whose sandbox is gone is recorded as such.
 */
export async function liveLessonSession(ctx: WebContext, visitorId: string, lessonId: string): Promise<SessionView | null> {
  const session = await ctx.db.session.findFirst({ where: { visitorId, lessonId, state: "ready" }, orderBy: { createdAt: "desc" } });
  if (!session?.sandboxId) return null;
  const sandbox = await ctx.agents
    .at(session.agentUrl)
    .sandboxStatus(session.sandboxId)
    .catch(() => undefined);
  if (!sandbox || sandbox.state === "gone" || sandbox.state === "failed") {
    await markEnded(ctx, session.id, "gone");
    return null;
  }
  return { id: session.id, state: "ready", failure: null, expiresAt: sandbox.expiresAt ?? null };
}

export async function markEnded(ctx: WebContext, sessionId: string, state: "gone" | "failed"): Promise<void> {
  const ended = await ctx.db.session.updateMany({
    where: { id: sessionId, state: { notIn: ["gone", "failed"] } },
    data: { state, endedAt: new Date() },
  });
  if (ended.count > 0) ctx.budget.released();
}

export async function endSession(ctx: WebContext, sessionId: string, visitorId: string): Promise<void> {
  const session = await ownedSession(ctx, sessionId, visitorId);
  if (session.sandboxId && session.state !== "gone") await ctx.agents.at(session.agentUrl).destroySandbox(session.sandboxId);
  await ctx.db.session.update({ where: { id: sessionId }, data: { state: "gone", endedAt: new Date() } });
  ctx.budget.released();
}
