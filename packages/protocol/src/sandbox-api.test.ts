import { describe, expect, it } from "vitest";
import { createSandboxRequestSchema, extendSandboxRequestSchema } from "./sandbox-api";

describe("the agent's sandbox requests", () => {
  it("takes a workshop seat's end and no idle limit, and refuses what is not one", () => {
    const seat = { owner: "attendee-1", expiresAt: "2026-11-28T17:00:00Z", idleLimit: false };
    expect(createSandboxRequestSchema.parse(seat)).toEqual(seat);
    expect(createSandboxRequestSchema.parse({ owner: "a", expiresAt: "2026-11-28T18:00:00+01:00" }).expiresAt).toBe(
      "2026-11-28T18:00:00+01:00",
    );
    expect(createSandboxRequestSchema.safeParse({ owner: "a", idleLimit: true }).error?.issues[0]?.message).toMatch(/only be false/);
    expect(createSandboxRequestSchema.safeParse({ owner: "a", expiresAt: "tomorrow" }).error?.issues[0]?.message).toMatch(/ISO 8601/);
    expect(createSandboxRequestSchema.safeParse({ owner: "a", expiresAt: "2026-11-28T17:00:00" }).success).toBe(false);
  });

  it("extends with an end and nothing else", () => {
    expect(extendSandboxRequestSchema.parse({ expiresAt: "2026-11-28T17:00:00.000Z" })).toEqual({ expiresAt: "2026-11-28T17:00:00.000Z" });
    expect(extendSandboxRequestSchema.safeParse({}).success).toBe(false);
    expect(extendSandboxRequestSchema.safeParse({ expiresAt: "2026-11-28T17:00:00Z", minutes: 30 }).success).toBe(false);
  });
});
