import type { Namespace, Server } from "socket.io";
import { z } from "zod";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { ownedSession } from "../learners/sessions";
import { visitorFromCookieHeader } from "../learners/visitor";
import { admission } from "./admission";

/** What a gateway socket knows once the visitor's ownership of the session is checked. */
export interface OwnedSandbox {
  sessionId: string;
  visitorId: string;
  lessonId: string | null;
  sandboxId: string;
  agentUrl: string;
  /** The workshop a seat's session belongs to. */
  workshopId: string | null;
}

const sessionAuthSchema = z.object({ sessionId: z.string().min(1).max(100) });

/**
 * socket.io middleware shared by the gateways: the handshake names a session,
 * the visitor cookie must own it, and it must have a sandbox that is not over.
 * The agent then checks the sandbox itself against the token it is given.
 */
export function requireOwnedSession(ctx: WebContext) {
  const elsewhere = "open it from the Drydock page that started the session.";
  return admission(ctx, {
    schema: sessionAuthSchema,
    malformed: elsewhere,
    what: "the session",
    event: "gateway.lookup_failed",
    async admit(auth, cookie): Promise<OwnedSandbox> {
      const visitorId = visitorFromCookieHeader(cookie);
      if (!visitorId) throw new HttpError(elsewhere, 403);
      const session = await ownedSession(ctx, auth.sessionId, visitorId);
      if (session.state !== "ready" || !session.sandboxId) throw new HttpError(`the session is ${session.state}.`, 409);
      return {
        sessionId: session.id,
        visitorId,
        lessonId: session.lessonId,
        sandboxId: session.sandboxId,
        agentUrl: session.agentUrl,
        workshopId: session.workshopId,
      };
    },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: socket.io's own EventsMap constraint, which it does not export.
type EventsMap = Record<string, any>;

/** A gateway namespace typed with its events, open only to sockets whose visitor owns the session. */
export function ownedSessionNamespace<ClientEvents extends EventsMap, ServerEvents extends EventsMap>(
  io: Server,
  name: string,
  ctx: WebContext,
): Namespace<ClientEvents, ServerEvents, Record<string, never>, OwnedSandbox> {
  const namespace = io.of(name) as unknown as Namespace<ClientEvents, ServerEvents, Record<string, never>, OwnedSandbox>;
  namespace.use(requireOwnedSession(ctx));
  return namespace;
}
