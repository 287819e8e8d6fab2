/**
 * A Redis server of the cluster's own (Debian's /usr/bin/redis-server) on
 * 127.0.0.1, its append-only file in its own folder, so a restart finds
 * what was there. The system's own Redis service is never touched.
 */
import { mkdir } from "node:fs/promises";
import { createConnection } from "node:net";
import { debianProgram } from "./debian-program";
import { type SupervisedProcess, superviseProcess } from "./supervised-process";

export interface RedisOptions {
  dir: string;
  port: number;
  logFile: string;
}

export interface RedisServer extends SupervisedProcess {
  /** redis://127.0.0.1:<port> */
  url: string;
}

export async function prepareRedis(options: RedisOptions): Promise<RedisServer> {
  const command = debianProgram("REDIS_SERVER", "/usr/bin/redis-server", "redis-server");
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const server = superviseProcess({
    name: "redis",
    command,
    args: [
      "--port",
      String(options.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      options.dir,
      "--appendonly",
      "yes",
      "--save",
      "",
      "--daemonize",
      "no",
      "--logfile",
      "",
    ],
    cwd: options.dir,
    logFile: options.logFile,
    ready: async () => (await redisCommand(options.port, ["PING"])) === "+PONG",
  });
  return { ...server, url: `redis://127.0.0.1:${options.port}` };
}

/**
 * Sends one command in Redis' wire format (RESP) and resolves with the
 * answer: a bulk string's value (GET), else the answer's one line as sent
 * (`+PONG`, `+OK`, `:1`, `-ERR …`, `$-1` for none). Enough for probes and
 * tests without a client library.
 */
export function redisCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
  const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let answer = "";
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from Redis on port ${port} within ${timeoutMs} ms`)));
    socket.once("error", reject);
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
      const end = answer.indexOf("\r\n");
      if (end === -1) return;
      const line = answer.slice(0, end);
      const bulkLength = line.startsWith("$") ? Number(line.slice(1)) : -1;
      if (bulkLength >= 0 && Buffer.byteLength(answer) < end + 2 + bulkLength + 2) return;
      socket.end();
      resolve(bulkLength >= 0 ? answer.slice(end + 2, end + 2 + bulkLength) : line);
    });
    socket.write(request);
  });
}
