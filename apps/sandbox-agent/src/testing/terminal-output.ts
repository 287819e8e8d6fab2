import { stripVTControlCharacters } from "node:util";
import type { TerminalClientEvents, TerminalServerEvents } from "@drydock/protocol";
import type { Socket } from "socket.io-client";

type TerminalClient = Socket<TerminalServerEvents, TerminalClientEvents>;

/**
 * The terminal's text once `marker` shows in it, each chunk acknowledged as a
 * page does. Commands print their markers with quotes inside, so the echo of
 * the typed line never matches. Matched without control sequences: tmux
 * redraws its pane as output arrives, so on a busy machine it puts cursor
 * sequences between two pieces of one word (`driver=` ESC[?25l … `overlay2`).
 */
export function outputUntil(socket: TerminalClient, marker: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    const timer = setTimeout(() => reject(new Error(`"${marker}" not seen; got:\n${stripVTControlCharacters(raw)}`)), timeoutMs);
    socket.on("terminal:output", (data, ack) => {
      ack?.();
      raw += Buffer.from(data).toString("utf8");
      const text = stripVTControlCharacters(raw);
      if (text.includes(marker)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}
