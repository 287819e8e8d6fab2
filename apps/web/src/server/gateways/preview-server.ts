import type { Server } from "node:http";
import type { WebContext } from "../context";
import { servePreviewGateway } from "./preview-gateway";

/** Port previews on the web server: call after every other listener (socket.io, Next) is registered. */
export function servePreviews(http: Server, ctx: WebContext): void {
  servePreviewGateway(http, {
    secret: ctx.config.DRYDOCK_AGENT_SECRET,
    domain: ctx.config.PREVIEW_DOMAIN,
    spentGrants: ctx.node.spentGrants,
    log: ctx.log,
    route: ctx.agents.route,
    findSession: (id) => ctx.db.session.findUnique({ where: { id }, select: { state: true, sandboxId: true, agentUrl: true } }),
  });
}
