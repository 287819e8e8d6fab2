import type { Logger } from "@drydock/server-kit";
import { agentDirectory } from "./agents/agent-directory";
import { placeSession } from "./agents/agent-placement";
import { startAgentSweeper } from "./agents/agent-sweeper";
import { openAgentTunnels } from "./agents/agent-tunnels";
import { goneSandboxes } from "./budget/gone-sandboxes";
import { createStartBudget } from "./budget/start-budget";
import { startLock } from "./budget/start-lock";
import type { WebConfig } from "./config";
import type { WebContext } from "./context";
import { openDatabase } from "./db";
import { clientAddresses, trustedProxies } from "./http/client-address";
import { loadLessonLibrary } from "./lessons/lesson-library";
import { createWebNode } from "./nodes/web-node";
import { createRoomHub } from "./workshops/room-hub";
import { sessionStarter } from "./workshops/session-starter";

/** Builds the web server's context from its validated configuration (server.ts calls this once). */
export async function createWebContext(config: WebConfig, log: Logger): Promise<WebContext> {
  // PostgreSQL only: the pool replaces a dropped connection on the next query; the line says why queries failed meanwhile.
  const db = openDatabase(config.DATABASE_URL, (error) => log.warn("database.connection_lost", { error }));
  const limits = {
    perVisitor: config.SANDBOXES_PER_VISITOR,
    capacity: config.MAX_LIVE_SANDBOXES,
    idleMs: config.SANDBOX_IDLE_SECONDS * 1000,
  };
  const agents = agentDirectory(config, await openAgentTunnels(db, log));
  const node = createWebNode(config, log);
  const rate = node.rateLimiter("starts", config.STARTS_PER_ADDRESS_PER_MINUTE, 60_000);
  const ctx: WebContext = {
    config,
    db,
    lessons: await loadLessonLibrary(config.LESSONS_DIR, log),
    agents,
    budget: createStartBudget(
      db,
      startLock(db, config.DATABASE_URL),
      limits,
      rate,
      (sessions) => goneSandboxes(agents, sessions, log),
      (session, records) => placeSession(records, session, config.AGENT_URL),
    ),
    joinRate: node.rateLimiter("joins", config.JOINS_PER_ADDRESS_PER_MINUTE, 60_000),
    rooms: createRoomHub(log, { acrossNodes: node.redis !== undefined }),
    signIns: node.rateLimiter("sign-ins", config.SIGN_INS_PER_ADDRESS_PER_MINUTE, 60_000),
    node,
    clientAddresses: clientAddresses(trustedProxies(config.TRUSTED_PROXIES)),
    log,
  };
  // Every web node watches the registered agents' heartbeats; with none registered it finds nothing to do.
  startAgentSweeper(ctx, sessionStarter(ctx));
  return ctx;
}
