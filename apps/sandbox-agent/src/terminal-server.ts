import type { SandboxDriver, TtySession } from "@drydock/engine";
import {
  type AgentTerminalAuth,
  agentTerminalAuthSchema,
  consumedBytesSchema,
  DEFAULT_TERMINAL,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
  type TerminalSize,
  terminalInputSchema,
  terminalSizeSchema,
} from "@drydock/protocol";
import type { Logger } from "@drydock/server-kit";
import type { Namespace, Server, Socket } from "socket.io";
import type { SandboxFleet } from "./fleet";
import type { AgentMetrics } from "./metrics";
import { OutputFlow } from "./output-flow";
import { CommandEnds } from "./shell-marks";
import type { ShellsAhead } from "./shells-ahead";
import { requireSandboxToken, type SandboxAccess } from "./socket-auth";
import type { StartScheduler } from "./start-scheduler";

type TerminalNamespace = Namespace<TerminalClientEvents, TerminalServerEvents, Record<string, never>, SandboxAccess>;
type TerminalSocket = Socket<TerminalClientEvents, TerminalServerEvents, Record<string, never>, SandboxAccess>;

interface TerminalDeps {
  driver: SandboxDriver;
  fleet: SandboxFleet;
  ahead: ShellsAhead;
  /** Told of every keystroke: boots make way for learners at work. */
  starts: Pick<StartScheduler, "learnerTyped">;
  metrics: AgentMetrics;
  secret: string;
  log: Logger;
}

const DEFAULT_SIZE: TerminalSize = { cols: 80, rows: 24 };

/**
 * Each connection attaches to a named, persistent terminal of its sandbox
 * (the shell outlives the connection). Writers type and set the size;
 * watchers (read tokens) only see. Output is flow-controlled by acks, per
 * chunk or by consumed bytes as the receiver asked (`acks`). In the
 * main terminal, each command's end (the shell integration's OSC 133 marks,
 * read from the output as it passes) is also sent as `terminal:command`.
 */
export function serveTerminals(io: Server, deps: TerminalDeps): void {
  const namespace = io.of(TERMINAL_NAMESPACE) as unknown as TerminalNamespace;
  namespace.use(requireSandboxToken(deps.secret, deps.log));

  namespace.on("connection", (socket) => {
    const auth = agentTerminalAuthSchema.parse(socket.handshake.auth);
    attach(socket, auth.size ?? DEFAULT_SIZE, auth, deps).catch((error: unknown) => {
      deps.log.error("terminal.attach_failed", { sandboxId: socket.data.sandboxId, error });
      socket.emit("terminal:closed", { reason: error instanceof Error ? error.message : "The terminal could not be opened." });
      // This namespace only: the caller's connection also carries its other channels (socket.io multiplexes them).
      socket.disconnect();
    });
  });
}

async function attach(socket: TerminalSocket, size: TerminalSize, auth: AgentTerminalAuth, deps: TerminalDeps) {
  const { sandboxId, canWrite } = socket.data;
  const { terminal } = auth;
  const { metrics, fleet, starts } = deps;
  let session: TtySession | undefined;
  // Keystrokes may arrive while the terminal is still being opened: keep them in order.
  const pendingInput: string[] = [];
  // So may a resize (the page fits its terminal as its layout settles): the latest wins once it is open,
  // or the shell draws for a height the page does not have and its first lines scroll out of sight.
  let pendingSize: TerminalSize | undefined;

  socket.on("terminal:input", (data) => {
    if (!canWrite || !terminalInputSchema.safeParse(data).success) return;
    fleet.touch(sandboxId);
    starts.learnerTyped();
    metrics.terminalBytes.inc({ direction: "in" }, Buffer.byteLength(data));
    if (session) session.stream.write(data);
    else pendingInput.push(data);
  });
  socket.on("terminal:resize", (requested) => {
    const parsed = terminalSizeSchema.safeParse(requested);
    if (!canWrite || !parsed.success) return;
    if (session) session.resize(parsed.data).catch(() => {});
    else pendingSize = parsed.data;
  });

  // The learner's first terminal was opened ahead, while their page connected: it only needs their size.
  const ahead = canWrite && !terminal ? await deps.ahead.take(sandboxId) : undefined;
  if (ahead) await ahead.resize(size).catch(() => {});
  session = ahead ?? (await deps.driver.openShell(sandboxId, size, { readOnly: !canWrite, ...(terminal ? { terminal } : {}) }));
  if (socket.disconnected) {
    session.dispose();
    return;
  }
  const opened = session;
  metrics.terminals.inc();
  deps.log.info("terminal.attached", { sandboxId, terminal: terminal ?? "main", canWrite });
  if (pendingSize) await opened.resize(pendingSize).catch(() => {});
  for (const data of pendingInput.splice(0)) opened.stream.write(data);

  const commandEnds = (terminal ?? DEFAULT_TERMINAL) === DEFAULT_TERMINAL ? new CommandEnds() : undefined;
  const flow = new OutputFlow(
    () => opened.stream.pause(),
    () => opened.stream.resume(),
  );
  // A receiver that reports what it consumed gets the output bare; one of the first protocol acks each chunk.
  const reportsConsumed = auth.acks === "consumed";
  socket.on("terminal:consumed", (bytes) => {
    if (consumedBytesSchema.safeParse(bytes).success) flow.acknowledged(bytes);
  });
  opened.stream.on("data", (chunk: Buffer) => {
    metrics.terminalBytes.inc({ direction: "out" }, chunk.length);
    flow.sent(chunk.length);
    if (reportsConsumed) socket.emit("terminal:data", chunk);
    else socket.emit("terminal:output", chunk, () => flow.acknowledged(chunk.length));
    for (const ended of commandEnds?.read(chunk) ?? []) {
      socket.emit("terminal:command", { ...ended, at: new Date().toISOString() });
    }
  });
  opened.stream.on("end", () => {
    socket.emit("terminal:closed", { reason: "The shell exited." });
    socket.disconnect();
  });
  opened.stream.on("error", (error: Error) => deps.log.warn("terminal.stream_error", { sandboxId, error }));
  socket.on("disconnect", (reason) => {
    opened.dispose();
    metrics.terminals.dec();
    deps.log.info("terminal.detached", { sandboxId, reason });
  });
}
