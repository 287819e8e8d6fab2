import { EventEmitter, once } from "node:events";
import { Agent, type IncomingMessage } from "node:http";
import { type ClientHttp2Session, connect as connectHttp2, constants as http2 } from "node:http2";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { AGENT_TUNNEL_LIVENESS, AGENT_TUNNEL_PATH, AGENT_TUNNEL_SESSION, AGENT_TUNNEL_UPGRADE } from "@drydock/protocol";
import { keepSessionAlive, type Logger, writeRawResponse } from "@drydock/server-kit";
import type { Database } from "../db";
import { HttpError } from "../http/http-error";
import { authenticate } from "./agent-registry";

/**
 * The tunnels agents dial to this web node (packages/protocol agent-tunnel.ts).
 * A connection to a tunneled agent is a real loopback socket to this node's
 * forwarder, which names the agent on its first line and is then piped into
 * a CONNECT stream of that agent's newest tunnel: HTTP clients, socket.io
 * clients and the preview relay use it as they would a direct connection.
 */
export interface AgentTunnels {
  /** Takes an agent's tunnel: the web server's upgrade for AGENT_TUNNEL_PATH (isAgentTunnelRequest). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Connections to the agent through the tunnel it dialed to this node (waiting a few seconds for one). */
  transport(agentId: string): Agent;
  /** The agents with a tunnel to this node. */
  connected(): string[];
  /** Closes the agent's tunnels to this node (its credential was revoked); its redials are then refused. */
  drop(agentId: string): void;
  close(): Promise<void>;
}

/** How long a connection waits for its agent's tunnel: an agent (re)dials within its backoff's first steps. */
const TUNNEL_WAIT_MS = 10_000;
const AGENT_ID_MAX = 64;

export function isAgentTunnelRequest(req: IncomingMessage): boolean {
  return new URL(req.url ?? "/", "http://web").pathname === AGENT_TUNNEL_PATH;
}

/** Reads the agent's id, the forwarder's first line; the rest stays in the socket. */
function readAgentId(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(10);
      if (end === -1) {
        if (buffered.length > AGENT_ID_MAX) reject(new Error("The forwarded connection did not name an agent."));
        return;
      }
      socket.off("data", onData);
      socket.pause();
      const rest = buffered.subarray(end + 1);
      if (rest.length > 0) socket.unshift(rest);
      resolve(buffered.subarray(0, end).toString("utf8"));
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error("The forwarded connection closed before naming an agent.")));
  });
}

export async function openAgentTunnels(db: Database, log: Logger, { waitMs = TUNNEL_WAIT_MS } = {}): Promise<AgentTunnels> {
  const sessions = new Map<string, Set<ClientHttp2Session>>();
  const attached = new EventEmitter();
  attached.setMaxListeners(0);

  const newest = (agentId: string) => [...(sessions.get(agentId) ?? [])].findLast((session) => !session.closed && !session.destroyed);

  async function sessionOf(agentId: string): Promise<ClientHttp2Session> {
    const ready = newest(agentId);
    if (ready) return ready;
    try {
      const [session] = (await once(attached, agentId, { signal: AbortSignal.timeout(waitMs) })) as [ClientHttp2Session];
      return session;
    } catch {
      throw new Error(
        `Agent ${agentId} has no tunnel to this web node (none for ${waitMs / 1000} s). Is it running, with this node in AGENT_TUNNEL_URLS?`,
      );
    }
  }

  function hold(agentId: string, name: string, session: ClientHttp2Session): void {
    const held = sessions.get(agentId) ?? new Set();
    sessions.set(agentId, held.add(session));
    keepSessionAlive(session, AGENT_TUNNEL_LIVENESS);
    session.on("error", (error) => log.warn("tunnel.failed", { agent: name, error }));
    session.once("close", () => {
      held.delete(session);
      if (held.size === 0) sessions.delete(agentId);
      log.info("tunnel.detached", { agent: name, tunnels: held.size });
    });
    log.info("tunnel.attached", { agent: name, tunnels: held.size });
    attached.emit(agentId, session);
  }

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => socket.destroy());
    try {
      if (req.headers.upgrade?.toLowerCase() !== AGENT_TUNNEL_UPGRADE) {
        throw new HttpError(
          `An agent's tunnel is an upgrade to ${AGENT_TUNNEL_UPGRADE}; agent and web app must be of the same Drydock version.`,
          400,
        );
      }
      const agent = await authenticate(db, req.headers.authorization ?? null);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${AGENT_TUNNEL_UPGRADE}\r\n\r\n`);
      if (head.length > 0) socket.unshift(head);
      const session = connectHttp2(`http://${agent.name}.tunnel`, {
        createConnection: () => socket,
        maxSessionMemory: AGENT_TUNNEL_SESSION.maxSessionMemoryMiB,
        settings: { initialWindowSize: AGENT_TUNNEL_SESSION.windowBytes },
      });
      hold(agent.id, agent.name, session);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : "The web node could not take the tunnel; its log says why.";
      if (status === 500) log.error("tunnel.accept_failed", { error });
      else log.warn("tunnel.refused", { reason: message });
      writeRawResponse(
        socket,
        status,
        status === 401 ? "Unauthorized" : "Refused",
        { "content-type": "application/json" },
        JSON.stringify({ error: message }),
      );
    }
  }

  async function forward(socket: Socket): Promise<void> {
    socket.on("error", () => socket.destroy());
    let agentId = "";
    try {
      agentId = await readAgentId(socket);
      const stream = (await sessionOf(agentId)).request({ ":method": "CONNECT", ":authority": "agent:0" });
      const [headers] = (await once(stream, "response")) as [Record<string, unknown>];
      if (headers[":status"] !== 200) throw new Error(`The agent refused the tunneled connection (${String(headers[":status"])}).`);
      stream.on("error", () => socket.destroy());
      // A reset stream (the tunnel dropped, the agent's end failed) ends the connection; a finished one has ended it through the pipe.
      stream.once("close", () => {
        if (stream.rstCode !== http2.NGHTTP2_NO_ERROR) socket.destroy();
      });
      socket.once("close", () => stream.close(http2.NGHTTP2_CANCEL));
      socket.pipe(stream).pipe(socket);
      socket.resume();
    } catch (error) {
      log.warn("tunnel.unavailable", { agentId, error });
      socket.destroy();
    }
  }

  const forwarder = createServer((socket) => void forward(socket));
  forwarder.listen(0, "127.0.0.1");
  await once(forwarder, "listening");
  const { port } = forwarder.address() as AddressInfo;

  const transports = new Map<string, Agent>();
  return {
    accept: (req, socket, head) => void accept(req, socket, head),
    transport(agentId) {
      let transport = transports.get(agentId);
      if (!transport) {
        transport = new Agent({ keepAlive: true });
        transport.createConnection = () => {
          const socket = connect(port, "127.0.0.1");
          socket.setNoDelay(true);
          socket.write(`${agentId}\n`);
          return socket;
        };
        transports.set(agentId, transport);
      }
      return transport;
    },
    connected: () => [...sessions.keys()],
    drop(agentId) {
      const held = sessions.get(agentId);
      if (!held) return;
      log.warn("tunnel.dropped", { agentId, tunnels: held.size, reason: "the agent's credential is revoked" });
      for (const session of held) session.destroy();
    },
    async close() {
      for (const transport of transports.values()) transport.destroy();
      for (const held of sessions.values()) for (const session of held) session.destroy();
      forwarder.close();
    },
  };
}
