import { randomBytes } from "node:crypto";
import { AgentClient } from "./agent-client";
import { webConfig } from "./config";
import { db } from "./db";
import { publicVisitorId } from "./visitor";

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

/** Asks an agent for a private sandbox and records the session; a failure is recorded with its reason. */
export async function startSession(visitorId: string): Promise<SessionView> {
  const client = agentAt();
  const id = `ses_${randomBytes(12).toString("hex")}`;
  await db().session.create({ data: { id, visitorId, agentUrl: client.url, state: "starting" } });
  try {
    const sandbox = await client.createSandbox(publicVisitorId(visitorId));
    await db().session.update({ where: { id }, data: { sandboxId: sandbox.id } });
    const ready = sandbox.state === "ready" ? sandbox : await client.awaitReady(sandbox.id);
    await db().session.update({ where: { id }, data: { state: "ready" } });
    return { id, state: "ready", failure: null, expiresAt: ready.expiresAt ?? null };
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    await db().session.update({ where: { id }, data: { state: "failed", failure, endedAt: new Date() } });
    throw new SessionError(failure, 503);
  }
}

/** The visitor's own live session, or an error that does not reveal whether others exist. */
export async function ownedSession(sessionId: string, visitorId: string) {
  const session = await db().session.findUnique({ where: { id: sessionId } });
  if (!session || session.visitorId !== visitorId) throw new SessionError("No such session for this browser.", 404);
  return session;
}

export async function endSession(sessionId: string, visitorId: string): Promise<void> {
  const session = await ownedSession(sessionId, visitorId);
  if (session.sandboxId && session.state !== "gone") await agentAt(session.agentUrl).destroySandbox(session.sandboxId);
  await db().session.update({ where: { id: sessionId }, data: { state: "gone", endedAt: new Date() } });
}
