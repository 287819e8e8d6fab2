"use client";

import type { PortInfo, SandboxStatus } from "@drydock/protocol";
import { useEffect, useState } from "react";

interface Props {
  label: string;
  tone: "idle" | "busy" | "ok" | "warn" | "bad";
  status: SandboxStatus | null;
  expiresAt: string | null;
  ports: PortInfo[];
  portHref: (port: number, path: string) => string | undefined;
  onReset?: () => void;
}

function left(until: string | undefined | null, now: number): string | null {
  if (!until) return null;
  const seconds = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The sandbox's state, its time left, the ports it publishes, and Reset. */
export function StatusBar({ label, tone, status, expiresAt, ports, portHref, onReset }: Props) {
  const [now, setNow] = useState(() => Date.now());
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const expiring = status?.state === "expiring";
  const remaining = left(expiring ? status.removalAt : (status?.expiresAt ?? expiresAt), now);
  const why = expiring ? (status.removalReason === "idle" ? "idle: type anything to keep it" : "time limit") : "";

  return (
    <footer className="status-bar">
      <span className={`status-dot ${tone}`} aria-hidden="true" />
      <span role="status" aria-live="polite" data-testid="sandbox-state">
        {label}
      </span>
      {remaining && (
        <span className={expiring ? "time-left warn" : "time-left"} title={why || "Time left in this sandbox"}>
          {expiring ? `Ends in ${remaining} (${why})` : `${remaining} left`}
        </span>
      )}
      {ports.length > 0 && (
        <nav aria-label="Open ports" className="port-chips">
          {ports.map((port) => {
            const href = portHref(port.port, "/");
            return (
              <a
                key={port.port}
                className={port.localOnly ? "chip muted" : "chip"}
                href={href}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={`Open port ${port.port}${port.localOnly ? " (listens on 127.0.0.1 only)" : ""} in a new tab`}
                title={
                  port.localOnly
                    ? "Listens on 127.0.0.1 only: make the app listen on 0.0.0.0 to preview it"
                    : (port.container?.name ?? port.process ?? "")
                }
              >
                ⇱ {port.port}
              </a>
            );
          })}
        </nav>
      )}
      <span className="spacer" />
      {onReset &&
        (confirming ? (
          <span className="confirm">
            Reset the sandbox? Your saved files come back.
            <button
              type="button"
              className="small danger"
              onClick={() => {
                setConfirming(false);
                onReset();
              }}
            >
              Yes, reset
            </button>
            <button type="button" className="small secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="small secondary" onClick={() => setConfirming(true)}>
            Reset
          </button>
        ))}
    </footer>
  );
}
