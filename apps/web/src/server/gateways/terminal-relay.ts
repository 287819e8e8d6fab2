import {
  consumedBytesSchema,
  type OutputAcks,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalCommand,
  type TerminalServerEvents,
  type TerminalSize,
  terminalSizeSchema,
} from "@drydock/protocol";
import type { Socket } from "socket.io";
import { type Socket as AgentSocket, io as connectToAgent } from "socket.io-client";
import { socketTransport } from "../agents/agent-route";
import type { WebContext } from "../context";
import { HeldAcks } from "./held-acks";

export interface RelayTarget {
  agentUrl: string;
  sandboxId: string;
  rights: "write" | "read";
  size?: TerminalSize;
  terminal?: string;
  /** How the browser acks output: as it asked in its own auth. */
  acks?: OutputAcks;
}

/** What a gateway may add to the relay: the learner's activity, a recording, a workshop's signals. */
export interface RelayTaps {
  input?(data: string): void;
  output?(data: Uint8Array): void;
  resize?(size: TerminalSize): void;
  command?(ended: TerminalCommand): void;
  closed?(): void;
}

type BrowserTerminal = Socket<TerminalClientEvents, TerminalServerEvents>;

/**
 * Relays one browser terminal socket to the agent hosting the sandbox, with a
 * short-lived token of the given rights. Output is acknowledged end to end
 * (flow control); the browser's socket of this namespace closes with the terminal.
 */
export function relayTerminal(browser: BrowserTerminal, target: RelayTarget, ctx: WebContext, taps: RelayTaps = {}): void {
  const { agentUrl, sandboxId, rights, size, terminal, acks } = target;
  const agent = ctx.agents.at(agentUrl);
  const upstream: AgentSocket<TerminalServerEvents, TerminalClientEvents> = connectToAgent(`${agent.route.url}${TERMINAL_NAMESPACE}`, {
    ...socketTransport(agent.route),
    // Reports of consumed output from the agent's side whatever the browser speaks: an agent from before them acks each chunk instead (below).
    auth: (callback) =>
      void agent.terminalToken(sandboxId, rights).then((token) => callback({ token, sandboxId, size, terminal, acks: "consumed" })),
    transports: ["websocket"],
    reconnection: false,
    // A connection of its own: socket.io-client would otherwise share one with the sandbox channel,
    // and the terminal's end (the sandbox died) would cut the channel that reports why.
    forceNew: true,
  });

  if (rights === "write") {
    browser.on("terminal:input", (data) => {
      upstream.emit("terminal:input", data);
      taps.input?.(data);
    });
    browser.on("terminal:resize", (next) => {
      upstream.emit("terminal:resize", next);
      const size = terminalSizeSchema.safeParse(next);
      if (size.success) taps.resize?.(size.data);
    });
  }
  // Flow control end to end: the agent hears of a chunk consumed once the browser has consumed it.
  const held = new HeldAcks();
  // `agentAck`: the chunk came from an agent from before the reports, which waits for an ack per chunk.
  const toBrowser = (data: Uint8Array, agentAck?: () => void) => {
    if (acks === "consumed") {
      // The browser's reports reach the agent as they are (below); only a per-chunk ack must wait for them.
      if (agentAck) held.hold(data.byteLength, agentAck);
      browser.emit("terminal:data", data);
    } else browser.emit("terminal:output", data, agentAck ?? (() => upstream.emit("terminal:consumed", data.byteLength)));
    taps.output?.(data);
  };
  browser.on("terminal:consumed", (bytes) => {
    if (!consumedBytesSchema.safeParse(bytes).success) return;
    upstream.emit("terminal:consumed", bytes);
    held.consumed(bytes);
  });
  upstream.on("terminal:data", (data) => toBrowser(data));
  upstream.on("terminal:output", (data, ack) => toBrowser(data, ack));
  upstream.on("terminal:command", (ended) => taps.command?.(ended));
  upstream.on("terminal:closed", (closed) => {
    browser.emit("terminal:closed", closed);
    // This namespace only: the page's connection also carries its sandbox channel, which must hear why.
    browser.disconnect();
  });
  upstream.on("connect_error", (error) => {
    ctx.log.warn("gateway.agent_refused", { sandboxId, agentUrl, error });
    browser.emit("terminal:closed", { reason: `The sandbox's agent could not be reached: ${error.message}` });
    browser.disconnect();
  });
  // The agent went away under the terminal (its machine died, or it restarted): the page's terminal ends instead of hanging.
  upstream.on("disconnect", (reason) => {
    if (reason === "io client disconnect") return;
    ctx.log.warn("gateway.agent_disconnected", { sandboxId, agentUrl, reason });
    browser.emit("terminal:closed", { reason: "The connection to the sandbox's machine was lost." });
    browser.disconnect();
  });
  browser.on("disconnect", () => {
    upstream.disconnect();
    taps.closed?.();
  });
}
