import { ConsumedOutput } from "@drydock/protocol/consumed-output";
import type { TerminalClientEvents, TerminalServerEvents } from "@drydock/protocol/terminal";
import type { Terminal as XTerm } from "@xterm/xterm";
import type { Socket } from "socket.io-client";

/** What a page's terminal socket presents so that its output is acked by reports of what xterm.js consumed. */
export const REPORTS_CONSUMED = { acks: "consumed" } as const;

/**
 * Writes the socket's output into the terminal, acknowledged once xterm.js
 * has parsed it (the agent pauses a flood instead of queueing it here): by
 * reports of the bytes consumed, or per chunk from a web node that predates
 * them (a page loaded during an upgrade may land on one).
 */
export function writeOutputInto(
  term: XTerm,
  socket: Socket<TerminalServerEvents, TerminalClientEvents>,
  seen: () => void = () => {},
): void {
  const consumed = new ConsumedOutput((bytes) => socket.emit("terminal:consumed", bytes));
  socket.on("terminal:data", (data) => {
    seen();
    const bytes = new Uint8Array(data);
    term.write(bytes, () => consumed.consumed(bytes.byteLength));
  });
  socket.on("terminal:output", (data, ack) => {
    seen();
    term.write(new Uint8Array(data), ack);
  });
}
