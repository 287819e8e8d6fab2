/**
 * The cluster's PostgreSQL and Redis supervisors against Debian's real
 * servers: each starts, dies by SIGKILL (nothing answers), and starts again
 * on the same port and data.
 */
import { execFile, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../lib/drydock-server";
import { type PostgresServer, preparePostgres } from "./postgres";
import { prepareRedis, type RedisServer, redisCommand } from "./redis";
import { groupAlive } from "./supervised-process";

const run = promisify(execFile);
const POSTGRES_PORT = 5670;
const REDIS_PORT = 5671;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cl-data-"));
  // PostgreSQL runs as its own user when we are root: it must pass through this folder to its own.
  await chmod(dir, 0o711);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const query = async (url: string, sql: string) => (await run("psql", [url, "-tAc", sql])).stdout.trim();

describe("the PostgreSQL supervisor", () => {
  let postgres: PostgresServer;
  afterAll(async () => {
    await postgres?.stop();
  });

  it("starts a server whose URL takes a password over TCP, and keeps committed rows across a SIGKILL and a restart", async () => {
    postgres = await preparePostgres({ dir: join(dir, "postgres"), port: POSTGRES_PORT, logFile: join(dir, "postgres.log") });
    expect(postgres.url).toMatch(new RegExp(`^postgresql://drydock:[0-9a-f]{36}@127\\.0\\.0\\.1:${POSTGRES_PORT}/drydock$`));
    await postgres.start();
    const pid = postgres.pid() as number;
    expect(groupAlive(pid)).toBe(true);
    await query(postgres.url, "CREATE TABLE seats (name text); INSERT INTO seats VALUES ('kept')");
    // Without the password TCP is refused: the URL's password is what lets the web nodes in.
    await expect(run("psql", [postgres.url.replace(/:[0-9a-f]{36}@/, ":wrong@"), "-tAc", "SELECT 1"])).rejects.toThrow(/password/);

    await postgres.kill("SIGKILL");
    expect(groupAlive(pid)).toBe(false);
    await expect(query(postgres.url, "SELECT 1")).rejects.toThrow(/connect|refused/i);

    await postgres.start();
    expect(postgres.pid()).not.toBe(pid);
    expect(await query(postgres.url, "SELECT name FROM seats")).toBe("kept");
  });

  it("reuses the data folder and its password when prepared again", async () => {
    await postgres.stop();
    const again = await preparePostgres({ dir: join(dir, "postgres"), port: POSTGRES_PORT, logFile: join(dir, "postgres.log") });
    expect(again.url).toBe(postgres.url);
    postgres = again;
    await postgres.start();
    expect(await query(postgres.url, "SELECT name FROM seats")).toBe("kept");

    // A client that stays connected, as a web node's pool does: stopping must not wait for it to leave.
    const client = spawn("psql", [postgres.url], { stdio: ["pipe", "ignore", "ignore"] });
    await waitUntil(
      "the client is connected",
      async () =>
        (await query(postgres.url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'psql' AND pid <> pg_backend_pid()")) ===
        "1",
    );
    const pid = postgres.pid() as number;
    await postgres.stop();
    expect(groupAlive(pid)).toBe(false);
    expect(await postgres.logTail(50)).toContain("received fast shutdown request");
    client.stdin?.end();
  });

  it("refuses, saying how to fix it, a folder the postgres user cannot reach (the suite runs as root, as provisioning needs)", async () => {
    const closed = join(dir, "closed");
    await mkdir(closed, { mode: 0o700 });
    await expect(preparePostgres({ dir: join(closed, "postgres"), port: POSTGRES_PORT, logFile: join(dir, "closed.log") })).rejects.toThrow(
      /postgres user, who cannot reach .*closed\/postgres[\s\S]*DRYDOCK_STATE_DIR=/,
    );
  });
});

describe("the Redis supervisor", () => {
  let redis: RedisServer;
  afterAll(async () => {
    await redis?.stop();
  });

  it("starts, answers, dies by SIGKILL and answers again after a restart", async () => {
    redis = await prepareRedis({ dir: join(dir, "redis"), port: REDIS_PORT, logFile: join(dir, "redis.log") });
    expect(redis.url).toBe(`redis://127.0.0.1:${REDIS_PORT}`);
    await redis.start();
    const pid = redis.pid() as number;
    expect(await redisCommand(REDIS_PORT, ["SET", "room", "kitchen"])).toBe("+OK");
    expect(await redisCommand(REDIS_PORT, ["GET", "room"])).toBe("kitchen");

    await redis.kill("SIGKILL");
    expect(groupAlive(pid)).toBe(false);
    await expect(redisCommand(REDIS_PORT, ["PING"])).rejects.toThrow(/ECONNREFUSED/);

    await redis.start();
    expect(redis.pid()).not.toBe(pid);
    expect(await redisCommand(REDIS_PORT, ["PING"])).toBe("+PONG");
    const restarted = redis.pid() as number;
    await redis.stop();
    expect(groupAlive(restarted)).toBe(false);
  });
});
