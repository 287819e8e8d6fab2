import type { IncomingMessage, ServerResponse } from "node:http";
import type { Sandbox } from "@drydock/engine";
import { EngineError, type SandboxDriver } from "@drydock/engine";
import { AGENT_API, type ApiError, createSandboxRequestSchema, type Logger, type SandboxInfo, verifyToken } from "@drydock/protocol";

const MAX_BODY_BYTES = 16 * 1024;

export interface HttpApiDeps {
  driver: SandboxDriver;
  secret: string;
  lifetimeSeconds: number;
  log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.error);
  }
}

/** The agent's control API: only the control plane, holding a "manage" token, may call it. */
export function createHttpApi(deps: HttpApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(deps, req)
      .then(({ status, body }) => send(res, status, body))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, error.status, error.body);
        if (error instanceof EngineError) {
          deps.log.error("api.engine_error", { path: req.url, code: error.code, error });
          return send(res, error.code === "sandbox-not-found" ? 404 : 503, { error: error.message, hint: error.hint });
        }
        deps.log.error("api.failed", { path: req.url, error });
        send(res, 500, { error: "The agent failed to handle the request.", hint: "See the agent's log for details." });
      });
  };
}

async function route(deps: HttpApiDeps, req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const url = new URL(req.url ?? "/", "http://agent");
  if (url.pathname === AGENT_API.health && req.method === "GET") return { status: 200, body: { ok: true } };

  authorize(deps.secret, req);
  if (url.pathname === AGENT_API.sandboxes && req.method === "POST") {
    const request = createSandboxRequestSchema.safeParse(await readJson(req));
    if (!request.success) {
      throw new HttpError(400, { error: "Invalid sandbox request.", hint: request.error.issues.map((i) => i.message).join("; ") });
    }
    const started = performance.now();
    const sandbox = await deps.driver.create({ owner: request.data.owner, lifetimeSeconds: deps.lifetimeSeconds });
    deps.log.info("sandbox.created", { sandboxId: sandbox.id, owner: sandbox.owner, ms: Math.round(performance.now() - started) });
    return { status: 201, body: toInfo(sandbox) };
  }
  const match = /^\/v1\/sandboxes\/([^/]+)$/.exec(url.pathname);
  if (match?.[1] && req.method === "DELETE") {
    const sandboxId = decodeURIComponent(match[1]);
    await deps.driver.destroy(sandboxId);
    deps.log.info("sandbox.destroyed", { sandboxId, by: "api" });
    return { status: 204, body: undefined };
  }
  throw new HttpError(404, { error: `No route for ${req.method} ${url.pathname}.` });
}

function authorize(secret: string, req: IncomingMessage): void {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  const check = verifyToken(secret, token, { sandboxId: "*", needs: "manage" });
  if (!check.ok) {
    throw new HttpError(401, { error: `Unauthorized: ${check.message}`, hint: "Only the control plane may call this API." });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: `Request body larger than ${MAX_BODY_BYTES} bytes.` });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new HttpError(400, { error: "Request body is not valid JSON." });
  }
}

function toInfo(sandbox: Sandbox): SandboxInfo {
  return {
    id: sandbox.id,
    state: sandbox.state,
    createdAt: sandbox.createdAt.toISOString(),
    expiresAt: sandbox.expiresAt.toISOString(),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
