import { isPreviewPort } from "@drydock/protocol";
import { type NextRequest, NextResponse } from "next/server";
import { webContext } from "@/server/context";
import { GRANT_PATH, mintGrant } from "@/server/gateways/preview-grant";
import { isSafePreviewPath, previewHostname, previewUrl } from "@/server/gateways/preview-host";
import { HttpError } from "@/server/http/http-error";
import { errorResponse, visitorId } from "@/server/http/responses";
import { ownedSession } from "@/server/learners/sessions";

export const dynamic = "force-dynamic";

/**
 * Opens a port's preview for the session's owner: checks the visitor cookie,
 * then sends the browser to the preview host with a one-time grant, which
 * that host trades for a cookie of its own (see preview-grant.ts).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; port: string }> }): Promise<NextResponse> {
  const ctx = webContext();
  try {
    const { id, port: portText } = await params;
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!isPreviewPort(port)) throw new HttpError(`"${portText}" is not a port number (1-65535).`, 400);
    const path = request.nextUrl.searchParams.get("path") ?? "/";
    if (!isSafePreviewPath(path)) throw new HttpError("The path must start with a single / (e.g. /app).", 400);
    const session = await ownedSession(ctx, id, await visitorId());
    if (session.state !== "ready" || !session.sandboxId) throw new HttpError(`The session is ${session.state}.`, 409);

    const domain = ctx.config.PREVIEW_DOMAIN;
    const address = { sessionId: session.id, port };
    const grant = await mintGrant(ctx.config.DRYDOCK_AGENT_SECRET, previewHostname(address, domain));
    const forwardedProto = request.headers.get("x-forwarded-proto");
    const main = { protocol: forwardedProto ? `${forwardedProto}:` : request.nextUrl.protocol, host: request.headers.get("host") ?? "" };
    const query = new URLSearchParams({ token: grant.token, nonce: grant.nonce, path });
    const response = NextResponse.redirect(previewUrl(address, domain, main, `${GRANT_PATH}?${query}`), 303);
    response.headers.set("cache-control", "no-store");
    response.headers.set("referrer-policy", "no-referrer");
    return response;
  } catch (error) {
    return errorResponse(ctx, error);
  }
}
