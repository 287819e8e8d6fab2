import { createServer } from "node:http";
import { MAX_FILES_MESSAGE_BYTES } from "@drydock/protocol";
import { createLogger } from "@drydock/server-kit";
import next from "next";
import { Server } from "socket.io";
import { parseWebConfig } from "./src/server/config";
import { registerWebContext } from "./src/server/context";
import { createWebContext } from "./src/server/create-context";
import { servePreviews } from "./src/server/gateways/preview-server";
import { serveSandboxGateway } from "./src/server/gateways/sandbox-gateway";
import { serveTerminalGateway } from "./src/server/gateways/terminal-gateway";
import { serveWatchGateway } from "./src/server/gateways/watch-gateway";
import { serveWorkshopGateway } from "./src/server/gateways/workshop-gateway";
import { refusalAtTheDoor, sendRefusal } from "./src/server/http/door";
import { isSameOrigin } from "./src/server/http/origin-guard";
import { flushTerminalRecordings } from "./src/server/workshops/terminal-recorder";

const log = createLogger("web");
const dev = process.env.NODE_ENV !== "production";

try {
  const config = parseWebConfig();
  const ctx = await createWebContext(config, log);
  // Next's routes and pages read the context from here; the gateways below are handed it.
  registerWebContext(ctx);
  const app = next({ dev, dir: import.meta.dirname, hostname: config.WEB_HOST, port: config.WEB_PORT });
  const http = createServer();
  // Socket handlers are registered before any await, so no early event is lost.
  const io = new Server(http, {
    serveClient: false,
    // The sandbox channel carries whole files (up to 1 MiB, escaped as JSON).
    maxHttpBufferSize: MAX_FILES_MESSAGE_BYTES,
    // Next's own dev socket (HMR) shares the port; leave upgrades that are not ours alone.
    destroyUpgrade: false,
    // Only pages served by this origin may open sockets here (no cross-site WebSocket hijacking).
    allowRequest: (req, callback) => callback(null, isSameOrigin(req.headers.origin, req.headers.host)),
  });
  serveTerminalGateway(io, ctx);
  serveSandboxGateway(io, ctx);
  serveWorkshopGateway(io, ctx);
  serveWatchGateway(io, ctx);

  await app.prepare();
  const handle = app.getRequestHandler();
  http.on("request", (req, res) => {
    if (req.url?.startsWith("/socket.io/")) return;
    const refusal = refusalAtTheDoor(req, ctx);
    if (refusal) return sendRefusal(res, refusal);
    void handle(req, res);
  });
  if (dev) {
    const upgrade = app.getUpgradeHandler();
    http.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket.io/")) void upgrade(req, socket, head);
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
        .then(() => process.exit(0));
    });
  }
} catch (error) {
  log.error("web.start_failed", { error });
  process.exit(1);
}
