import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestOptions,
  request,
  type ServerResponse,
} from "node:http";
import { pipeline } from "node:stream";
import { forwardedHeaders, type Logger } from "@drydock/server-kit";
import { sendRegistryError } from "./responses";

/**
 * The relay's forwardable headers, less what the registry must not see: the
 * gateway has checked the caller's credentials (the registry trusts everyone
 * who reaches it), and X-Forwarded-* would let a caller choose the host the
 * registry writes into its Location headers.
 */
export function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept = forwardedHeaders(headers);
  for (const name of Object.keys(kept)) {
    if (name === "authorization" || name.startsWith("x-forwarded-")) delete kept[name];
  }
  return kept;
}

export interface Upstream {
  url: URL;
  agent: Agent;
  log: Logger;
}

/** The client's request as asked of one upstream: same method, target and forwardable headers. */
function upstreamRequest(req: IncomingMessage, target: string, upstream: Upstream): RequestOptions {
  return {
    protocol: upstream.url.protocol,
    hostname: upstream.url.hostname,
    port: upstream.url.port,
    method: req.method,
    path: target,
    headers: forwardableHeaders(req.headers),
    agent: upstream.agent,
  };
}

/**
 * Streams a request to the registry and its answer back, bodies never
 * buffered (layers are hundreds of megabytes). The Host header is kept, so
 * the Location headers the registry writes point back through the gateway.
 */
export function forward(req: IncomingMessage, res: ServerResponse, target: string, upstream: Upstream): void {
  const outgoing = request(upstreamRequest(req, target, upstream), (answer) => {
    res.writeHead(answer.statusCode ?? 502, forwardableHeaders(answer.headers));
    pipeline(answer, res, () => {});
  });
  outgoing.on("error", (error) => {
    // The client went away (an aborted upload): nothing to answer, and not the registry's failure.
    if (req.socket.destroyed) return;
    upstream.log.error("registry_gateway.upstream_failed", { method: req.method, target, upstream: upstream.url.origin, error });
    sendRegistryError(
      res,
      503,
      "UNAVAILABLE",
      `The registry behind the gateway (${upstream.url.origin}) did not answer. Check \`docker ps\` for drydock-registry, or run npm run provision.`,
    );
  });
  // A client that goes away mid-upload takes the upstream request with it.
  pipeline(req, outgoing, () => {});
}

/**
 * A read (GET or HEAD, no body) asked of each upstream in turn until one has
 * it: the registry first, then the Docker Hub mirror. When none has it (or
 * the last one did not answer), `missing` answers instead.
 */
export function forwardRead(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  upstreams: Upstream[],
  missing: (why: "not-found" | "unreachable") => void,
): void {
  const [upstream, ...rest] = upstreams;
  if (!upstream) {
    missing("not-found");
    return;
  }
  const outgoing = request(upstreamRequest(req, target, upstream), (answer) => {
    if (answer.statusCode === 404) {
      answer.resume();
      forwardRead(req, res, target, rest, missing);
      return;
    }
    res.writeHead(answer.statusCode ?? 502, forwardableHeaders(answer.headers));
    pipeline(answer, res, () => {});
  });
  outgoing.on("error", (error) => {
    if (req.socket.destroyed) return;
    upstream.log.error("registry_gateway.upstream_failed", { method: req.method, target, upstream: upstream.url.origin, error });
    if (rest.length > 0) forwardRead(req, res, target, rest, missing);
    else missing("unreachable");
  });
  outgoing.end();
}
