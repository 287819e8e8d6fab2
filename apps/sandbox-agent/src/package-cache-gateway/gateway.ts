import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { forwardedHeaders, type Logger, relayHttp, writeRawResponse } from "@drydock/server-kit";
import { decidePackageRequest } from "./archive-hosts";

/** How long an idle client connection stays open, as HTTP proxies keep them (squid: 2 minutes). */
const KEEP_ALIVE_MS = 120_000;

export interface PackageCacheGatewayOptions {
  /** Where sandboxes reach it: their network's gateway address. */
  host: string;
  port: number;
  /** The package cache (apt-cacher-ng), e.g. http://127.0.0.1:3142. */
  upstream: string;
  log: Logger;
}

export interface RunningPackageCacheGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * The package cache as sandboxes see it (their http_proxy): a forward proxy
 * that passes requests for Debian's archive (archive-hosts.ts) on to
 * apt-cacher-ng, which downloads each file once for every sandbox on the host.
 */
export async function startPackageCacheGateway(options: PackageCacheGatewayOptions): Promise<RunningPackageCacheGateway> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== "http:") throw new Error(`PACKAGE_CACHE_UPSTREAM must be an http:// URL (got ${options.upstream}).`);
  // A fresh connection to the cache per request: it is on this host, and a reused one the cache
  // has just closed would fail a learner's download.
  const agent = new Agent({ keepAlive: false });
  const server = createServer((req, res) => handle(req, res, options, upstream, agent));
  // apt keeps its connection between requests while it verifies what it got (gpgv, seconds on a
  // busy host) and pipelines the next ones; Node's 5 s default closed it under apt, which then hung.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => {});
    const decision = decidePackageRequest("CONNECT", req.url ?? "");
    if (decision.action === "refuse") {
      options.log.info("package_cache_gateway.refused", { method: "CONNECT", target: req.url?.slice(0, 200) });
      writeRawResponse(
        socket,
        decision.status,
        "Method Not Allowed",
        { "content-type": "text/plain; charset=utf-8" },
        `${decision.message}\n`,
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `The package-cache gateway cannot listen on ${options.host}:${options.port} (${error.code ?? error.message}). ` +
            "Another Drydock agent on this host may serve it already, or the address is not the sandbox network's gateway.",
          { cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  options.log.info("package_cache_gateway.listening", { url, upstream: upstream.origin });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, options: PackageCacheGatewayOptions, upstream: URL, agent: Agent): void {
  const decision = decidePackageRequest(req.method ?? "GET", req.url ?? "");
  if (decision.action === "refuse") {
    options.log.info("package_cache_gateway.refused", { method: req.method, target: req.url?.slice(0, 200), status: decision.status });
    req.resume();
    res.writeHead(decision.status, { "content-type": "text/plain; charset=utf-8" }).end(`${decision.message}\n`);
    return;
  }
  // The cache is itself an HTTP proxy: it is asked for the absolute URL, with the archive's Host.
  const headers = { ...forwardedHeaders(req.headers), host: decision.host };
  relayHttp(
    req,
    res,
    { host: upstream.hostname, port: Number(upstream.port || 80), path: decision.url, headers },
    (failure) => {
      options.log.error("package_cache_gateway.upstream_failed", {
        url: decision.url,
        upstream: upstream.origin,
        kind: failure.kind,
        error: failure.error,
      });
      res
        .writeHead(503, { "content-type": "text/plain; charset=utf-8" })
        .end(
          `Drydock's package cache (${upstream.origin}) did not answer (${failure.kind}). ` +
            "Check `docker ps` for drydock-apt-cache, or run npm run provision.\n",
        );
    },
    // A cache miss on a large package starts streaming as soon as the archive answers.
    { agent, responseTimeoutMs: 120_000 },
  );
}
