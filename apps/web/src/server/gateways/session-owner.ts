import type { Namespace, Server, Socket } from "socket.io";
import { z } from "zod";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { ownedSession } from "../learners/sessions";
import { visitorFromCookieHeader } from "../learners/visitor";

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
  return (socket: Socket, next: (error?: Error) => void): void => {
    const auth = sessionAuthSchema.safeParse(socket.handshake.auth);
    const visitorId = visitorFromCookieHeader(socket.handshake.headers.cookie);
    if (!auth.success || !visitorId) {
      next(new Error("Refused: open it from the Drydock page that started the session."));
      return;
    }
    ownedSession(ctx, auth.data.sessionId, visitorId)
      .then((session) => {
        if (session.state !== "ready" || !session.sandboxId) return next(new Error(`Refused: the session is ${session.state}.`));
        const owned: OwnedSandbox = {
          sessionId: session.id,
          visitorId,
          lessonId: session.lessonId,
          sandboxId: session.sandboxId,
          agentUrl: session.agentUrl,
          workshopId: session.workshopId,
        };
        Object.assign(socket.data, owned);
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof HttpError)) ctx.log.error("gateway.lookup_failed", { error });
        next(new Error(error instanceof HttpError ? `Refused: ${error.message}` : "Refused: the session could not be checked."));
      });
  };
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
