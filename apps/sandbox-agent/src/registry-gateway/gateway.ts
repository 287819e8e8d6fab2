import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@drydock/server-kit";
import { authenticate } from "./authenticate";
import { forward, forwardRead, type Upstream } from "./proxy";
import { bearerChallenge, sendRegistryError, TOKEN_PATH } from "./responses";
import { type Caller, decide } from "./rules";
import { mintRegistryToken, TOKEN_TTL_SECONDS } from "./tokens";

export interface RegistryGatewayOptions {
  /** Where sandboxes reach it: their network's gateway address. */
  host: string;
  port: number;
  /** The real registry, e.g. http://127.0.0.1:5000. */
  upstream: string;
  /** A Docker Hub pull-through mirror (Distribution in proxy mode), asked for library/* reads the registry does not hold. */
  hubMirror?: string;
  key: Buffer;
  log: Logger;
}

export interface RunningRegistryGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * The registry as sandboxes see it (`drydock-registry:5000`): a reverse proxy
 * in front of the real registry that checks who may read and write which
 * repository (rules.ts), with a token endpoint for Docker's client.
 */
export async function startRegistryGateway(options: RegistryGatewayOptions): Promise<RunningRegistryGateway> {
  const upstreamUrl = new URL(options.upstream);
  if (upstreamUrl.protocol !== "http:") throw new Error(`REGISTRY_UPSTREAM must be an http:// URL (got ${options.upstream}).`);
  const upstream: Upstream = { url: upstreamUrl, agent: new Agent({ keepAlive: true, maxSockets: 64 }), log: options.log };
  const hubMirror = options.hubMirror ? httpUpstream(options.hubMirror, "HUB_MIRROR_UPSTREAM", options.log) : undefined;
  const reads = hubMirror ? [upstream, hubMirror] : [upstream];
  // No time limit on a request: pushing a large layer over a slow link takes as long as it takes.
  const server = createServer({ requestTimeout: 0 }, (req, res) => handle(req, res, options, upstream, reads));

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `The registry gateway cannot listen on ${options.host}:${options.port} (${error.code ?? error.message}). ` +
            "Another Drydock agent on this host may serve it already, or the address is not the sandbox network's gateway.",
          { cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  options.log.info("registry_gateway.listening", { url, upstream: upstreamUrl.origin, hubMirror: hubMirror?.url.origin });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      upstream.agent.destroy();
      hubMirror?.agent.destroy();
    },
  };
}

function httpUpstream(address: string, variable: string, log: Logger): Upstream {
  const url = new URL(address);
  if (url.protocol !== "http:") throw new Error(`${variable} must be an http:// URL (got ${address}).`);
  return { url, agent: new Agent({ keepAlive: true, maxSockets: 64 }), log };
}

function handle(req: IncomingMessage, res: ServerResponse, options: RegistryGatewayOptions, upstream: Upstream, reads: Upstream[]): void {
  const { key, log } = options;
  const authentication = authenticate(key, req.headers.authorization);
  const challenge = { "www-authenticate": bearerChallenge(req.headers.host) };
  if (!authentication.ok) {
    log.warn("registry_gateway.unauthorized", {
      method: req.method,
      path: pathOf(req),
      user: authentication.user,
      reason: authentication.message,
    });
    refuse(req, res, 401, "UNAUTHORIZED", authentication.message, challenge);
    return;
  }
  const { caller } = authentication;
  if (pathOf(req) === TOKEN_PATH && (req.method === "GET" || req.method === "HEAD")) {
    issueToken(res, key, caller);
    return;
  }
  const decision = decide(req.method ?? "GET", req.url ?? "/", caller);
  if (decision.action === "forward" && decision.hubFallback) {
    forwardRead(req, res, decision.target, reads, (why) =>
      sendRegistryError(res, 404, "NAME_UNKNOWN", notOnHand(decision.target, why, reads.length > 1)),
    );
  } else if (decision.action === "forward") {
    forward(req, res, decision.target, upstream);
  } else if (decision.action === "challenge") {
    refuse(req, res, 401, "UNAUTHORIZED", decision.message, challenge);
  } else {
    log.info("registry_gateway.denied", { method: req.method, path: pathOf(req), caller: describe(caller), code: decision.code });
    refuse(req, res, decision.status, decision.code, decision.message);
  }
}

/** A refused upload's body is read and dropped, so the client gets the answer instead of a reset connection. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  req.resume();
  sendRegistryError(res, status, code, message, headers);
}

/**
 * The token endpoint: whoever authenticated (a learner with their password)
 * or nobody (the mirror) gets a token saying so. Wrong credentials never get
 * here: they are refused with 401 above, which is what fails `docker login`.
 */
function issueToken(res: ServerResponse, key: Buffer, caller: Caller): void {
  const token = mintRegistryToken(key, caller.kind === "learner" ? caller : { kind: "anonymous" });
  res
    .writeHead(200, { "content-type": "application/json" })
    .end(JSON.stringify({ token, access_token: token, expires_in: TOKEN_TTL_SECONDS, issued_at: new Date().toISOString() }));
}

/** Why an image is not to be had, and what to do: with no internet, only what the registry holds. */
function notOnHand(target: string, why: "not-found" | "unreachable", withMirror: boolean): string {
  const name = /^\/v2\/library\/(.+?)\/(?:manifests|blobs|tags)\//.exec(target)?.[1] ?? "this image";
  const source = withMirror
    ? why === "unreachable"
      ? "and the Docker Hub mirror did not answer"
      : "nor does Docker Hub (through the host's mirror)"
    : "and this host has no Docker Hub mirror (it may have no internet)";
  return `${name} is not in Drydock's registry ${source}. Use an image it holds, such as debian:bookworm or debian:bookworm-slim.`;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}

function describe(caller: Caller): string {
  return caller.kind === "learner" ? caller.name : caller.kind;
}
