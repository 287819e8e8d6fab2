"use client";

import { TERMINAL_NAMESPACE, type TerminalClientEvents, type TerminalServerEvents } from "@drydock/protocol/terminal";
import type { Terminal as XTerm } from "@xterm/xterm";
import { useEffect, useRef } from "react";
import type { Socket } from "socket.io-client";
import { markStartStep } from "./start-marks";
import { takeTerminalConnection } from "./terminal-connection";
import { terminalKeys } from "./terminal-keys";
import { REPORTS_CONSUMED, writeOutputInto } from "./terminal-output";
import { openXterm } from "./xterm-view";

/** What the page may do with the terminal: type into it as the learner would. */
export interface TerminalApi {
  input(data: string): void;
  focus(): void;
}

interface Props {
  /**
   * The session to attach to; null while it starts: the terminal is drawn
   * already (xterm.js takes a while to open), and attaches once it is known.
   */
  sessionId: string | null;
  /** Called with the terminal's API once it is attached, and with null when it detaches. */
  onReady?: (api: TerminalApi | null) => void;
}

/**
 * A live terminal on the session's sandbox; every resource it opens is
 * released on unmount. The shell lives in the sandbox (tmux), so a reload or a
 * dropped connection reattaches to it, and the agent replays its scrollback.
 */
export function Terminal({ sessionId, onReady }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const opened = useRef<XTerm | null>(null);
  const shownSession = useRef<string | null>(null);
  const ready = useRef(onReady);
  ready.current = onReady;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const view = openXterm(element);
    markStartStep("terminal-opened");
    terminalKeys(view.term);
    opened.current = view.term;
    return () => {
      opened.current = null;
      shownSession.current = null;
      view.dispose();
    };
  }, []);

  useEffect(() => {
    const term = opened.current;
    if (!term || !sessionId) return;
    // Another session in the same terminal (a reset): nothing of the old shell stays on screen.
    if (shownSession.current !== null && shownSession.current !== sessionId) term.reset();
    shownSession.current = sessionId;
    const socket: Socket<TerminalServerEvents, TerminalClientEvents> = takeTerminalConnection().socket(TERMINAL_NAMESPACE, {
      // A function: each reconnection presents the terminal's size at that moment.
      auth: (send) => send({ sessionId, size: { cols: term.cols, rows: term.rows }, ...REPORTS_CONSUMED }),
    });
    let attached = false;
    socket.on("connect", () => {
      markStartStep("terminal-connected");
      // Reattaching replays the shell's scrollback: start from a clean screen so nothing shows twice.
      if (attached) term.reset();
      attached = true;
    });
    let output = false;
    writeOutputInto(term, socket, () => {
      if (!output) markStartStep("terminal-first-output");
      output = true;
    });
    socket.on("terminal:closed", ({ reason }) => term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`));
    socket.on("connect_error", (error) => term.write(`\r\n\x1b[31m[${error.message}]\x1b[0m\r\n`));
    const typing = term.onData((data) => socket.emit("terminal:input", data));
    const resizing = term.onResize((size) => socket.emit("terminal:resize", size));
    term.focus();
    ready.current?.({ input: (data) => socket.emit("terminal:input", data), focus: () => term.focus() });

    return () => {
      ready.current?.(null);
      typing.dispose();
      resizing.dispose();
      socket.disconnect();
    };
  }, [sessionId]);

  return (
    <section className="terminal-frame" aria-label="Terminal">
      <div ref={container} data-testid="terminal" />
    </section>
  );
}
