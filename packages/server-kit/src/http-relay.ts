import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Duplex } from "node:stream";

/**
 * A small reverse proxy for HTTP and WebSocket, used on both hops of a port
 * preview (browser → web gateway → agent → sandbox). Bodies stream both ways;
 * hop-by-hop headers stay on their hop; an upgrade is answered by the target
 * and then piped byte for byte.
 */
export interface RelayTarget {
  host: string;
  port: number;
  /** Path and query to request on the target. */
  path: string;
  /** The headers to send, usually forwardedHeaders(req.headers) plus the relay's own. */
  headers: OutgoingHttpHeaders;
}

export interface RelayFailure {
  /** refused: nothing listens on the port; timeout: no answer in time; unreachable: anything else before an answer. */
  kind: "refused" | "timeout" | "unreachable";
  error: Error;
}

export interface RelayOptions {
  /**
   * Makes the connections: reused for plain HTTP; an upgrade keeps the
   * connection it gets (without one, it opens a fresh connection).
   */
  agent?: Agent;
  connectTimeoutMs?: number;
  /** From the request's start to the response's headers; a streaming body is not limited after that. */
  responseTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_RESPONSE_TIMEOUT_MS = 60_000;

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), and so never cross a proxy. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  // This hop's server already answered "100 Continue" to the client.
  "expect",
]);

/** The headers of a message without those of its hop, including any the Connection header names. */
export function forwardedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    forwarded[name] = value;
  }
  return forwarded;
}

/** Relays one HTTP request and its response. `onFailure` answers when the target could not; nothing was sent yet. */
export function relayHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: RelayTarget,
  onFailure: (failure: RelayFailure) => void,
  options: RelayOptions = {},
): void {
  const upstream = request({
    host: target.host,
    port: target.port,
    method: req.method,
    path: target.path,
    headers: target.headers,
    agent: options.agent,
  });
  const stopTimers = guardTimeouts(upstream, options);
  let clientGone = false;
  let responseComplete = false;

  upstream.on("response", (response) => {
    stopTimers();
    res.writeHead(response.statusCode ?? 502, response.statusMessage, forwardedHeaders(response.headers));
    response.on("end", () => {
      responseComplete = true;
    });
    response.on("error", () => res.destroy());
    response.pipe(res);
  });
  upstream.on("error", (error) => {
    stopTimers();
    if (clientGone) return;
    if (!res.headersSent) onFailure(classify(error));
    // A target may answer in full and close before reading the whole body: that answer stands.
    else if (!responseComplete) res.destroy();
  });
  upstream.on("close", () => {
    // Whatever of the body the target did not take is drained, so the client's connection stays usable.
    if (req.complete) return;
    req.unpipe(upstream);
    req.resume();
  });
  res.on("close", () => {
    stopTimers();
    if (res.writableFinished) return;
    clientGone = true;
    upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * Relays an upgrade request (a WebSocket). If the target switches protocols,
 * the two sockets are piped together until either closes; if it answers
 * otherwise, that answer is relayed and the connection closed.
 */
export function relayUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: RelayTarget,
  onFailure: (failure: RelayFailure) => void,
  options: RelayOptions = {},
): void {
  const headers = { ...target.headers, connection: "Upgrade", upgrade: req.headers.upgrade ?? "websocket" };
  const upstream = request({
    host: target.host,
    port: target.port,
    method: req.method,
    path: target.path,
    headers,
    agent: options.agent ?? false,
  });
  const stopTimers = guardTimeouts(upstream, options);
  let settled = false;
  socket.on("error", () => upstream.destroy());
  socket.on("close", () => {
    if (!settled) upstream.destroy();
  });

  upstream.on("upgrade", (response, upstreamSocket, upstreamHead) => {
    stopTimers();
    settled = true;
    if (socket.destroyed) {
      upstreamSocket.destroy();
      return;
    }
    // The 101's Connection and Upgrade headers are the handshake itself: they pass unchanged.
    socket.write(responseHead(101, response.statusMessage ?? "Switching Protocols", pairs(response.rawHeaders)));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.setNoDelay(true);
    upstreamSocket.on("error", () => socket.destroy());
    upstreamSocket.on("close", () => socket.destroy());
    socket.on("close", () => upstreamSocket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  upstream.on("response", (response) => {
    stopTimers();
    settled = true;
    const kept = Object.entries(forwardedHeaders(response.headers)).filter(([name]) => name !== "content-length");
    socket.write(responseHead(response.statusCode ?? 502, response.statusMessage ?? "", [...flatten(kept), ["connection", "close"]]));
    response.pipe(socket);
  });
  upstream.on("error", (error) => {
    stopTimers();
    if (settled || socket.destroyed) socket.destroy();
    else {
      settled = true;
      onFailure(classify(error));
    }
  });
  upstream.end();
}

export interface RouteHandlers {
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * Hands the requests that `matches` selects, plain and upgrades, to
 * `handlers` alone: the listeners registered so far (socket.io, Next.js)
 * never see them. Call it after those listeners are registered.
 */
export function routeFirst(server: Server, matches: (req: IncomingMessage) => boolean, handlers: RouteHandlers): void {
  const requestListeners = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  const upgradeListeners = server.listeners("upgrade") as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners("request");
  server.removeAllListeners("upgrade");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (matches(req)) return handlers.request(req, res);
    for (const listener of requestListeners) listener.call(server, req, res);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (matches(req)) return handlers.upgrade(req, socket, head);
    for (const listener of upgradeListeners) listener.call(server, req, socket, head);
  });
}

/** Answers on a raw socket (an upgrade that cannot be relayed) and closes it. */
export function writeRawResponse(socket: Duplex, status: number, reason: string, headers: Record<string, string>, body: string): void {
  if (socket.destroyed) return;
  const bytes = Buffer.from(body, "utf8");
  const all = [...Object.entries(headers), ["content-length", String(bytes.length)] as const, ["connection", "close"] as const];
  socket.end(Buffer.concat([Buffer.from(responseHead(status, reason, all)), bytes]));
}

class RelayTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`No ${what} within ${ms} ms.`);
    this.name = "RelayTimeout";
  }
}

/** Connect and response timers on an outgoing request; returns a function that stops both. */
function guardTimeouts(upstream: ReturnType<typeof request>, options: RelayOptions): () => void {
  const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const responseMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
  const responseTimer = setTimeout(() => upstream.destroy(new RelayTimeout("response", responseMs)), responseMs);
  let connectTimer: NodeJS.Timeout | undefined;
  upstream.on("socket", (socket) => {
    if (!(socket as { connecting?: boolean }).connecting) return;
    connectTimer = setTimeout(() => upstream.destroy(new RelayTimeout("connection", connectMs)), connectMs);
    socket.once("connect", () => clearTimeout(connectTimer));
  });
  return () => {
    clearTimeout(responseTimer);
    clearTimeout(connectTimer);
  };
}

function classify(error: Error): RelayFailure {
  if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED") return { kind: "refused", error };
  if (error instanceof RelayTimeout) return { kind: "timeout", error };
  return { kind: "unreachable", error };
}

function responseHead(status: number, reason: string, headers: ReadonlyArray<readonly [string, string]>): string {
  const lines = headers.map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, " ")}`);
  return `HTTP/1.1 ${status} ${reason.replace(/[\r\n]+/g, " ")}\r\n${lines.join("\r\n")}${lines.length > 0 ? "\r\n" : ""}\r\n`;
}

function pairs(raw: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2) result.push([raw[index] ?? "", raw[index + 1] ?? ""]);
  return result;
}

function flatten(entries: Array<[string, OutgoingHttpHeaders[string]]>): Array<[string, string]> {
  return entries.flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((one) => [name, one] as [string, string]) : [[name, String(value)] as [string, string]],
  );
}
