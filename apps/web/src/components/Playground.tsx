"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { PortLinks } from "./PortLinks";

// xterm.js touches the DOM at import time: load it only in the browser.
const Terminal = dynamic(() => import("./Terminal").then((module) => module.Terminal), { ssr: false });

type State = { kind: "idle" } | { kind: "starting" } | { kind: "ready"; sessionId: string } | { kind: "failed"; reason: string };

async function readError(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `The server answered ${response.status}.`;
}

export function Playground() {
  const [state, setState] = useState<State>({ kind: "idle" });

  async function start() {
    setState({ kind: "starting" });
    try {
      const response = await fetch("/api/sessions", { method: "POST" });
      if (!response.ok) return setState({ kind: "failed", reason: await readError(response) });
      const session = (await response.json()) as { id: string };
      setState({ kind: "ready", sessionId: session.id });
    } catch {
      setState({ kind: "failed", reason: "The server could not be reached. Check your connection and try again." });
    }
  }

  async function stop(sessionId: string) {
    setState({ kind: "idle" });
    await fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: "DELETE" }).catch(() => {});
  }

  return (
    <>
      <div className="toolbar">
        {state.kind === "ready" ? (
          <button type="button" className="secondary" onClick={() => stop(state.sessionId)}>
            Stop
          </button>
        ) : (
          <button type="button" onClick={start} disabled={state.kind === "starting"}>
            {state.kind === "failed" ? "Try again" : "Start"}
          </button>
        )}
        <span className="status" role="status" aria-live="polite">
          {state.kind === "idle" && "Press Start to get a private Docker engine."}
          {state.kind === "starting" && "Starting your sandbox…"}
          {state.kind === "ready" && "Your sandbox is ready."}
        </span>
        {state.kind === "failed" && (
          <span className="error" role="alert">
            {state.reason}
          </span>
        )}
      </div>
      {state.kind === "ready" && <Terminal sessionId={state.sessionId} />}
      {state.kind === "ready" && <PortLinks sessionId={state.sessionId} />}
    </>
  );
}
