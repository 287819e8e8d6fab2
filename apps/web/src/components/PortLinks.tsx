"use client";

import type { PortInfo } from "@drydock/protocol";
import { useEffect, useState } from "react";

const POLL_MS = 2000;

function describe(port: PortInfo): string {
  if (port.container) return `${port.container.name} (${port.container.image})`;
  return port.process ?? "";
}

/**
 * Links to the previews of the ports listening in the sandbox, each opening
 * in a new tab on its own origin. Deliberately plain: the lesson player
 * shows ports its own way.
 */
export function PortLinks({ sessionId }: { sessionId: string }) {
  const [ports, setPorts] = useState<PortInfo[]>([]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/ports`, { cache: "no-store" });
        if (response.ok && !stopped) setPorts(((await response.json()) as { ports: PortInfo[] }).ports);
      } catch {
        // The next poll tries again; ports are a convenience, the terminal is what matters.
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sessionId]);

  if (ports.length === 0) return null;
  return (
    <nav aria-label="Open ports" className="toolbar">
      <span className="status">Open ports:</span>
      {ports.map((port) => (
        <a
          key={port.port}
          href={port.url}
          target="_blank"
          rel="noopener noreferrer"
          title={port.localOnly ? "Listens on 127.0.0.1 only: make the app listen on 0.0.0.0 to preview it" : describe(port)}
        >
          {port.port}
          {port.localOnly ? " (local only)" : ""}
        </a>
      ))}
    </nav>
  );
}
