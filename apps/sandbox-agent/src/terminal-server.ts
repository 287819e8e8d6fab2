import type { SandboxDriver, TtySession } from "@drydock/engine";
import {
  agentTerminalAuthSchema,
  type Logger,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
  terminalInputSchema,
  terminalSizeSchema,
} from "@drydock/protocol";
import type { Namespace, Server, Socket } from "socket.io";
import { requireSandboxToken, type SandboxAccess } from "./socket-auth";

type TerminalNamespace = Namespace<TerminalClientEvents, TerminalServerEvents, Record<string, never>, SandboxAccess>;
type TerminalSocket = Socket<TerminalClientEvents, TerminalServerEvents, Record<string, never>, SandboxAccess>;

const DEFAULT_SIZE = { cols: 80, rows: 24 };

/**
 * One terminal stream per connection. A connection is refused, with the reason
 * in the error's message, unless it carries a valid token for its sandbox.
 */
export function serveTerminals(io: Server, deps: { driver: SandboxDriver; secret: string; log: Logger }): void {
  const namespace = io.of(TERMINAL_NAMESPACE) as unknown as TerminalNamespace;
  namespace.use(requireSandboxToken(deps.secret, deps.log));

  namespace.on("connection", (socket) => {
    const auth = agentTerminalAuthSchema.parse(socket.handshake.auth);
    attach(socket, auth.size ?? DEFAULT_SIZE, deps).catch((error: unknown) => {
      deps.log.error("terminal.attach_failed", { sandboxId: socket.data.sandboxId, error });
      socket.emit("terminal:closed", { reason: error instanceof Error ? error.message : "The terminal could not be opened." });
      socket.disconnect(true);
    });
  });
}

async function attach(socket: TerminalSocket, size: { cols: number; rows: number }, deps: { driver: SandboxDriver; log: Logger }) {
  const { sandboxId, canWrite } = socket.data;
  let session: TtySession | undefined;
  // Keystrokes may arrive while the shell is still being opened: keep them in order.
  const pendingInput: string[] = [];

  socket.on("terminal:input", (data) => {
    if (!canWrite || !terminalInputSchema.safeParse(data).success) return;
    if (session) session.stream.write(data);
    else pendingInput.push(data);
  });
  socket.on("terminal:resize", (requested) => {
    const parsed = terminalSizeSchema.safeParse(requested);
    if (canWrite && parsed.success) session?.resize(parsed.data).catch(() => {});
  });

  session = await deps.driver.openShell(sandboxId, size);
  if (socket.disconnected) {
    session.dispose();
    return;
  }
  const opened = session;
  deps.log.info("terminal.attached", { sandboxId, canWrite });
  for (const data of pendingInput.splice(0)) opened.stream.write(data);

  opened.stream.on("data", (chunk: Buffer) => socket.emit("terminal:output", chunk));
  opened.stream.on("end", () => {
    socket.emit("terminal:closed", { reason: "The shell exited." });
    socket.disconnect(true);
  });
  opened.stream.on("error", (error: Error) => deps.log.warn("terminal.stream_error", { sandboxId, error }));
  socket.on("disconnect", (reason) => {
    opened.dispose();
    deps.log.info("terminal.detached", { sandboxId, reason });
  });
}
