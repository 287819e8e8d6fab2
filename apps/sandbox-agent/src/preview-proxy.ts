import { Agent, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { EngineError, type PortEndpoint, type SandboxDriver } from "@drydock/engine";
import { PREVIEW_TOKEN_HEADER, type PreviewPage, parseAgentPreviewPath } from "@drydock/protocol";
import {
  forwardedHeaders,
  type Logger,
  type RelayFailure,
  type RelayTarget,
  type RouteHandlers,
  relayHttp,
  relayUpgrade,
  routeFirst,
  type TokenRefusal,
  verifyToken,
  writeRawResponse,
} from "@drydock/server-kit";
import { noAnswer, nothingListening, sandboxNotRunning } from "./preview-pages";

export interface PreviewProxyDeps {
  driver: SandboxDriver;
  secret: string;
  log: Logger;
  /** Someone is using the sandbox through a preview: it is not idle. */
  onActivity?(sandboxId: string): void;
}

export interface PreviewProxy extends RouteHandlers {
  matches(req: IncomingMessage): boolean;
}

/** A container's address is stable while it runs; looking it up costs an inspect, so it is kept briefly. */
const ENDPOINT_TTL_MS = 5_000;

/** Refusals the caller fixes by getting a new token (401) versus a token that can never do this (403). */
const STATUS_OF_REFUSAL: Record<TokenRefusal, number> = {
  missing: 401,
  malformed: 401,
  forged: 401,
  expired: 401,
  "wrong-sandbox": 403,
  "insufficient-rights": 403,
};

type Answer = { kind: "json"; status: number; body: { error: string; hint?: string } } | { kind: "page"; page: PreviewPage };

/** Serves previews on the agent's server, ahead of its API and socket.io. Call it after socket.io is attached. */
export function servePreviews(http: Server, deps: PreviewProxyDeps): void {
  const proxy = createPreviewProxy(deps);
  routeFirst(http, proxy.matches, proxy);
}

/**
 * The agent's preview proxy: `/v1/sandboxes/:id/ports/:port/http/<path>`
 * reaches `<path>` on that port of the sandbox, for a caller holding a token
 * with at least "read" on the sandbox. The agent runs on the sandboxes' host,
 * which reaches each sandbox's address on the sandbox network.
 */
export function createPreviewProxy({ driver, secret, log, onActivity }: PreviewProxyDeps): PreviewProxy {
  const agent = new Agent({ keepAlive: true });
  const endpoints = new Map<string, { host: string; until: number }>();

  async function endpointOf(sandboxId: string, port: number): Promise<PortEndpoint> {
    const cached = endpoints.get(sandboxId);
    if (cached && cached.until > Date.now()) return { host: cached.host, port };
    const endpoint = await driver.portEndpoint(sandboxId, port);
    endpoints.set(sandboxId, { host: endpoint.host, until: Date.now() + ENDPOINT_TTL_MS });
    return endpoint;
  }

  /** The target to relay to, or the answer to give instead. */
  async function resolve(req: IncomingMessage): Promise<RelayTarget | Answer> {
    const route = parseAgentPreviewPath(req.url ?? "");
    if (!route) return { kind: "json", status: 404, body: { error: "Not a preview path." } };
    const check = await verifyToken(secret, req.headers[PREVIEW_TOKEN_HEADER], { sandboxId: route.sandboxId, needs: "read" });
    if (!check.ok) {
      log.warn("preview.refused", { sandboxId: route.sandboxId, port: route.port, reason: check.reason });
      return {
        kind: "json",
        status: STATUS_OF_REFUSAL[check.reason],
        body: { error: `Refused: ${check.message}`, hint: "Previews are opened through the web app, which signs each request." },
      };
    }
    onActivity?.(route.sandboxId);
    try {
      const { host, port } = await endpointOf(route.sandboxId, route.port);
      const headers = forwardedHeaders(req.headers);
      delete headers[PREVIEW_TOKEN_HEADER];
      return { host, port, path: route.pathAndQuery, headers };
    } catch (error) {
      if (error instanceof EngineError && error.code === "sandbox-not-found") return { kind: "page", page: sandboxNotRunning() };
      throw error;
    }
  }

  function failurePage(req: IncomingMessage, failure: RelayFailure): PreviewPage {
    const port = parseAgentPreviewPath(req.url ?? "")?.port ?? 0;
    if (failure.kind === "refused") return nothingListening(port);
    log.info("preview.no_answer", { port, kind: failure.kind, error: failure.error });
    return noAnswer(port, failure.kind === "timeout");
  }

  function sendAnswer(res: ServerResponse, answer: Answer): void {
    if (res.headersSent) return;
    if (answer.kind === "json") {
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
      return;
    }
    const { status, html } = answer.page;
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  }

  function writeAnswer(socket: Duplex, answer: Answer): void {
    if (answer.kind === "json") {
      writeRawResponse(socket, answer.status, "Refused", { "content-type": "application/json" }, JSON.stringify(answer.body));
      return;
    }
    const { status, reason, html } = answer.page;
    writeRawResponse(socket, status, reason, { "content-type": "text/html; charset=utf-8" }, html);
  }

  const unexpected = (error: unknown): Answer => {
    log.error("preview.failed", { error });
    return { kind: "json", status: 500, body: { error: "The agent could not proxy the request.", hint: "See the agent's log." } };
  };

  return {
    matches: (req) => parseAgentPreviewPath(req.url ?? "") !== undefined,
    request(req, res) {
      resolve(req)
        .catch(unexpected)
        .then((target) => {
          if ("kind" in target) return sendAnswer(res, target);
          relayHttp(req, res, target, (failure) => sendAnswer(res, { kind: "page", page: failurePage(req, failure) }), { agent });
        });
    },
    upgrade(req, socket, head) {
      socket.on("error", () => socket.destroy());
      resolve(req)
        .catch(unexpected)
        .then((target) => {
          if ("kind" in target) return writeAnswer(socket, target);
          relayUpgrade(req, socket, head, target, (failure) => writeAnswer(socket, { kind: "page", page: failurePage(req, failure) }));
        });
    },
  };
}
