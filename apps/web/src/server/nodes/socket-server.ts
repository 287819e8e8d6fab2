import type { Server as HttpServer } from "node:http";
import { MAX_FILES_MESSAGE_BYTES } from "@drydock/protocol";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { type Namespace, Server, type ServerOptions } from "socket.io";
import type { WebContext } from "../context";
import { serveSandboxGateway } from "../gateways/sandbox-gateway";
import { serveTerminalGateway } from "../gateways/terminal-gateway";
import { serveWatchGateway } from "../gateways/watch-gateway";
import { serveWorkshopGateway } from "../gateways/workshop-gateway";
import { isSameOrigin } from "../http/origin-guard";
import { withHandledReplies } from "./handled-replies";
import { ADAPTER_BLOCK_MS, type RedisClient } from "./redis-connection";
import { within } from "./within";

/** A socket that dropped (a network blip, a balancer's restart) gets its rooms and missed broadcasts back within this long. */
const RECOVERY_WINDOW_MS = 2 * 60_000;
/** A reconnecting socket waits this long at most for Redis to give its session back, then starts afresh. */
const RESTORE_TIMEOUT_MS = 2_000;

/**
 * The web node's socket.io server with every gateway on it. Without Redis:
 * socket.io's in-process adapter, as a single web node has always had. With
 * it: the Redis streams adapter, so rooms and broadcasts span the web nodes,
 * and connection-state recovery (which that adapter keeps: sessions and the
 * broadcasts a socket missed live in the Redis stream).
 */
export function serveSockets(http: HttpServer, ctx: WebContext): Server {
  const redis = ctx.node.redis;
  const options: Partial<ServerOptions> = {
    serveClient: false,
    // The sandbox channel carries whole files (up to 1 MiB, escaped as JSON).
    maxHttpBufferSize: MAX_FILES_MESSAGE_BYTES,
    // Next's own dev socket (HMR) shares the port; leave upgrades that are not ours alone.
    destroyUpgrade: false,
    // Only pages served by this origin may open sockets here (no cross-site WebSocket hijacking).
    allowRequest: (req, callback) => callback(null, isSameOrigin(req.headers.origin, req.headers.host)),
  };
  if (redis) {
    const adapterClient = withHandledReplies(redis.adapter, (command, error) =>
      ctx.log.warn("redis.command_dropped", {
        command,
        error,
        hint: "Redis went away under it, and what it carried is lost: a dropped socket's session (it starts afresh instead of recovering its rooms) or a message to the other web nodes.",
      }),
    );
    options.adapter = sharedAdapter(adapterClient);
    // The gateways' admission runs again on a recovered socket: who it is comes from its cookies, never from Redis.
    options.connectionStateRecovery = { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false };
  }
  // Socket handlers are registered before any await, so no early event is lost.
  const io = new Server(http, options);
  serveTerminalGateway(io, ctx);
  serveSandboxGateway(io, ctx);
  serveWorkshopGateway(io, ctx);
  serveWatchGateway(io, ctx);
  return io;
}

type StreamsAdapter = ReturnType<ReturnType<typeof createAdapter>>;

/**
 * The Redis streams adapter, kept to what must cross nodes:
 * - an emit to one socket held by this node (terminal bytes, files, a
 *   check's answer) is delivered here and never written to Redis: with
 *   connection-state recovery on, socket.io would otherwise send every such
 *   emit through the stream. A recovered socket gets the room broadcasts it
 *   missed; its gateway re-sends the rest on connection, as on any reconnection.
 * - a persisted session keeps its rooms but not `socket.data`, which holds
 *   the visitor's cookie value: admission derives it again.
 * - a session is looked for in Redis for a short while only, so a reconnection
 *   is not held while Redis is away.
 */
function sharedAdapter(client: RedisClient): (namespace: Namespace) => StreamsAdapter {
  const streams = createAdapter(client, {
    streamName: "drydock:socket.io",
    channelPrefix: "drydock:socket.io",
    sessionKeyPrefix: "drydock:socket.io:session:",
    blockTimeInMs: ADAPTER_BLOCK_MS,
  });
  // A function, not an arrow: socket.io calls it with `new`, and takes the object it returns.
  return function keptAdapter(namespace: Namespace): StreamsAdapter {
    const adapter = streams(namespace);
    const broadcast = adapter.broadcast.bind(adapter);
    const persistSession = adapter.persistSession.bind(adapter);
    const restoreSession = adapter.restoreSession.bind(adapter);
    adapter.broadcast = (packet, options) => {
      const [only, ...others] = options.rooms;
      const toOneSocketHere = only !== undefined && others.length === 0 && (options.except?.size ?? 0) === 0 && namespace.sockets.has(only);
      return broadcast(packet, toOneSocketHere ? { ...options, flags: { ...options.flags, local: true } } : options);
    };
    adapter.persistSession = (session) => persistSession({ ...session, data: {} });
    adapter.restoreSession = (pid, offset) => within(restoreSession(pid, offset), RESTORE_TIMEOUT_MS);
    return adapter;
  };
}
