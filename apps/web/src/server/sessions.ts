import { randomBytes } from "node:crypto";
import type { SandboxStatus } from "@drydock/protocol";
import { AgentClient } from "./agent-client";
import { webConfig } from "./config";
import { db } from "./db";
import { findLesson } from "./lessons";
import { publicVisitorId } from "./visitor";
import { planWorkspace, prepareWorkspace } from "./workspace-preparation";

export interface SessionView {
  id: string;
  state: string;
  failure: string | null;
  expiresAt: string | null;
}

export class SessionError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The agent that hosts new sandboxes, or the one that hosts an existing session's. */
export function agentAt(url = webConfig().AGENT_URL): AgentClient {
  return new AgentClient(url, webConfig().DRYDOCK_AGENT_SECRET);
}

/**
 * Asks an agent for a private sandbox and records the session; for a lesson,
 * the workspace is prepared before the session counts as ready. Each status
 * of a cold start is reported on the way; a failure is recorded with its reason.
 */
export async function startSession(
  visitorId: string,
  lessonId: string | null = null,
  onStatus: (status: SandboxStatus) => void = () => {},
): Promise<SessionView> {
  const lesson = lessonId ? await findLesson(lessonId) : undefined;
  if (lessonId && !lesson) throw new SessionError(`There is no lesson "${lessonId}".`, 404);
  const client = agentAt();
  const id = `ses_${randomBytes(12).toString("hex")}`;
  await db().session.create({ data: { id, visitorId, lessonId, agentUrl: client.url, state: "starting" } });
  // Read while the sandbox is handed out; awaited (and any failure reported) once it is ready.
  const plan = lesson ? planWorkspace(lesson, visitorId) : undefined;
  plan?.catch(() => {});
  try {
    const sandbox = await client.createSandbox(publicVisitorId(visitorId));
    await db().session.update({ where: { id }, data: { sandboxId: sandbox.id } });
    const ready = sandbox.state === "ready" ? sandbox : await client.awaitReady(sandbox.id, onStatus);
    if (plan) {
      onStatus({ sandboxId: sandbox.id, state: "starting", percent: 95, message: "Putting your files in place" });
      await prepareWorkspace(client, sandbox.id, await plan);
    }
    await db().session.update({ where: { id }, data: { state: "ready" } });
    return { id, state: "ready", failure: null, expiresAt: ready.expiresAt ?? null };
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    await db().session.update({ where: { id }, data: { state: "failed", failure, endedAt: new Date() } });
    throw new SessionError(failure, error instanceof SessionError ? error.status : 503);
  }
}

/** The visitor's own live session, or an error that does not reveal whether others exist. */
export async function ownedSession(sessionId: string, visitorId: string) {
  const session = await db().session.findUnique({ where: { id: sessionId } });
  if (!session || session.visitorId !== visitorId) throw new SessionError("No such session for this browser.", 404);
  return session;
}

/**
 * The visitor's latest ready session for a lesson whose sandbox still runs, to
 * attach to after a reload; a session whose sandbox is gone is recorded as such.
 */
export async function liveLessonSession(visitorId: string, lessonId: string): Promise<SessionView | null> {
  const session = await db().session.findFirst({ where: { visitorId, lessonId, state: "ready" }, orderBy: { createdAt: "desc" } });
  if (!session?.sandboxId) return null;
  const sandbox = await agentAt(session.agentUrl)
    .sandboxStatus(session.sandboxId)
    .catch(() => undefined);
  if (!sandbox || sandbox.state === "gone" || sandbox.state === "failed") {
    await markEnded(session.id, "gone");
    return null;
  }
  return { id: session.id, state: "ready", failure: null, expiresAt: sandbox.expiresAt ?? null };
}

export async function markEnded(sessionId: string, state: "gone" | "failed"): Promise<void> {
  await db().session.updateMany({ where: { id: sessionId, state: { notIn: ["gone", "failed"] } }, data: { state, endedAt: new Date() } });
}

export async function endSession(sessionId: string, visitorId: string): Promise<void> {
  const session = await ownedSession(sessionId, visitorId);
  if (session.sandboxId && session.state !== "gone") await agentAt(session.agentUrl).destroySandbox(session.sandboxId);
  await db().session.update({ where: { id: sessionId }, data: { state: "gone", endedAt: new Date() } });
}
