import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxDriver } from "@drydock/engine";
import type { Logger } from "@drydock/protocol";
import { Server } from "socket.io";
import { checks } from "./features/checks";
import { createHttpApi } from "./http-api";
import { startReaper } from "./reaper";
import { serveSandboxChannel } from "./sandbox-channel";
import { serveTerminals } from "./terminal-server";

export interface AgentOptions {
  driver: SandboxDriver;
  secret: string;
  host: string;
  port: number;
  lifetimeSeconds: number;
  reaperIntervalSeconds: number;
  log: Logger;
}

export interface RunningAgent {
  url: string;
  close(): Promise<void>;
}

/** The agent's one server: the control HTTP API and the socket.io terminals on one port. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { driver, secret, log } = options;
  const http: HttpServer = createServer(createHttpApi({ driver, secret, lifetimeSeconds: options.lifetimeSeconds, log }));
  const io = new Server(http, {
    serveClient: false,
    // Only the web gateway talks to agents; a browser (which always sends an Origin) never may.
    allowRequest: (req, callback) => callback(null, req.headers.origin === undefined),
  });
  serveTerminals(io, { driver, secret, log });
  serveSandboxChannel(io, { driver, secret, log }, [checks]);
  const stopReaper = startReaper(driver, log, options.reaperIntervalSeconds);

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  log.info("agent.listening", { url });
  return {
    url,
    close: async () => {
      stopReaper();
      await io.close();
    },
  };
}
