"use client";

import type { TerminalClientEvents, TerminalServerEvents } from "@drydock/protocol/terminal";
import { WATCH_NAMESPACE } from "@drydock/protocol/workshop";
import { useEffect, useRef } from "react";
import { Manager, type Socket } from "socket.io-client";
import { REPORTS_CONSUMED, writeOutputInto } from "../terminal-output";
import { openXterm } from "../xterm-view";

interface Props {
  workshopId: string;
  /** A seat's id, or "presenter". */
  target: string;
  /** "write": the instructor types with the attendee (a take-over) or in their own presenter terminal. */
  mode: "read" | "write";
  label: string;
}

/** Someone else's terminal, live: watched read-only, or typed in with them. */
export function WatchTerminal({ workshopId, target, mode, label }: Props) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const view = openXterm(element, { readOnly: mode === "read" });
    const { term } = view;
    const manager = new Manager({ transports: ["websocket"] });
    const socket: Socket<TerminalServerEvents, TerminalClientEvents> = manager.socket(WATCH_NAMESPACE, {
      auth: (send) => send({ workshopId, target, mode, size: { cols: term.cols, rows: term.rows }, ...REPORTS_CONSUMED }),
    });
    let attached = false;
    socket.on("connect", () => {
      // Reattaching replays the shell's screen: start clean so nothing shows twice.
      if (attached) term.reset();
      attached = true;
    });
    writeOutputInto(term, socket);
    socket.on("terminal:closed", ({ reason }) => term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`));
    socket.on("connect_error", (error) => term.write(`\r\n\x1b[31m[${error.message}]\x1b[0m\r\n`));
    const typing = mode === "write" ? term.onData((data) => socket.emit("terminal:input", data)) : undefined;
    const resizing = mode === "write" ? term.onResize((size) => socket.emit("terminal:resize", size)) : undefined;
    if (mode === "write") term.focus();
    return () => {
      typing?.dispose();
      resizing?.dispose();
      socket.disconnect();
      manager._close();
      view.dispose();
    };
  }, [workshopId, target, mode]);

  return (
    <section className="terminal-frame watch-terminal" aria-label={label}>
      <div ref={container} data-testid={`watch-${target}-${mode}`} />
    </section>
  );
}
