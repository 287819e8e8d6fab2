import type { SeatDetail } from "@drydock/protocol";
import { openSandboxChannel, requestOnChannel } from "../agents/sandbox-channel-client";
import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import { seatOf } from "./room-control";

const RECENT_COMMANDS = 10;

/** The visitor's newest ready session (a seat's, or the presenter's): the sandbox a watcher or the seat's view reaches. */
export async function liveSession(ctx: Pick<WebContext, "db">, visitorId: string) {
  return ctx.db.session.findFirst({ where: { visitorId, state: "ready" }, orderBy: { createdAt: "desc" } });
}

/** Runs one read-only request on a seat's sandbox channel (a read token: nothing can be changed through it). */
async function readFromSeat<T>(
  ctx: WebContext,
  visitorId: string,
  ask: (channel: ReturnType<typeof openSandboxChannel>) => Promise<T>,
): Promise<T> {
  const session = await liveSession(ctx, visitorId);
  if (!session?.sandboxId)
    throw new HttpError("The seat has no running sandbox; its saved files are in the report once it has one again.", 409);
  const channel = openSandboxChannel(ctx.agents.at(session.agentUrl), session.sandboxId, "read");
  try {
    return await ask(channel);
  } finally {
    channel.close();
  }
}

/** What an instructor opening a seat sees besides its terminal: the workspace's files, the last check, the last commands. */
export async function seatDetail(ctx: WebContext, workshopId: string, seatId: string): Promise<SeatDetail> {
  const seat = await seatOf(ctx, workshopId, seatId);
  const [lastCheck, commands, session] = await Promise.all([
    ctx.db.checkAttempt.findFirst({ where: { seatId }, orderBy: { at: "desc" } }),
    ctx.db.commandMark.findMany({ where: { seatId }, orderBy: { at: "desc" }, take: RECENT_COMMANDS }),
    liveSession(ctx, seat.visitorId),
  ]);
  const files = session
    ? await readFromSeat(ctx, seat.visitorId, (channel) => requestOnChannel(channel, "files:list", {})).then(
        (listing) => listing.entries.filter((entry) => entry.type === "file").map((entry) => entry.path),
        () => [],
      )
    : [];
  return {
    seatId,
    files,
    lastCheck: lastCheck
      ? {
          lessonId: lastCheck.lessonId,
          stepId: lastCheck.stepId,
          passed: lastCheck.passed,
          output: lastCheck.output,
          at: lastCheck.at.toISOString(),
        }
      : null,
    commands: commands.map((command) => ({ exitCode: command.exitCode, command: command.command, at: command.at.toISOString() })),
    sessionId: session?.id ?? null,
  };
}

export async function seatFile(ctx: WebContext, workshopId: string, seatId: string, path: string): Promise<{ content: string }> {
  const seat = await seatOf(ctx, workshopId, seatId);
  const file = await readFromSeat(ctx, seat.visitorId, (channel) => requestOnChannel(channel, "files:read", { path }));
  return { content: "binary" in file ? `(a binary file of ${file.size} bytes)` : file.content };
}
