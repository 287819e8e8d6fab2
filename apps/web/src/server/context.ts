import type { Logger } from "@drydock/server-kit";
import type { Agents } from "./agents/agent-directory";
import type { RateLimiter } from "./budget/rate-limiter";
import type { StartBudget } from "./budget/start-budget";
import type { WebConfig } from "./config";
import type { Database } from "./db";
import type { ClientAddresses } from "./http/client-address";
import type { LessonLibrary } from "./lessons/lesson-library";
import type { WebNode } from "./nodes/web-node";
import type { RoomHub } from "./workshops/room-hub";

/**
 * Everything the web server's parts share, built once by server.ts (see
 * create-context.ts) and passed down: to the socket gateways and the preview
 * server as an argument, to Next's routes and pages through webContext().
 */
export interface WebContext {
  config: WebConfig;
  db: Database;
  lessons: LessonLibrary;
  agents: Agents;
  budget: StartBudget;
  /** Workshop joins per client address and minute. */
  joinRate: RateLimiter;
  /** Pushes workshop changes to the rooms' sockets (bound to them by the workshop gateway). */
  rooms: RoomHub;
  /** Instructors' sign-in attempts (password checks) per client address, counted at the door. */
  signIns: RateLimiter;
  /** This web node: its name, and what it shares with the deployment's other web nodes (Redis, when there are several). */
  node: WebNode;
  /** Who a request came from, believing the trusted balancers' X-Forwarded-For (TRUSTED_PROXIES). */
  clientAddresses: ClientAddresses;
  log: Logger;
}

/**
 * Next bundles routes and pages apart from server.ts, so they cannot take
 * arguments from it, nor share its module instances: the context is handed
 * over under this one process-wide key instead.
 */
const CONTEXT_KEY = Symbol.for("drydock.web.context");
type Holder = { [CONTEXT_KEY]?: WebContext };

export function registerWebContext(context: WebContext): void {
  (globalThis as Holder)[CONTEXT_KEY] = context;
}

/** The context server.ts registered; for route handlers and server components, which cannot be handed it. */
export function webContext(): WebContext {
  const context = (globalThis as Holder)[CONTEXT_KEY];
  if (!context) {
    throw new Error("The web server's context is missing: start the web app with server.ts (npm start, or npm run dev), not `next start`.");
  }
  return context;
}
