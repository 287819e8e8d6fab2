"use client";

import type { PortInfo, Reply, SandboxClientEvents, SandboxServerEvents, SandboxStatus } from "@drydock/protocol";
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";

export type SandboxChannel = Socket<SandboxServerEvents, SandboxClientEvents>;

type RequestName = keyof SandboxClientEvents;
type RequestOf<E extends RequestName> = Parameters<SandboxClientEvents[E]>[0];
export type ValueOf<E extends RequestName> = Parameters<Parameters<SandboxClientEvents[E]>[1]>[0] extends Reply<infer T> ? T : never;

/** One request on the sandbox channel; a timeout or a lost connection becomes a refusal the page can show. */
export async function ask<E extends RequestName>(
  channel: SandboxChannel,
  event: E,
  request: RequestOf<E>,
  timeoutMs = 30_000,
): Promise<Reply<ValueOf<E>>> {
  try {
    // socket.io's typed emit cannot follow a generic event name; the types are checked by the signature.
    return await (channel.timeout(timeoutMs) as unknown as { emitWithAck(e: string, r: unknown): Promise<Reply<ValueOf<E>>> }).emitWithAck(
      event,
      request,
    );
  } catch {
    return { ok: false, error: "The sandbox did not answer in time.", hint: "Check your connection and try again." };
  }
}

export interface ChannelState {
  channel: SandboxChannel | null;
  status: SandboxStatus | null;
  ports: PortInfo[];
}

/** The session's sandbox channel through the web gateway: its status and ports, kept up to date, and the socket for requests. */
export function useSandboxChannel(sessionId: string | null): ChannelState {
  const [state, setState] = useState<ChannelState>({ channel: null, status: null, ports: [] });

  useEffect(() => {
    if (!sessionId) {
      setState({ channel: null, status: null, ports: [] });
      return;
    }
    const channel: SandboxChannel = io("/sandbox", { auth: { sessionId }, transports: ["websocket"] });
    setState({ channel, status: null, ports: [] });
    channel.on("sandbox:status", (status) => setState((previous) => ({ ...previous, status })));
    channel.on("ports:changed", ({ ports }) => setState((previous) => ({ ...previous, ports })));
    // After every (re)connection: watch the ports again, on the agent's new socket.
    channel.on("connect", () => {
      void ask(channel, "ports:watch", {}).then((reply) => {
        if (reply.ok) setState((previous) => ({ ...previous, ports: reply.value }));
      });
    });
    return () => {
      channel.disconnect();
    };
  }, [sessionId]);

  return state;
}
