import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@drydock/server-kit";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebMetrics, serveWebMetrics } from "./web-metrics";

/** A real socket.io server with real clients, and the metrics listener beside it, read over HTTP as a scraper does. */
describe("a web node's metrics listener", () => {
  const logLines: Array<Record<string, unknown>> = [];
  const log = createLogger("web", (line) => logLines.push(JSON.parse(line)));
  let http: HttpServer;
  let io: Server;
  let metrics: HttpServer;
  let metricsUrl: string;
  const clients: Socket[] = [];

  beforeAll(async () => {
    http = createServer();
    io = new Server(http, { transports: ["websocket"] });
    io.of("/terminal").on("connection", () => {});
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    metrics = await serveWebMetrics(createWebMetrics(io), "127.0.0.1", 0, log);
    metricsUrl = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await io.close();
    metrics.close();
  });

  it("reports the event loop's delay, GC and the sockets held by namespace", async () => {
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    for (let i = 0; i < 2; i += 1) {
      const client = connect(`${base}/terminal`, { transports: ["websocket"], reconnection: false });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once("connect", resolve);
        client.once("connect_error", reject);
      });
    }
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^drydock_web_sockets\{namespace="\/terminal"\} 2$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e+-]+$/m);
    // Reported once a collection has happened; declared from the start.
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(logLines).toContainEqual(expect.objectContaining({ event: "web.metrics_listening", url: metricsUrl }));
  });

  it("serves nothing but GET /metrics", async () => {
    const other = await fetch(metricsUrl.replace("/metrics", "/healthz"));
    expect(other.status).toBe(404);
    expect(await other.text()).toContain("Only GET /metrics");
    expect((await fetch(metricsUrl, { method: "POST" })).status).toBe(404);
  });

  it("names the variable to change when its port is taken", async () => {
    const taken = (metrics.address() as AddressInfo).port;
    await expect(serveWebMetrics(createWebMetrics(io), "127.0.0.1", taken, log)).rejects.toThrow(/EADDRINUSE.*WEB_METRICS_PORT/);
  });
});
