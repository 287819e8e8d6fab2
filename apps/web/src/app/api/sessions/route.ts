import type { SandboxStatus } from "@drydock/protocol";
import { NextResponse } from "next/server";
import { z } from "zod";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { errorResponse, visitorId } from "@/server/http/responses";
import { reserveSession, startSession } from "@/server/learners/sessions";

export const dynamic = "force-dynamic";

const EXPECTED_SHAPE = 'Send {"lessonId": "<a lesson id>"} to start a lesson, or no body (or {}) for the playground.';
const startSchema = z
  .object({ lessonId: z.string().min(1).max(100).nullish() })
  .strict()
  .nullish();

/** The start request's body; anything but the expected shape is refused, never silently trimmed. */
function parseStartBody(text: string): { lessonId: string | null } {
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new HttpError(`The body is not JSON. ${EXPECTED_SHAPE}`, 400);
  }
  const body = startSchema.safeParse(json);
  if (!body.success) throw new HttpError(`${body.error.issues.map((issue) => issue.message).join("; ")}. ${EXPECTED_SHAPE}`, 400);
  return { lessonId: body.data?.lessonId ?? null };
}

/**
 * Start a session: a private sandbox for this browser, for a lesson or the
 * free playground, within the start budget (refusals: 400, 404, 429, 503,
 * each with {error} and, for the budget, Retry-After; server.ts has already
 * refused foreign origins and addresses over their rate). With
 * `Accept: application/x-ndjson` the answer streams one JSON line per
 * progress step ({status}), then {session} or {error}.
 */
export async function POST(request: Request): Promise<Response> {
  const ctx = webContext();
  try {
    const { lessonId } = parseStartBody(await request.text());
    const visitor = await visitorId();
    const reserved = await reserveSession(ctx, { visitorId: visitor, lessonId });
    if (!request.headers.get("accept")?.includes("application/x-ndjson")) {
      return NextResponse.json(await startSession(ctx, reserved), { status: 201 });
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        try {
          send({ session: await startSession(ctx, reserved, (status: SandboxStatus) => send({ status })) });
        } catch (error) {
          send({ error: error instanceof HttpError ? error.message : "The sandbox could not be started; try again." });
        }
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
