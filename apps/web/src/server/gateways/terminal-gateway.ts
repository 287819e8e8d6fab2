import {
  browserTerminalAuthSchema,
  DEFAULT_TERMINAL,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
} from "@drydock/protocol";
import type { Server } from "socket.io";
import type { WebContext } from "../context";
import { activityRecorder } from "../learners/activity";
import { commandEnded, seatOfVisitor } from "../workshops/seat-signals";
import { attachSeatRecorder } from "../workshops/terminal-recorder";
import { ownedSessionNamespace } from "./session-owner";
import { relayTerminal } from "./terminal-relay";

/**
 * The browser's terminal traffic enters here, on the web origin. The gateway
 * checks that the visitor owns the session, then relays to the agent hosting
 * its sandbox with a short-lived token. Browsers never address agents.
 * A workshop seat's command ends (the shell's marks, read by the agent) feed
 * the room's radar, and its main terminal is recorded when the workshop says so.
 */
export function serveTerminalGateway(io: Server, ctx: WebContext): void {
  const namespace = ownedSessionNamespace<TerminalClientEvents, TerminalServerEvents>(io, TERMINAL_NAMESPACE, ctx);

  namespace.on("connection", (browser) => {
    const { sandboxId, agentUrl, sessionId, visitorId, workshopId } = browser.data;
    const active = activityRecorder(ctx.db, sessionId, ctx.log);
    const auth = browserTerminalAuthSchema.safeParse(browser.handshake.auth);
    const { size, terminal, acks } = auth.success ? auth.data : {};
    const mainOfSeat = workshopId && (terminal ?? DEFAULT_TERMINAL) === DEFAULT_TERMINAL;
    const seat = mainOfSeat ? seatOfVisitor(ctx, visitorId) : Promise.resolve(undefined);
    // A recorded workshop's seat: its main terminal is kept in asciicast (the recorder does nothing for anyone else).
    const recording = mainOfSeat ? attachSeatRecorder(ctx, visitorId, size) : undefined;
    relayTerminal(browser, { agentUrl, sandboxId, rights: "write", size, terminal, acks }, ctx, {
      input: active,
      output: (data) => recording?.output(data),
      resize: (next) => recording?.resize(next),
      closed: () => void recording?.detach(),
      command: (mark) =>
        void seat
          .then((found) => found && commandEnded(ctx, found, mark.exitCode, mark.command, new Date(mark.at)))
          .catch((error: unknown) => ctx.log.error("gateway.record_failed", { event: "terminal:command", error })),
    });
  });
}
