import type { SpentGrants } from "../gateways/preview-grant";
import type { RedisClient } from "./redis-connection";

/**
 * Spent grants in Redis: SET NX with the grant's own expiry, so exactly one
 * web node wins a nonce. While Redis cannot be asked the command fails and
 * the grant is refused (the page offers a fresh one): a replay is never let
 * through for want of the ledger.
 */
export class RedisSpentGrants implements SpentGrants {
  constructor(private readonly redis: RedisClient) {}

  async spend(nonce: string, expiresAt: number): Promise<boolean> {
    const answer = await this.redis.set(`drydock:grant:${nonce}`, "1", { condition: "NX", expiration: { type: "PXAT", value: expiresAt } });
    return answer === "OK";
  }
}
