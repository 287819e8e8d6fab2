import { NextResponse } from "next/server";
import { acceptHeartbeat } from "@/server/agents/agent-registry";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { errorResponse } from "@/server/http/responses";

export const dynamic = "force-dynamic";

/**
 * An agent's report (every 3 s): `Authorization: Bearer <its credential>` and
 * its public URL, labels and capacity (packages/protocol agent-heartbeat.ts).
 * 200 `{agentId, name}`; 401 for a missing, wrong or revoked credential and
 * 400 for a bad body, each with `{error}` saying what to do.
 */
export async function POST(request: Request): Promise<Response> {
  const ctx = webContext();
  try {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new HttpError("The heartbeat's body is not JSON.", 400);
    }
    const answer = await acceptHeartbeat(ctx.db, request.headers.get("authorization"), body);
    return NextResponse.json(answer, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) ctx.log.warn("agent.heartbeat_refused", { reason: error.message });
    return errorResponse(ctx, error);
  }
}
