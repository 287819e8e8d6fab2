import type { SandboxStatus } from "@drydock/protocol";
import { NextResponse } from "next/server";
import { z } from "zod";
import { errorResponse, visitorId } from "@/server/http";
import { SessionError, startSession } from "@/server/sessions";

export const dynamic = "force-dynamic";

const startSchema = z.object({ lessonId: z.string().min(1).max(100).nullish() }).nullish();

/**
 * Start a session: a private sandbox for this browser, for a lesson or the
 * free playground. With `Accept: application/x-ndjson` the answer streams one
 * JSON line per progress step ({status}), then {session} or {error}.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const text = await request.text();
    const body = startSchema.safeParse(text ? JSON.parse(text) : null);
    if (!body.success) throw new SessionError('Send {"lessonId": "…"} or nothing.', 400);
    const lessonId = body.data?.lessonId ?? null;
    const visitor = await visitorId();
    if (!request.headers.get("accept")?.includes("application/x-ndjson")) {
      return NextResponse.json(await startSession(visitor, lessonId), { status: 201 });
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        try {
          send({ session: await startSession(visitor, lessonId, (status: SandboxStatus) => send({ status })) });
        } catch (error) {
          send({ error: error instanceof SessionError ? error.message : "The sandbox could not be started; try again." });
        }
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof SyntaxError) return errorResponse(new SessionError("The body is not JSON.", 400));
    return errorResponse(error);
  }
}
