import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebContext } from "../context";
import { within } from "./within";

/** A dependency that has not answered in this long counts as down: the balancer's probe must not hang. */
const CHECK_TIMEOUT_MS = 2_000;

export const HEALTH_PATH = "/healthz";

export interface Health {
  ok: boolean;
  node: string;
  /** What did not answer, and how it failed (only when not ok). */
  failed?: Record<string, string>;
}

/** Whether this request is the balancer's (or Kubernetes') health probe, answered before Next sees it. */
export function isHealthProbe(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && new URL(req.url ?? "/", "http://web").pathname === HEALTH_PATH;
}

/** Whether this node can serve: its database answers, and its Redis when it has one. */
export async function checkHealth(ctx: WebContext): Promise<Health> {
  const checks: Record<string, () => Promise<unknown>> = { database: () => ctx.db.$queryRawUnsafe("SELECT 1") };
  const redis = ctx.node.redis;
  if (redis) {
    checks.redis = async () => {
      await redis.state.ping();
      if (!redis.adapter.isReady) throw new Error("socket.io's adapter is not connected to Redis (reconnecting)");
    };
  }
  const failed: Record<string, string> = {};
  await Promise.all(
    Object.entries(checks).map(([name, check]) =>
      within(check(), CHECK_TIMEOUT_MS).catch((error: unknown) => {
        failed[name] = error instanceof Error ? error.message : String(error);
      }),
    ),
  );
  const ok = Object.keys(failed).length === 0;
  return ok ? { ok, node: ctx.node.id } : { ok, node: ctx.node.id, failed };
}

/** 200 with `{ok: true, node}`, or 503 saying what failed; never logged (the probe comes every few seconds). */
export async function answerHealth(res: ServerResponse, ctx: WebContext): Promise<void> {
  const health = await checkHealth(ctx);
  res.writeHead(health.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(health));
}
