import { describe, expect, it } from "vitest";
import { parseWebConfig } from "./config";

const required = { DRYDOCK_AGENT_SECRET: "s".repeat(32), DATABASE_URL: "file:/tmp/drydock.db" };

describe("parseWebConfig", () => {
  it("gives the start budget its defaults", () => {
    expect(parseWebConfig(required)).toMatchObject({
      SANDBOXES_PER_VISITOR: 3,
      STARTS_PER_ADDRESS_PER_MINUTE: 60,
      MAX_LIVE_SANDBOXES: 20,
      SANDBOX_IDLE_SECONDS: 1800,
      SANDBOX_MEMORY_MIB: 1024,
      SANDBOX_CPUS: 1,
    });
  });

  it("reads the budget's limits from the environment", () => {
    const config = parseWebConfig({ ...required, SANDBOXES_PER_VISITOR: "1", STARTS_PER_ADDRESS_PER_MINUTE: "5", MAX_LIVE_SANDBOXES: "8" });
    expect(config).toMatchObject({ SANDBOXES_PER_VISITOR: 1, STARTS_PER_ADDRESS_PER_MINUTE: 5, MAX_LIVE_SANDBOXES: 8 });
  });

  it("refuses a bad limit, naming the variable", () => {
    expect(() => parseWebConfig({ ...required, MAX_LIVE_SANDBOXES: "0" })).toThrow(/MAX_LIVE_SANDBOXES: /);
    expect(() => parseWebConfig({ ...required, STARTS_PER_ADDRESS_PER_MINUTE: "many" })).toThrow(/STARTS_PER_ADDRESS_PER_MINUTE: /);
    expect(() => parseWebConfig({ ...required, SANDBOX_IDLE_SECONDS: "10" })).toThrow(/SANDBOX_IDLE_SECONDS: /);
    expect(() => parseWebConfig({ ...required, TRUSTED_PROXIES: "10.0.0.0/8,balancer" })).toThrow(
      /TRUSTED_PROXIES: "balancer" is not an IP address/,
    );
  });
});

describe("DATABASE_URL", () => {
  it("takes SQLite file: URLs and PostgreSQL URLs, and refuses any other database with both forms in the message", () => {
    expect(parseWebConfig(required).DATABASE_URL).toBe("file:/tmp/drydock.db");
    const postgres = "postgresql://drydock:secret@db.internal:5432/drydock";
    expect(parseWebConfig({ ...required, DATABASE_URL: postgres }).DATABASE_URL).toBe(postgres);
    expect(parseWebConfig({ ...required, DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
    expect(() => parseWebConfig({ ...required, DATABASE_URL: "mysql://u@h/db" })).toThrow(/DATABASE_URL: .*file:.*postgresql:\/\//);
  });
});

describe("RECORDING_MAX_BYTES", () => {
  it("caps a seat's recording at 5 MiB unless told otherwise, and refuses a cap too small to hold a header", () => {
    expect(parseWebConfig(required).RECORDING_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(parseWebConfig({ ...required, RECORDING_MAX_BYTES: "65536" }).RECORDING_MAX_BYTES).toBe(65536);
    expect(() => parseWebConfig({ ...required, RECORDING_MAX_BYTES: "100" })).toThrow(/RECORDING_MAX_BYTES: /);
  });
});

describe("web nodes", () => {
  it("leaves Redis and the node's name unset by default (one web node), and accepts a Redis URL and a name", () => {
    const alone = parseWebConfig(required);
    expect([alone.REDIS_URL, alone.WEB_NODE_ID]).toEqual([undefined, undefined]);
    expect(parseWebConfig({ ...required, REDIS_URL: "redis://10.0.0.5:6379", WEB_NODE_ID: "web-2" })).toMatchObject({
      REDIS_URL: "redis://10.0.0.5:6379",
      WEB_NODE_ID: "web-2",
    });
  });

  it("refuses a Redis URL of another scheme and a node name with spaces, naming the variable", () => {
    expect(() => parseWebConfig({ ...required, REDIS_URL: "http://10.0.0.5:6379" })).toThrow(/REDIS_URL: must be a Redis URL/);
    expect(() => parseWebConfig({ ...required, WEB_NODE_ID: "web node" })).toThrow(/WEB_NODE_ID: /);
  });
});
