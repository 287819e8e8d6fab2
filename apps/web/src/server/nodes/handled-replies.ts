import type { RedisClient } from "./redis-connection";

/** The commands socket.io's Redis streams adapter sends without awaiting their reply. */
const UNAWAITED_COMMANDS = new Set<PropertyKey>(["set", "publish"]);

/**
 * The adapter's client, with a handler on the replies it never awaits: a
 * persisted session's SET and an ephemeral broadcast's PUBLISH. When Redis
 * drops the connection under them, or a queued one times out during an
 * outage, their rejection would otherwise be unhandled, and an unhandled
 * rejection ends a Node process: every learner on the node would lose it.
 * The adapter gets the same replies (an awaited one still rejects); each
 * failure is handed to `onDropped` with the command's name.
 */
export function withHandledReplies(client: RedisClient, onDropped: (command: string, error: unknown) => void): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!UNAWAITED_COMMANDS.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        const reply = value.apply(target, args) as Promise<unknown>;
        reply.catch((error: unknown) => onDropped(String(property), error));
        return reply;
      };
    },
  });
}
