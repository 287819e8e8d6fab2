import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@drydock/server-kit";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Server } from "socket.io";

/**
 * What a web node's /metrics reports, in Prometheus text format: Node's own
 * (the event loop's delay, `nodejs_eventloop_lag_*`, over the time since the
 * last scrape; garbage collection; memory), where every keystroke relayed by
 * this node waits when it stalls, and the sockets it holds by namespace.
 */
export function createWebMetrics(io: Server): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "drydock_web_sockets",
    help: "Browser sockets connected to this web node, by namespace",
    labelNames: ["namespace"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, namespace] of io._nsps) this.set({ namespace: name }, namespace.sockets.size);
    },
  });
  return registry;
}

/**
 * Serves the registry on a listener of its own: the web's own port faces the
 * learners, and a node's internals are for its operators (a Prometheus
 * scrape, the cluster's benchmark). GET /metrics; anything else is 404.
 */
export async function serveWebMetrics(registry: Registry, host: string, port: number, log: Logger): Promise<HttpServer> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Only GET /metrics is served here.\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => {
        log.error("metrics.failed", { error });
        res.writeHead(500, { "content-type": "text/plain" }).end("The metrics could not be gathered; the web node's log says why.\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `The metrics listener could not open ${host}:${port} (${error.code ?? error.message}): set WEB_METRICS_PORT to a free port, or unset it to serve no metrics.`,
        ),
      ),
    );
    server.listen(port, host, resolve);
  });
  const { port: listening } = server.address() as AddressInfo;
  log.info("web.metrics_listening", { url: `http://${host.includes(":") ? `[${host}]` : host}:${listening}/metrics` });
  return server;
}
