import type { IncomingMessage, ServerResponse } from "node:http";
import { EngineError, type SandboxLimits } from "@drydock/engine";
import {
  AGENT_API,
  type ApiError,
  type CreateSandboxRequest,
  createSandboxRequestSchema,
  extendSandboxRequestSchema,
  MAX_SANDBOX_END_MS,
  type SandboxInfo,
  type SandboxStatus,
} from "@drydock/protocol";
import { type Logger, verifyToken } from "@drydock/server-kit";
import { type SandboxFleet, SandboxStateError } from "./fleet";
import type { AgentMetrics } from "./metrics";

const MAX_BODY_BYTES = 16 * 1024;

export interface HttpApiDeps {
  fleet: SandboxFleet;
  metrics: AgentMetrics;
  secret: string;
  log: Logger;
  /** The environment a learner's sandbox gets (their registry credentials). */
  sandboxEnv(owner: string): Record<string, string>;
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
      .then(({ status, body, contentType }) => send(res, status, body, contentType))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, error.status, error.body);
        if (error instanceof SandboxStateError) return send(res, error.status, { error: error.message, hint: error.hint });
        if (error instanceof EngineError) {
          deps.log.error("api.engine_error", { path: req.url, code: error.code, error });
          return send(res, error.code === "sandbox-not-found" ? 404 : 503, { error: error.message, hint: error.hint });
        }
        deps.log.error("api.failed", { path: req.url, error });
        send(res, 500, { error: "The agent failed to handle the request.", hint: "See the agent's log for details." });
      });
  };
}

async function route(deps: HttpApiDeps, req: IncomingMessage): Promise<{ status: number; body: unknown; contentType?: string }> {
  const url = new URL(req.url ?? "/", "http://agent");
  if (req.method === "GET" && url.pathname === AGENT_API.health) {
    return { status: 200, body: { ok: true, pooled: deps.fleet.pooled.length } };
  }
  if (req.method === "GET" && url.pathname === AGENT_API.metrics) {
    return { status: 200, body: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType };
  }

  await authorize(deps.secret, req);
  if (url.pathname === AGENT_API.sandboxes && req.method === "POST") {
    const request = createSandboxRequestSchema.safeParse(await readJson(req));
    if (!request.success) {
      throw new HttpError(400, { error: "Invalid sandbox request.", hint: request.error.issues.map((i) => i.message).join("; ") });
    }
    const { owner, limits, expiresAt, idleLimit, workspace } = request.data;
    const status = await deps.fleet.request(owner, deps.sandboxEnv(owner), {
      ...(limits ? { limits: sandboxLimits(limits) } : {}),
      ...(workspace ? { workspace } : {}),
      ...(expiresAt ? { expiresAt: futureEnd(expiresAt) } : {}),
      ...(idleLimit === false ? { idleLimit } : {}),
    });
    return { status: status.state === "ready" ? 201 : 202, body: toInfo(status) };
  }
  const change = /^\/v1\/sandboxes\/([^/]+)\/(pause|resume|extend)$/.exec(url.pathname);
  if (change?.[1] && req.method === "POST") {
    const id = decodeURIComponent(change[1]);
    if (change[2] === "pause") return { status: 200, body: toInfo(await deps.fleet.pause(id)) };
    if (change[2] === "resume") return { status: 200, body: toInfo(await deps.fleet.resume(id)) };
    const request = extendSandboxRequestSchema.safeParse(await readJson(req));
    if (!request.success) {
      throw new HttpError(400, { error: "Invalid extend request.", hint: request.error.issues.map((i) => i.message).join("; ") });
    }
    return { status: 200, body: toInfo(await deps.fleet.extend(id, futureEnd(request.data.expiresAt))) };
  }
  const match = /^\/v1\/sandboxes\/([^/]+)$/.exec(url.pathname);
  const sandboxId = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  if (sandboxId && req.method === "GET") {
    const status = deps.fleet.status(sandboxId);
    if (!status)
      throw new HttpError(404, { error: `No sandbox ${sandboxId} on this agent.`, hint: "It may have expired; start a new one." });
    return { status: 200, body: toInfo(status) };
  }
  if (sandboxId && req.method === "DELETE") {
    await deps.fleet.remove(sandboxId, "Ended by the control plane.");
    return { status: 204, body: undefined };
  }
  throw new HttpError(404, { error: `No route for ${req.method} ${url.pathname}.` });
}

async function authorize(secret: string, req: IncomingMessage): Promise<void> {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  const check = await verifyToken(secret, token, { sandboxId: "*", needs: "manage" });
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

/** A requested end as a date: in the future (to end a sandbox now, remove it) and at most MAX_SANDBOX_END_MS away. */
function futureEnd(iso: string): Date {
  const end = new Date(iso);
  const now = Date.now();
  if (end.getTime() <= now) {
    throw new HttpError(400, {
      error: `expiresAt ${iso} has passed.`,
      hint: "Give a time in the future; to end a sandbox now, DELETE it.",
    });
  }
  if (end.getTime() > now + MAX_SANDBOX_END_MS) {
    const days = MAX_SANDBOX_END_MS / 86_400_000;
    throw new HttpError(400, {
      error: `expiresAt ${iso} is more than ${days} days away.`,
      hint: `Give an end within ${days} days; extend it later if needed.`,
    });
  }
  return end;
}

function toInfo(status: SandboxStatus): SandboxInfo {
  return {
    id: status.sandboxId,
    state: status.state,
    message: status.message,
    ...(status.expiresAt ? { expiresAt: status.expiresAt } : {}),
  };
}

function send(res: ServerResponse, status: number, body: unknown, contentType?: string): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  if (typeof body === "string") {
    res.writeHead(status, { "content-type": contentType ?? "text/plain; charset=utf-8" }).end(body);
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** The request's limits in the engine's units; absent ones stay the agent's. */
function sandboxLimits(limits: NonNullable<CreateSandboxRequest["limits"]>): Partial<SandboxLimits> {
  return {
    ...(limits.memoryMib !== undefined ? { memoryBytes: limits.memoryMib * 1024 * 1024 } : {}),
    ...(limits.cpus !== undefined ? { nanoCpus: Math.round(limits.cpus * 1e9) } : {}),
    ...(limits.pids !== undefined ? { pidsLimit: limits.pids } : {}),
  };
}
