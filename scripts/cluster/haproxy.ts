/**
 * The cluster's balancer: Debian's HAProxy (/usr/sbin/haproxy) in the
 * foreground on a generated configuration (haproxy-config.ts), its admin
 * socket in its own folder. The system's HAProxy service is never touched.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { debianProgram } from "./debian-program";
import { type BalancerConfigOptions, balancerConfig, parseServerStates, type ServerStates } from "./haproxy-config";
import { type SupervisedProcess, superviseProcess } from "./supervised-process";

const run = promisify(execFile);

export interface BalancerOptions extends Omit<BalancerConfigOptions, "statsSocket"> {
  dir: string;
  logFile: string;
}

export interface Balancer extends SupervisedProcess {
  url: string;
  /** Each web node's state as HAProxy sees it now (UP, DOWN, …). */
  serverStates(): Promise<ServerStates>;
}

export async function prepareBalancer(options: BalancerOptions): Promise<Balancer> {
  const command = debianProgram("HAPROXY", "/usr/sbin/haproxy", "haproxy");
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const statsSocket = join(options.dir, "admin.sock");
  const configFile = join(options.dir, "haproxy.cfg");
  await writeFile(configFile, balancerConfig({ ...options, statsSocket }));
  await run(command, ["-c", "-q", "-f", configFile]).catch((error: Error & { stderr?: string; stdout?: string }) => {
    throw new Error(`HAProxy refuses the generated ${configFile}: ${error.stdout || ""}${error.stderr || error.message}`);
  });
  const serverStates = async () => parseServerStates(await adminCommand(statsSocket, "show stat"));
  const server = superviseProcess({
    name: "balancer",
    command,
    // -db: stay in the foreground, so the supervisor holds its pid and its log.
    args: ["-db", "-f", configFile],
    cwd: options.dir,
    logFile: options.logFile,
    ready: async () => Object.keys(await serverStates()).length === options.servers.length,
  });
  return { ...server, url: `http://127.0.0.1:${options.port}`, serverStates };
}

/** One command on HAProxy's admin socket; resolves with everything it answers. */
export function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    const chunks: Buffer[] = [];
    socket.setTimeout(2_000, () => socket.destroy(new Error(`HAProxy's admin socket ${socketPath} did not answer "${command}"`)));
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.write(`${command}\n`);
  });
}
