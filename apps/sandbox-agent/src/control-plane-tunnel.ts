import { lookup } from "node:dns/promises";
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { createServer as createHttp2Server, constants as http2, type ServerHttp2Stream } from "node:http2";
import { connect, type Socket } from "node:net";
import { AGENT_TUNNEL_LIVENESS, AGENT_TUNNEL_PATH, AGENT_TUNNEL_SESSION, AGENT_TUNNEL_UPGRADE } from "@drydock/protocol";
import { keepSessionAlive, type Logger } from "@drydock/server-kit";
import { backoffMs } from "./backoff";
import { controlPlaneRefusal } from "./control-plane-refusal";

export interface TunnelOptions {
  /**
   * The web nodes to dial. Each URL's host is looked up again every few
   * seconds and every address it has gets a tunnel, so one name for all web
   * nodes (a Kubernetes headless Service) reaches each of them.
   */
  webNodeUrls: string[];
  credential: string;
  /** The agent's own API and sockets: where every tunneled connection goes, and nowhere else. */
  local: { host: string; port: number };
  log: Logger;
}

interface Target {
  key: string;
  /** The AGENT_TUNNEL_URLS entry it came from. */
  entry: string;
  url: URL;
  address: string;
}

const RETRY = { firstMs: 500, maxMs: 5_000 };
const DIAL_TIMEOUT_MS = 10_000;
const RESOLVE_EVERY_MS = 10_000;

/** Where the agent's own server is reached from this host: a wildcard listen address is reached on loopback. */
export function localAddress(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

/** One CONNECT stream from a web node: piped to a fresh connection to the agent's own server. */
function serveStream(stream: ServerHttp2Stream, method: string | undefined, local: TunnelOptions["local"]): void {
  if (method !== "CONNECT") {
    stream.respond({ ":status": 405 }, { endStream: true });
    return;
  }
  const upstream = connect(local.port, localAddress(local.host));
  upstream.setNoDelay(true);
  upstream.once("connect", () => {
    stream.respond({ ":status": 200 });
    upstream.pipe(stream).pipe(upstream);
  });
  upstream.on("error", () => stream.close(http2.NGHTTP2_CONNECT_ERROR));
  upstream.once("close", () => stream.close());
  stream.on("error", () => upstream.destroy());
  stream.once("close", () => {
    if (stream.rstCode !== http2.NGHTTP2_NO_ERROR) upstream.destroy();
  });
}

function refusalOf(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(`${response.statusCode}: ${controlPlaneRefusal(Buffer.concat(chunks).toString("utf8"))}`));
    response.on("error", () => resolve(String(response.statusCode)));
  });
}

/**
 * Keeps a tunnel open to every web node for the life of the agent: the web
 * nodes reach its API and sockets through them, so its host needs no inbound
 * port. A tunnel that fails or is refused is logged (once per change of
 * reason) and dialed again with backoff; nothing here ever stops the agent.
 */
export function startTunnels(options: TunnelOptions): { stop(): void } {
  const { log, credential, local } = options;
  const server = createHttp2Server({
    maxSessionMemory: AGENT_TUNNEL_SESSION.maxSessionMemoryMiB,
    settings: { initialWindowSize: AGENT_TUNNEL_SESSION.windowBytes, maxConcurrentStreams: AGENT_TUNNEL_SESSION.maxConcurrentStreams },
  });
  server.on("stream", (stream, headers) => serveStream(stream, headers[":method"], local));
  server.on("session", (session) => keepSessionAlive(session, AGENT_TUNNEL_LIVENESS));

  const links = new Map<string, { entry: string; close(): void }>();
  let stopped = false;

  function link(target: Target): { close(): void } {
    const webNode = `http://${target.address}:${target.url.port || 80}`;
    let failures = 0;
    let lastProblem: string | undefined;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let dialing: ClientRequest | undefined;
    let socket: Socket | undefined;

    const retry = (problem: string) => {
      if (closed) return;
      failures += 1;
      const retryMs = backoffMs(failures - 1, RETRY);
      if (problem !== lastProblem) {
        log.warn("tunnel.failed", {
          webNode,
          error: problem,
          retryMs,
          hint: "Check AGENT_TUNNEL_URLS and DRYDOCK_AGENT_CREDENTIAL; web nodes cannot reach this agent's sandboxes meanwhile.",
        });
      }
      lastProblem = problem;
      timer = setTimeout(dial, retryMs);
      timer.unref();
    };

    function dial(): void {
      dialing = httpRequest({
        host: target.address,
        port: target.url.port || undefined,
        path: AGENT_TUNNEL_PATH,
        headers: {
          host: target.url.host,
          connection: "Upgrade",
          upgrade: AGENT_TUNNEL_UPGRADE,
          authorization: `Bearer ${credential}`,
        },
        timeout: DIAL_TIMEOUT_MS,
      });
      dialing.on("upgrade", (_response, upgraded: Socket, head: Buffer) => {
        dialing = undefined;
        if (closed) return void upgraded.destroy();
        socket = upgraded;
        upgraded.setTimeout(0);
        upgraded.setNoDelay(true);
        if (head.length > 0) upgraded.unshift(head);
        upgraded.once("close", () => {
          socket = undefined;
          retry("The tunnel closed.");
        });
        server.emit("connection", upgraded);
        log.info("tunnel.connected", { webNode, afterFailures: failures });
        failures = 0;
        lastProblem = undefined;
      });
      dialing.on("response", (response) => {
        dialing = undefined;
        void refusalOf(response).then((reason) => retry(`The web node refused the tunnel (${reason})`));
      });
      dialing.on("timeout", () => dialing?.destroy(new Error(`No answer within ${DIAL_TIMEOUT_MS} ms.`)));
      dialing.on("error", (error) => {
        dialing = undefined;
        retry(error.message);
      });
      dialing.end();
    }

    dial();
    return {
      close() {
        closed = true;
        clearTimeout(timer);
        dialing?.destroy();
        socket?.destroy();
      },
    };
  }

  /** Every address of every entry; an entry whose lookup failed is listed in `unresolved`, its tunnels kept. */
  async function targets(): Promise<{ found: Target[]; unresolved: Set<string> }> {
    const found: Target[] = [];
    const unresolved = new Set<string>();
    for (const entry of options.webNodeUrls) {
      const url = new URL(entry);
      try {
        for (const { address } of await lookup(url.hostname.replace(/^\[(.*)\]$/, "$1"), { all: true })) {
          found.push({ key: `${url.protocol}//${address}:${url.port}`, entry, url, address });
        }
      } catch (error) {
        unresolved.add(entry);
        log.warn("tunnel.lookup_failed", { webNode: entry, error });
      }
    }
    return { found, unresolved };
  }

  let resolveTimer: NodeJS.Timeout | undefined;
  async function refresh(): Promise<void> {
    const { found, unresolved } = await targets();
    if (stopped) return;
    const keys = new Set(found.map((target) => target.key));
    for (const [key, open] of links) {
      // Only an address gone from an answer is closed: a lookup that failed says nothing about the web nodes.
      if (!keys.has(key) && !unresolved.has(open.entry)) {
        open.close();
        links.delete(key);
      }
    }
    for (const target of found) if (!links.has(target.key)) links.set(target.key, { entry: target.entry, ...link(target) });
    resolveTimer = setTimeout(() => void refresh(), RESOLVE_EVERY_MS);
    resolveTimer.unref();
  }

  void refresh();
  return {
    stop() {
      stopped = true;
      clearTimeout(resolveTimer);
      for (const open of links.values()) open.close();
      links.clear();
      server.close();
    },
  };
}
