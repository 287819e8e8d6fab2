import {
  type CheckOutcome,
  type CheckRequest,
  type FilesDeleteRequest,
  type FilesWriteRequest,
  type FileWriteResult,
  type Logger,
  type Reply,
  SANDBOX_NAMESPACE,
  type SandboxClientEvents,
  type SandboxServerEvents,
  type SandboxStatus,
} from "@drydock/protocol";
import type { Server, Socket } from "socket.io";
import { forgetSavedFile, keepSavedFile, recordStepPassed } from "./learner-store";
import { findLesson } from "./lessons";
import { openSandboxChannel } from "./sandbox-channel-client";
import { type OwnedSandbox, ownedSessionNamespace } from "./session-owner";
import { agentAt, markEnded } from "./sessions";

const ANSWER_TIMEOUT_MS = 150_000;

/** Every request the protocol declares, relayed as is or not; the record makes a new one a compile error until it is listed. */
const RELAYED_REQUESTS: Record<keyof SandboxClientEvents, boolean> = {
  "check:run": true,
  "files:list": true,
  "files:read": true,
  "files:write": true,
  // The control plane's own, to prepare a workspace: a page saves one file at a time, each kept as the learner's.
  "files:write-many": false,
  "files:create": true,
  "files:rename": true,
  "files:delete": true,
  "files:watch": true,
  "files:unwatch": true,
  "ports:list": true,
  "ports:watch": true,
  "ports:unwatch": true,
};
const RELAYED_PUSHES: Record<keyof SandboxServerEvents, true> = { "sandbox:status": true, "files:changed": true, "ports:changed": true };

type BrowserSocket = Socket<SandboxClientEvents, SandboxServerEvents, Record<string, never>, OwnedSandbox>;
type Untyped = { emit(event: string, ...args: unknown[]): unknown; on(event: string, listener: (...args: unknown[]) => void): unknown };

/**
 * The sandbox channel (status, checks, files, ports) on the web origin: the
 * same ownership check as the terminal, then a relay to the agent with a
 * write token. Besides relaying, it keeps the learner's record: a passed
 * check of one of the lesson's steps is saved as progress, and a file saved
 * or deleted from the page updates the control plane's copy.
 */
export function serveSandboxGateway(io: Server, log: Logger): void {
  const namespace = ownedSessionNamespace<SandboxClientEvents, SandboxServerEvents>(io, SANDBOX_NAMESPACE, log);

  namespace.on("connection", (browser: BrowserSocket) => {
    const owned = browser.data;
    const upstream = openSandboxChannel(owned.agentUrl, owned.sandboxId, agentAt(owned.agentUrl).terminalToken(owned.sandboxId, "write"));
    const remember = recorder(owned, log);
    const from = browser as unknown as Untyped;
    const to = upstream as unknown as Untyped & { timeout(ms: number): Untyped };

    for (const [event, relayed] of Object.entries(RELAYED_REQUESTS)) {
      if (!relayed) continue;
      from.on(event, (request, ack) => {
        if (typeof ack !== "function") return;
        to.timeout(ANSWER_TIMEOUT_MS).emit(event, request, (error: unknown, reply: Reply<unknown>) => {
          if (error) return ack({ ok: false, error: `The sandbox did not answer ${event} in time.`, hint: "Try again." });
          ack(reply);
          if (reply.ok) void remember(event, request, reply.value);
        });
      });
    }
    for (const event of Object.keys(RELAYED_PUSHES)) {
      to.on(event, (payload) => {
        from.emit(event, payload);
        if (event === "sandbox:status") void onStatus(owned, payload as SandboxStatus, log);
      });
    }
    upstream.on("connect_error", (error) => {
      log.warn("gateway.agent_refused", { sandboxId: owned.sandboxId, error });
      browser.disconnect(true);
    });
    browser.on("disconnect", () => upstream.close());
  });
}

async function onStatus(owned: OwnedSandbox, status: SandboxStatus, log: Logger): Promise<void> {
  if (status.state !== "gone" && status.state !== "failed") return;
  await markEnded(owned.sessionId, status.state).catch((error: unknown) => log.error("gateway.record_failed", { error }));
}

/** What the control plane keeps of a successful request. Only the lesson's own checks count as progress. */
function recorder(owned: OwnedSandbox, log: Logger) {
  return async (event: string, request: unknown, value: unknown): Promise<void> => {
    const { visitorId, lessonId } = owned;
    if (!lessonId) return;
    try {
      if (event === "check:run" && (value as CheckOutcome).passed) {
        const lesson = await findLesson(lessonId);
        const step = lesson?.steps.find((candidate) => candidate.check.script === (request as CheckRequest).script);
        if (step) await recordStepPassed(visitorId, lessonId, step.id);
      } else if (event === "files:write") {
        const result = value as FileWriteResult;
        const { path, content } = request as FilesWriteRequest;
        if (result.status === "written") await keepSavedFile(visitorId, lessonId, path, content, result.file.etag);
      } else if (event === "files:delete") {
        await forgetSavedFile(visitorId, lessonId, (request as FilesDeleteRequest).path);
      }
    } catch (error) {
      log.error("gateway.record_failed", { event, error });
    }
  };
}
