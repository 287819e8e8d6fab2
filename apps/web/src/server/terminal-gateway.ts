import {
  browserTerminalAuthSchema,
  type Logger,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
} from "@drydock/protocol";
import type { Server } from "socket.io";
import { type Socket as AgentSocket, io as connectToAgent } from "socket.io-client";
import { agentAt, ownedSession, SessionError } from "./sessions";
import { visitorFromCookieHeader } from "./visitor";

interface GatewaySocketData {
  sandboxId: string;
  agentUrl: string;
}

export type GatewayServer = Server<TerminalClientEvents, TerminalServerEvents, Record<string, never>, GatewaySocketData>;

/**
 * The browser's terminal traffic enters here, on the web origin. The gateway
 * checks that the visitor owns the session, then relays to the agent hosting
 * its sandbox with a short-lived token. Browsers never address agents.
 */
export function serveTerminalGateway(io: GatewayServer, log: Logger): void {
  const namespace = io.of(TERMINAL_NAMESPACE);

  namespace.use((socket, next) => {
    const auth = browserTerminalAuthSchema.safeParse(socket.handshake.auth);
    const visitorId = visitorFromCookieHeader(socket.handshake.headers.cookie);
    if (!auth.success || !visitorId) return next(new Error("Refused: open the terminal from the Drydock page that started it."));
    ownedSession(auth.data.sessionId, visitorId)
      .then((session) => {
        if (session.state !== "ready" || !session.sandboxId) return next(new Error(`Refused: the session is ${session.state}.`));
        socket.data.sandboxId = session.sandboxId;
        socket.data.agentUrl = session.agentUrl;
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof SessionError)) log.error("gateway.lookup_failed", { error });
        next(new Error(error instanceof SessionError ? `Refused: ${error.message}` : "Refused: the session could not be checked."));
      });
  });

  namespace.on("connection", (browser) => {
    const { sandboxId, agentUrl } = browser.data;
    const { size, terminal } = browserTerminalAuthSchema.parse(browser.handshake.auth);
    const upstream: AgentSocket<TerminalServerEvents, TerminalClientEvents> = connectToAgent(`${agentUrl}${TERMINAL_NAMESPACE}`, {
      auth: { token: agentAt(agentUrl).terminalToken(sandboxId, "write"), sandboxId, size, terminal },
      transports: ["websocket"],
      reconnection: false,
    });

    browser.on("terminal:input", (data) => upstream.emit("terminal:input", data));
    browser.on("terminal:resize", (next) => upstream.emit("terminal:resize", next));
    // Flow control end to end: the agent's chunk is acknowledged once the browser has consumed it.
    upstream.on("terminal:output", (data, ack) => browser.emit("terminal:output", data, ack));
    upstream.on("terminal:closed", (closed) => {
      browser.emit("terminal:closed", closed);
      browser.disconnect(true);
    });
    upstream.on("connect_error", (error) => {
      log.warn("gateway.agent_refused", { sandboxId, agentUrl, error });
      browser.emit("terminal:closed", { reason: `The sandbox's agent could not be reached: ${error.message}` });
      browser.disconnect(true);
    });
    browser.on("disconnect", () => upstream.disconnect());
  });
}
