"use client";

import type { Reply } from "@drydock/protocol";
import { WORKSHOP_NAMESPACE } from "@drydock/protocol/workshop";
import { useEffect, useState } from "react";
import { Manager, type Socket } from "socket.io-client";

/** The workshop room's socket for this page, reconnecting by itself; null until made. */
export function useRoomSocket<Server extends object, Client extends object>(
  workshopId: string,
): {
  socket: Socket<Server, Client> | null;
  problem: string | null;
} {
  const [socket, setSocket] = useState<Socket<Server, Client> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const manager = new Manager({ transports: ["websocket"] });
    const opened: Socket<Server, Client> = manager.socket(WORKSHOP_NAMESPACE, { auth: { workshopId } });
    opened.on("connect", () => setProblem(null));
    opened.on("connect_error", (error) => setProblem(error.message));
    opened.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") setProblem("Reconnecting to the room…");
    });
    setSocket(opened);
    return () => {
      opened.disconnect();
      manager._close();
      setSocket(null);
    };
  }, [workshopId]);
  return { socket, problem };
}

/** Sends a request that the server acknowledges; its refusal becomes an Error with the server's words. */
export async function askRoom<T>(socket: Socket | null, event: string, ...request: unknown[]): Promise<T> {
  if (!socket) throw new Error("Not connected to the room yet.");
  const reply = (await (socket.timeout(60_000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<Reply<T>> })
    .emitWithAck(event, ...request)
    .catch(() => ({ ok: false, error: "The server did not answer in time; try again." }))) as Reply<T>;
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
