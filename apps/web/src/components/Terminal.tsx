"use client";

import { FitAddon } from "@xterm/addon-fit";
import { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol/terminal";
import { useEffect, useRef } from "react";
import { io, type Socket } from "socket.io-client";

/** A live terminal on the session's sandbox; every resource it opens is released on unmount. */
export function Terminal({ sessionId }: { sessionId: string }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const term = new XTerm({ cursorBlink: true, fontSize: 14, scrollback: 5000, theme: { background: "#0b0e13" } });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();

    const socket: Socket<TerminalServerEvents, TerminalClientEvents> = io(TERMINAL_NAMESPACE, {
      auth: { sessionId, size: { cols: term.cols, rows: term.rows } },
      transports: ["websocket"],
    });
    // Acknowledged once xterm.js has parsed it: the agent pauses a flood instead of queueing it here.
    socket.on("terminal:output", (data, ack) => term.write(new Uint8Array(data), ack));
    socket.on("terminal:closed", ({ reason }) => term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`));
    socket.on("connect_error", (error) => term.write(`\r\n\x1b[31m[${error.message}]\x1b[0m\r\n`));
    const typing = term.onData((data) => socket.emit("terminal:input", data));
    const resizing = term.onResize((size) => socket.emit("terminal:resize", size));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    term.focus();

    return () => {
      observer.disconnect();
      typing.dispose();
      resizing.dispose();
      socket.disconnect();
      term.dispose();
    };
  }, [sessionId]);

  return (
    <section className="terminal" aria-label="Terminal">
      <div ref={container} data-testid="terminal" />
    </section>
  );
}
