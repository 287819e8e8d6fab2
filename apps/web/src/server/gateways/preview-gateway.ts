import { Agent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { agentPreviewPath, PREVIEW_TOKEN_HEADER, type PreviewPage } from "@drydock/protocol";
import {
  forwardedHeaders,
  type Logger,
  mintToken,
  type RelayTarget,
  type RouteHandlers,
  relayHttp,
  relayUpgrade,
  routeFirst,
  writeRawResponse,
} from "@drydock/server-kit";
import type { AgentRoute } from "../agents/agent-route";
import {
  GRANT_PATH,
  GrantLedger,
  hasPreviewAccess,
  mintPreviewCookie,
  previewCookieHeader,
  type SpentGrants,
  withoutPreviewCookie,
} from "./preview-grant";
import { isPreviewHost, isSafePreviewPath, parsePreviewHost, previewHostname } from "./preview-host";
import { agentUnreachable, grantRefused, noAccess, noSuchPreview, previewFailed, sessionEnded } from "./preview-pages";

export interface PreviewSession {
  state: string;
  sandboxId: string | null;
  agentUrl: string;
}

export interface PreviewGatewayDeps {
  /** The agent secret: signs the agent tokens, and (derived) the preview grants and cookies. */
  secret: string;
  domain: string;
  /** Where traded grants are remembered: shared by every web node when there are several. */
  spentGrants?: SpentGrants;
  log: Logger;
  /** How this node connects to the agent a session names (agent-directory.ts). */
  route(agentUrl: string): AgentRoute;
  findSession(sessionId: string): Promise<PreviewSession | null | undefined>;
}

type Decision =
  | { kind: "relay"; target: RelayTarget; port: number; agent: Agent }
  | { kind: "page"; page: PreviewPage }
  | { kind: "redirect"; location: string; cookie: string };

/** Agent tokens for one proxied request live only as long as it takes to send it. */
const AGENT_TOKEN_TTL_SECONDS = 60;

/**
 * Requests for preview hosts: the learner's app in their sandbox, reached
 * through the agent that hosts it, for the owner's browser only (see
 * preview-grant.ts). Drydock's pages, API and sockets never see these requests.
 */
export function createPreviewGateway(deps: PreviewGatewayDeps): RouteHandlers & { matches(req: IncomingMessage): boolean } {
  const ledger = new GrantLedger(deps.secret, deps.spentGrants);
  const keepAlive = new Agent({ keepAlive: true });

  async function decide(req: IncomingMessage, isUpgrade: boolean): Promise<Decision> {
    const address = parsePreviewHost(req.headers.host, deps.domain);
    if (!address) return { kind: "page", page: noSuchPreview() };
    const hostname = previewHostname(address, deps.domain);
    const url = new URL(req.url ?? "/", "http://preview");
    if (!isUpgrade && url.pathname === GRANT_PATH) {
      const path = url.searchParams.get("path") ?? "/";
      const grant = { token: url.searchParams.get("token"), nonce: url.searchParams.get("nonce") };
      if (!isSafePreviewPath(path) || !(await ledger.redeem(hostname, grant))) return { kind: "page", page: grantRefused() };
      return { kind: "redirect", location: path, cookie: previewCookieHeader(await mintPreviewCookie(deps.secret, hostname)) };
    }
    if (!(await hasPreviewAccess(deps.secret, hostname, req.headers.cookie))) return { kind: "page", page: noAccess() };
    const session = await deps.findSession(address.sessionId);
    if (session?.state !== "ready" || !session.sandboxId) return { kind: "page", page: sessionEnded() };

    const headers = forwardedHeaders(req.headers);
    const cookie = withoutPreviewCookie(req.headers.cookie);
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    headers[PREVIEW_TOKEN_HEADER] = await mintToken(deps.secret, { sub: session.sandboxId, rights: "read" }, AGENT_TOKEN_TTL_SECONDS);
    headers["x-forwarded-host"] ??= req.headers.host;
    headers["x-forwarded-proto"] ??= "http";
    headers["x-forwarded-for"] = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const route = deps.route(session.agentUrl);
    const agentUrl = new URL(route.url);
    return {
      kind: "relay",
      port: address.port,
      agent: route.agent ?? keepAlive,
      target: {
        host: agentUrl.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(agentUrl.port || 80),
        path: agentPreviewPath(session.sandboxId, address.port, req.url ?? "/"),
        headers,
      },
    };
  }

  const failed = (error: unknown): Decision => {
    deps.log.error("preview.failed", { error });
    return { kind: "page", page: previewFailed() };
  };
  const unreachable = (req: IncomingMessage, error: Error): PreviewPage => {
    deps.log.warn("preview.agent_unreachable", { host: req.headers.host, error });
    return agentUnreachable();
  };

  return {
    matches: (req) => isPreviewHost(req.headers.host, deps.domain),
    request(req, res) {
      decide(req, false)
        .catch(failed)
        .then((decision) => {
          if (decision.kind === "relay") {
            return relayHttp(req, res, decision.target, ({ error }) => sendPage(res, unreachable(req, error)), { agent: decision.agent });
          }
          if (decision.kind === "page") return sendPage(res, decision.page);
          res
            .writeHead(303, {
              location: decision.location,
              "set-cookie": decision.cookie,
              "cache-control": "no-store",
              "referrer-policy": "no-referrer",
            })
            .end();
        });
    },
    upgrade(req, socket, head) {
      socket.on("error", () => socket.destroy());
      decide(req, true)
        .catch(failed)
        .then((decision) => {
          if (decision.kind === "relay") {
            // A tunnel's transport makes the upgrade's connection too; a direct one gets a fresh connection.
            const agent = decision.agent === keepAlive ? undefined : decision.agent;
            return relayUpgrade(req, socket, head, decision.target, ({ error }) => writePage(socket, unreachable(req, error)), { agent });
          }
          writePage(socket, decision.kind === "page" ? decision.page : noAccess());
        });
    },
  };
}

/** Call last, after every other listener of the web server is registered: preview hosts then reach nothing else. */
export function servePreviewGateway(http: Server, deps: PreviewGatewayDeps): void {
  const gateway = createPreviewGateway(deps);
  routeFirst(http, gateway.matches, gateway);
}

function sendPage(res: ServerResponse, page: PreviewPage): void {
  if (res.headersSent) return;
  res.writeHead(page.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page.html);
}

function writePage(socket: Duplex, page: PreviewPage): void {
  writeRawResponse(socket, page.status, page.reason, { "content-type": "text/html; charset=utf-8" }, page.html);
}
