import { agentTerminalAuthSchema } from "@drydock/protocol";
import { type Logger, verifyToken } from "@drydock/server-kit";
import type { Socket } from "socket.io";

/** What a verified socket may do; set on socket.data by the middleware. */
export interface SandboxAccess {
  sandboxId: string;
  canWrite: boolean;
}

/**
 * socket.io middleware: a connection needs a valid token for the sandbox it
 * names. A refusal carries the reason in the error's message.
 */
export function requireSandboxToken(secret: string, log: Logger) {
  const admit = async (socket: Socket): Promise<Error | undefined> => {
    const auth = agentTerminalAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return new Error("Refused: the handshake needs a token and a sandboxId.");
    const check = await verifyToken(secret, auth.data.token, { sandboxId: auth.data.sandboxId, needs: "read" });
    if (!check.ok) {
      log.warn("socket.refused", { namespace: socket.nsp.name, sandboxId: auth.data.sandboxId, reason: check.reason });
      return new Error(`Refused: ${check.message}`);
    }
    const access: SandboxAccess = { sandboxId: auth.data.sandboxId, canWrite: check.claims.rights !== "read" };
    Object.assign(socket.data, access);
    return undefined;
  };
  return (socket: Socket, next: (error?: Error) => void) => {
    admit(socket).then(next, next);
  };
}
