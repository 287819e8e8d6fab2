import type { AgentHeartbeatAnswer } from "@drydock/protocol";
import { NextResponse } from "next/server";
import { acceptHeartbeat } from "@/server/agents/agent-registry";
import { removeSandboxesLeftBehind } from "@/server/agents/agent-sweeper";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { readJsonBody } from "@/server/http/json-body";
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
    const body = await readJsonBody(request, "the agent's heartbeat: {publicUrl, labels, capacity}");
    const { agentId, name, publicUrl, cameBack } = await acceptHeartbeat(ctx.db, request.headers.get("authorization"), body);
    if (cameBack) {
      ctx.log.info("agent.up_again", { agent: name });
      void removeSandboxesLeftBehind(ctx, agentId, publicUrl).catch((error: unknown) =>
        ctx.log.error("agent.cleanup_failed", { agent: name, error }),
      );
    }
    return NextResponse.json({ agentId, name } satisfies AgentHeartbeatAnswer, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) ctx.log.warn("agent.heartbeat_refused", { reason: error.message });
    return errorResponse(ctx, error);
  }
}
