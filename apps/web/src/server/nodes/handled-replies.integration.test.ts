import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningRedis, startRedis } from "../../../../../test-support/redis";
import { withHandledReplies } from "./handled-replies";
import type { RedisClient } from "./redis-connection";

const REDIS_PORT = 5611;
let redis: RunningRedis;
let client: RedisClient;

beforeAll(async () => {
  redis = await startRedis({ port: REDIS_PORT });
  // As the adapter's client is made, with a short command timeout so a queued command fails soon while Redis is away.
  client = createClient({ url: redis.url, RESP: 2, socket: { reconnectStrategy: () => 100 }, commandOptions: { timeout: 500 } });
  client.on("error", () => undefined);
  await client.connect();
});

afterAll(async () => {
  client?.destroy();
  await redis?.stop();
});

describe("the adapter's client with handled replies", () => {
  it("passes commands and replies through", async () => {
    const handled = withHandledReplies(client, () => undefined);
    expect(handled.isReady).toBe(true);
    await handled.set("drydock:test:key", "value");
    expect(await handled.get("drydock:test:key")).toBe("value");
    expect(await handled.publish("drydock:test:channel", "hello")).toBe(0);
  });

  it("hands over the unawaited SET and PUBLISH that Redis dropped, instead of leaving their rejection unhandled", async () => {
    const dropped: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const handled = withHandledReplies(client, (command) => dropped.push(command));
    try {
      await redis.restart({
        whileDown: async () => {
          // As the adapter sends them: nobody awaits these replies.
          void handled.set("drydock:test:session", "gone");
          void handled.publish("drydock:test:channel", "gone");
          await vi.waitFor(() => expect(dropped.sort()).toEqual(["publish", "set"]), { timeout: 30_000, interval: 50 });
          // An awaited reply still rejects for its caller.
          await expect(handled.set("drydock:test:session", "gone")).rejects.toThrow();
        },
      });
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
