import { createServer } from "node:http";
import { createLogger, logUnhandledRejections, withFields } from "@drydock/server-kit";
import next from "next";
import { isAgentTunnelRequest } from "./src/server/agents/agent-tunnels";
import { parseWebConfig } from "./src/server/config";
import { registerWebContext } from "./src/server/context";
import { createWebContext } from "./src/server/create-context";
import { servePreviews } from "./src/server/gateways/preview-server";
import { serveRequests } from "./src/server/http/serve-requests";
import { serveSockets } from "./src/server/nodes/socket-server";
import { createWebMetrics, serveWebMetrics } from "./src/server/nodes/web-metrics";
import { webNodeId } from "./src/server/nodes/web-node";
import { flushTerminalRecordings } from "./src/server/workshops/terminal-recorder";

let log = createLogger("web");
const dev = process.env.NODE_ENV !== "production";

try {
  const config = parseWebConfig();
  // Every line names this web node, so the lines of several nodes can be told apart once gathered.
  log = withFields(log, { node: webNodeId(config) });
  logUnhandledRejections(log);
  const ctx = await createWebContext(config, log);
  // Next's routes and pages read the context from here; the gateways below are handed it.
  registerWebContext(ctx);
  const app = next({ dev, dir: import.meta.dirname, hostname: config.WEB_HOST, port: config.WEB_PORT });
  const http = createServer();
  const io = serveSockets(http, ctx);
  const metrics =
    config.WEB_METRICS_PORT === undefined
      ? undefined
      : await serveWebMetrics(createWebMetrics(io), config.WEB_METRICS_HOST, config.WEB_METRICS_PORT, log);

  await app.prepare();
  const handle = app.getRequestHandler();
  serveRequests(http, ctx, handle);
  http.on("upgrade", (req, socket, head) => {
    if (isAgentTunnelRequest(req)) ctx.agents.tunnels.accept(req, socket, head);
  });
  if (dev) {
    const upgrade = app.getUpgradeHandler();
    http.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket.io/") && !isAgentTunnelRequest(req)) void upgrade(req, socket, head);
    });
  }
  // After every other listener: requests for preview hosts reach the learner's app and nothing of Drydock's.
  servePreviews(http, ctx);
  http.listen(config.WEB_PORT, config.WEB_HOST, () => {
    const shown = config.WEB_HOST === "0.0.0.0" ? "localhost" : config.WEB_HOST;
    log.info("web.listening", { url: `http://${shown}:${config.WEB_PORT}`, dev });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log.info("web.stopping", { signal });
      // Closing the sockets ends every terminal attachment; their recordings' last events are stored before exit.
      void io
        .close()
        .then(flushTerminalRecordings)
        .then(() => ctx.agents.tunnels.close())
        .then(() => ctx.node.close())
        .then(() => metrics?.close())
        .then(() => process.exit(0));
    });
  }
} catch (error) {
  log.error("web.start_failed", { error });
  process.exit(1);
}
