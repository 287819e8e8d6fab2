/**
 * A learner's terminal through the web app, as the page opens it (socket.io
 * to /terminal with the visitor cookie), and the echo of keystrokes measured
 * on it: one byte typed, one byte back.
 */
import { stripVTControlCharacters } from "node:util";
import { ConsumedOutput, TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";

export type Terminal = Socket<TerminalServerEvents, TerminalClientEvents>;

export interface EchoProbe {
  /** Types one keystroke and resolves with the milliseconds until its echo came back. */
  echo(): Promise<number>;
  close(): void;
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the session's terminal and waits for the shell's prompt. */
export async function openEchoProbe(base: string, sessionId: string, cookie: string): Promise<EchoProbe> {
  const terminal: Terminal = io(`${base}${TERMINAL_NAMESPACE}`, {
    auth: { sessionId, size: { cols: 120, rows: 40 }, acks: "consumed" },
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie, origin: base },
  });
  let pending: ((text: string) => void) | undefined;
  // Acknowledged as the page's terminal does once xterm.js has parsed it: reports of the bytes consumed.
  const consumed = new ConsumedOutput((bytes) => terminal.emit("terminal:consumed", bytes));
  terminal.on("terminal:data", (data) => {
    pending?.(Buffer.from(data).toString("utf8"));
    consumed.consumed(data.byteLength);
  });
  // The prompt (root@sandbox:…#) shows the shell is ready for keystrokes.
  let shown = "";
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      // Gathered across chunks and matched without control sequences: tmux may split the prompt with cursor moves.
      pending = (text) => {
        shown += text;
        if (stripVTControlCharacters(shown).includes("@sandbox")) resolve();
      };
      terminal.once("connect_error", reject);
    }),
    "the shell prompt",
    60_000,
  );
  let typed = 0;
  return {
    async echo() {
      typed += 1;
      // A line of 50 characters, then Ctrl-U clears it (not timed), so the echo stays one byte.
      if (typed % 50 === 0) {
        await withTimeout(
          new Promise<void>((resolve) => {
            pending = () => resolve();
            terminal.emit("terminal:input", "\u0015");
          }),
          "the line to clear",
        );
      }
      const sent = performance.now();
      await withTimeout(
        new Promise<void>((resolve) => {
          pending = () => resolve();
          terminal.emit("terminal:input", "x");
        }),
        `the echo of keystroke ${typed}`,
      );
      const ms = performance.now() - sent;
      // Let any trailing bytes of the redraw arrive before the next keystroke.
      await new Promise((resolve) => setTimeout(resolve, 2));
      return ms;
    },
    close: () => terminal.close(),
  };
}
