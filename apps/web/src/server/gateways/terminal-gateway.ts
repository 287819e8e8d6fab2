import { browserTerminalAuthSchema, TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import type { Server } from "socket.io";
import { type Socket as AgentSocket, io as connectToAgent } from "socket.io-client";
import type { WebContext } from "../context";
import { activityRecorder } from "../learners/activity";
import { recordSeatTerminal } from "../workshops/terminal-recorder";
import { ownedSessionNamespace } from "./session-owner";

/**
 * The browser's terminal traffic enters here, on the web origin. The gateway
 * checks that the visitor owns the session, then relays to the agent hosting
 * its sandbox with a short-lived token. Browsers never address agents.
 */
export function serveTerminalGateway(io: Server, ctx: WebContext): void {
  const { log } = ctx;
  const namespace = ownedSessionNamespace<TerminalClientEvents, TerminalServerEvents>(io, TERMINAL_NAMESPACE, ctx);

  namespace.on("connection", (browser) => {
    const { sandboxId, agentUrl, sessionId } = browser.data;
    const active = activityRecorder(ctx.db, sessionId, log);
    const auth = browserTerminalAuthSchema.safeParse(browser.handshake.auth);
    const { size, terminal } = auth.success ? auth.data : {};
    const upstream: AgentSocket<TerminalServerEvents, TerminalClientEvents> = connectToAgent(`${agentUrl}${TERMINAL_NAMESPACE}`, {
      auth: (callback) =>
        void ctx.agents
          .at(agentUrl)
          .terminalToken(sandboxId, "write")
          .then((token) => callback({ token, sandboxId, size, terminal })),
      transports: ["websocket"],
      reconnection: false,
      // A connection of its own: socket.io-client would otherwise share one with the sandbox channel,
      // and the terminal's end (the sandbox died) would cut the channel that reports why.
      forceNew: true,
    });

    browser.on("terminal:input", (data) => {
      upstream.emit("terminal:input", data);
      active();
    });
    browser.on("terminal:resize", (next) => upstream.emit("terminal:resize", next));
    // Flow control end to end: the agent's chunk is acknowledged once the browser has consumed it.
    upstream.on("terminal:output", (data, ack) => browser.emit("terminal:output", data, ack));
    upstream.on("terminal:closed", (closed) => {
      browser.emit("terminal:closed", closed);
      // This namespace only: the page's connection also carries its sandbox channel, which must hear why.
      browser.disconnect();
    });
    upstream.on("connect_error", (error) => {
      log.warn("gateway.agent_refused", { sandboxId, agentUrl, error });
      browser.emit("terminal:closed", { reason: `The sandbox's agent could not be reached: ${error.message}` });
      browser.disconnect();
    });
    browser.on("disconnect", () => upstream.disconnect());
    recordSeatTerminal(ctx, browser, upstream);
  });
}
