import {
  type CheckOutcome,
  type CheckRequest,
  type FilesDeleteRequest,
  type FilesWriteRequest,
  type FileWriteResult,
  type Reply,
  SANDBOX_NAMESPACE,
  type SandboxClientEvents,
  type SandboxServerEvents,
  type SandboxStatus,
  stepOpenedRequestSchema,
} from "@drydock/protocol";
import type { Server, Socket } from "socket.io";
import { openSandboxChannel } from "../agents/sandbox-channel-client";
import type { WebContext } from "../context";
import { activityRecorder } from "../learners/activity";
import { recordStepPassed } from "../learners/progress";
import { forgetSavedFile, keepSavedFile } from "../learners/saved-files";
import { markEnded } from "../learners/sessions";
import { runStepSetups, stepSetupRequests } from "../learners/step-setup";
import { checkRan, type SeatRef, seatOfVisitor } from "../workshops/seat-signals";
import { reportLostSandbox } from "./agent-loss";
import { type OwnedSandbox, ownedSessionNamespace } from "./session-owner";

const ANSWER_TIMEOUT_MS = 150_000;

/** Every request the protocol declares, relayed as is or not; the record makes a new one a compile error until it is listed. */
const RELAYED_REQUESTS: Record<keyof SandboxClientEvents, boolean> = {
  "check:run": true,
  "files:list": true,
  "files:read": true,
  "files:write": true,
  // The control plane's own, to prepare a workspace: a page saves one file at a time, each kept as the learner's.
  "files:write-many": false,
  // The control plane's own too: a lesson's files outside the workspace, placed by the engine, never a learner's.
  "files:place": false,
  "files:create": true,
  "files:rename": true,
  "files:delete": true,
  "files:watch": true,
  "files:unwatch": true,
  "ports:list": true,
  "ports:watch": true,
  "ports:unwatch": true,
  "images:list": true,
  "images:watch": true,
  "images:unwatch": true,
  // Answered here: the control plane knows the lesson's hidden setup scripts, the page does not.
  "step:opened": false,
};
const RELAYED_PUSHES: Record<keyof SandboxServerEvents, true> = {
  "sandbox:status": true,
  "files:changed": true,
  "ports:changed": true,
  "images:changed": true,
};

type BrowserSocket = Socket<SandboxClientEvents, SandboxServerEvents, Record<string, never>, OwnedSandbox>;
type Untyped = { emit(event: string, ...args: unknown[]): unknown; on(event: string, listener: (...args: unknown[]) => void): unknown };

/**
 * The sandbox channel (status, checks, files, ports, images) on the web origin: the
 * same ownership check as the terminal, then a relay to the agent with a
 * write token. Besides relaying, it keeps the learner's record: a passed
 * check of one of the lesson's steps is saved as progress, and a file saved
 * or deleted from the page updates the control plane's copy; a workshop
 * seat's every check also feeds the instructors' grid.
 */
export function serveSandboxGateway(io: Server, ctx: WebContext): void {
  const { log } = ctx;
  const namespace = ownedSessionNamespace<SandboxClientEvents, SandboxServerEvents>(io, SANDBOX_NAMESPACE, ctx);

  namespace.on("connection", (browser: BrowserSocket) => {
    const owned = browser.data;
    const upstream = openSandboxChannel(ctx.agents.at(owned.agentUrl), owned.sandboxId, "write");
    const seat = owned.workshopId ? seatOfVisitor(ctx, owned.visitorId) : Promise.resolve(undefined);
    const remember = recorder(owned, seat, ctx);
    const active = activityRecorder(ctx.db, owned.sessionId, log);
    const from = browser as unknown as Untyped;
    const to = upstream as unknown as Untyped & { timeout(ms: number): Untyped };

    for (const [event, relayed] of Object.entries(RELAYED_REQUESTS)) {
      if (!relayed) continue;
      from.on(event, (request, ack) => {
        if (typeof ack !== "function") return;
        active();
        to.timeout(ANSWER_TIMEOUT_MS).emit(event, request, (error: unknown, reply: Reply<unknown>) => {
          if (error) return ack({ ok: false, error: `The sandbox did not answer ${event} in time.`, hint: "Try again." });
          ack(reply);
          if (reply.ok) void remember(event, request, reply.value);
        });
      });
    }
    serveStepOpened(
      browser,
      owned,
      ctx,
      (request) =>
        new Promise((resolve, reject) => {
          to.timeout((request.timeoutMs ?? 30_000) + 10_000).emit("check:run", request, (error: unknown, reply: Reply<CheckOutcome>) => {
            if (error) reject(new Error("The sandbox did not answer in time."));
            else if (reply.ok) resolve(reply.value);
            else reject(new Error(reply.error));
          });
        }),
    );
    for (const event of Object.keys(RELAYED_PUSHES)) {
      to.on(event, (payload) => {
        from.emit(event, payload);
        if (event === "sandbox:status") void onStatus(owned, payload as SandboxStatus, ctx);
      });
    }
    // The agent's machine may have died: the page hears so once the session's record says it ended.
    const followLoss = () =>
      reportLostSandbox(
        ctx,
        owned,
        (status) => browser.emit("sandbox:status", status),
        () => browser.connected,
      ).then(
        () => browser.disconnect(),
        (error: unknown) => log.error("gateway.loss_not_reported", { sessionId: owned.sessionId, error }),
      );
    upstream.on("connect_error", (error) => {
      log.warn("gateway.agent_refused", { sandboxId: owned.sandboxId, error });
      // An agent that answered and refused is alive: the page is told at once, as before; one that cannot be reached may be dead.
      if ((error as { type?: string }).type === "TransportError") void followLoss();
      else browser.disconnect();
    });
    upstream.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      log.warn("gateway.agent_disconnected", { sandboxId: owned.sandboxId, reason });
      void followLoss();
    });
    browser.on("disconnect", () => upstream.close());
  });
}

/** step:opened — runs the opened step's setup scripts once in this sandbox, and says how that went. */
function serveStepOpened(
  browser: BrowserSocket,
  owned: OwnedSandbox,
  ctx: WebContext,
  run: (request: CheckRequest) => Promise<CheckOutcome>,
): void {
  browser.on("step:opened", (request, ack) => {
    if (typeof ack !== "function") return;
    const parsed = stepOpenedRequestSchema.safeParse(request);
    if (!parsed.success) {
      ack({ ok: false, error: "Invalid step:opened request.", hint: parsed.error.issues.map((issue) => issue.message).join("; ") });
      return;
    }
    const lesson = owned.lessonId ? ctx.lessons.find(owned.lessonId) : undefined;
    const requests = lesson ? stepSetupRequests(lesson, parsed.data.stepId) : [];
    void runStepSetups(requests, run).then(
      (outcome) => {
        if (outcome.ran || !outcome.passed) {
          ctx.log.info("lessons.step_setup", {
            sessionId: owned.sessionId,
            lessonId: owned.lessonId,
            stepId: parsed.data.stepId,
            ...outcome,
          });
        }
        ack({ ok: true, value: outcome });
      },
      (error: unknown) => {
        ctx.log.warn("lessons.step_setup_failed", { sessionId: owned.sessionId, stepId: parsed.data.stepId, error });
        ack({ ok: true, value: { ran: true, passed: false, message: error instanceof Error ? error.message : String(error) } });
      },
    );
  });
}

async function onStatus(owned: OwnedSandbox, status: SandboxStatus, ctx: WebContext): Promise<void> {
  if (status.state !== "gone" && status.state !== "failed") return;
  await markEnded(ctx, owned.sessionId, status.state).catch((error: unknown) => ctx.log.error("gateway.record_failed", { error }));
}

/** What the control plane keeps of a successful request. Only the lesson's own checks count as progress. */
function recorder(owned: OwnedSandbox, seat: Promise<SeatRef | undefined>, ctx: WebContext) {
  return async (event: string, request: unknown, value: unknown): Promise<void> => {
    const { visitorId, lessonId } = owned;
    if (!lessonId) return;
    try {
      if (event === "check:run") {
        const outcome = value as CheckOutcome;
        const lesson = ctx.lessons.find(lessonId);
        const step = lesson?.steps.find((candidate) => candidate.check.script === (request as CheckRequest).script);
        if (!step) return;
        if (outcome.passed) await recordStepPassed(ctx.db, visitorId, lessonId, step.id);
        const inRoom = await seat;
        if (inRoom) await checkRan(ctx, inRoom, lessonId, step.id, outcome.passed, outcome.output || outcome.message);
      } else if (event === "files:write") {
        const result = value as FileWriteResult;
        const { path, content } = request as FilesWriteRequest;
        if (result.status === "written") await keepSavedFile(ctx.db, visitorId, lessonId, { path, content, etag: result.file.etag });
      } else if (event === "files:delete") {
        await forgetSavedFile(ctx.db, visitorId, lessonId, (request as FilesDeleteRequest).path);
      }
    } catch (error) {
      ctx.log.error("gateway.record_failed", { event, error });
    }
  };
}
