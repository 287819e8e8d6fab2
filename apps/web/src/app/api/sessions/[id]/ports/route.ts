import { NextResponse } from "next/server";
import { listSandboxPorts } from "@/server/agents/agent-ports";
import { webContext } from "@/server/context";
import { HttpError } from "@/server/http/http-error";
import { errorResponse, visitorId } from "@/server/http/responses";
import { ownedSession } from "@/server/learners/sessions";

export const dynamic = "force-dynamic";

/** The ports listening in the visitor's sandbox, each with the link that opens its preview. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const session = await ownedSession(ctx, (await params).id, await visitorId());
    if (session.state !== "ready" || !session.sandboxId) throw new HttpError(`The session is ${session.state}.`, 409);
    const ports = await listSandboxPorts(ctx.agents.at(session.agentUrl), session.sandboxId);
    const open = (port: number) => `/api/sessions/${encodeURIComponent(session.id)}/ports/${port}/open`;
    return NextResponse.json(
      { ports: ports.map((info) => ({ ...info, url: open(info.port) })) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
