"use client";

import { useState } from "react";
import type { Socket } from "socket.io-client";
import { askRoom } from "./room-socket";

/** Runs room actions one at a time and keeps the last refusal's words to show. */
export function useRoomAction(socket: Socket | null) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(event: string, ...request: unknown[]): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await askRoom<T>(socket, event, ...request);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error };
}
