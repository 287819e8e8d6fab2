import type { Server } from "node:http";
import type { Logger } from "@drydock/server-kit";
import { webConfig } from "./config";
import { db } from "./db";
import { servePreviewGateway } from "./preview-gateway";

/** Port previews on the web server: call after every other listener (socket.io, Next) is registered. */
export function servePreviews(http: Server, log: Logger): void {
  const config = webConfig();
  servePreviewGateway(http, {
    secret: config.DRYDOCK_AGENT_SECRET,
    domain: config.PREVIEW_DOMAIN,
    log,
    findSession: (id) => db().session.findUnique({ where: { id }, select: { state: true, sandboxId: true, agentUrl: true } }),
  });
}
