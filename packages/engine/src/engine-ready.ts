import type Docker from "dockerode";
import { EngineError } from "./errors";
import { execCollect } from "./exec";
import { lastFileInTar } from "./tar-file";

const DOCKERD_LOG = "/var/log/dockerd.log";
const LOG_LINES = 20;
/** What the inner engine (dockerd, rootlesskit) writes when it gives up for good. */
const FATAL_LOG = /level=fatal|failed to start daemon|\[rootlesskit:parent\] error/i;

export interface EngineReadyWait {
  /** True once the inner engine answers. */
  answers(): Promise<boolean>;
  /** Give up after this long without an answer and without a fault (a generous deadline: a busy host is slow, not broken). */
  timeoutMs: number;
  pollMs?: number;
  /** How often to look for a real fault while waiting. */
  faultCheckMs?: number;
}

/**
 * Waits until a sandbox's inner engine answers. Fails at once on a real
 * fault — the container stopped (dockerd is its main process) or dockerd
 * logged a fatal error — with the log's last lines as the reason; otherwise
 * waits up to the deadline, counted from when the boot was allowed to begin.
 */
export async function waitForInnerEngine(container: Docker.Container, sandboxId: string, wait: EngineReadyWait): Promise<void> {
  const { pollMs = 50, faultCheckMs = 1000 } = wait;
  const started = Date.now();
  let lastFaultCheck = started;
  for (;;) {
    if (await wait.answers().catch(() => false)) return;
    const now = Date.now();
    if (now - lastFaultCheck >= faultCheckMs) {
      lastFaultCheck = now;
      const fault = await innerEngineFault(container);
      if (fault) {
        throw new EngineError(
          `The Docker engine in sandbox ${sandboxId} failed to start: ${fault.what}.${fault.log ? ` Its log ends with:\n${fault.log}` : ""}`,
          "Check the host's Docker engine (overlay2, loop devices, user namespaces) and that `npm run provision` completed.",
          "sandbox-failed",
        );
      }
    }
    if (now - started >= wait.timeoutMs) {
      const log = await runningLogTail(container).catch(() => "");
      throw new EngineError(
        `The Docker engine in sandbox ${sandboxId} did not answer within ${wait.timeoutMs} ms, with no fault seen.${log ? ` Its log ends with:\n${log}` : ""}`,
        "The host may be overloaded: lower SANDBOX_START_CONCURRENCY or POOL_SIZE, or raise SANDBOX_READY_TIMEOUT_SECONDS.",
        "sandbox-failed",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A reason the inner engine will never answer, or undefined while it may still. */
async function innerEngineFault(container: Docker.Container): Promise<{ what: string; log: string } | undefined> {
  const info = await container.inspect();
  if (!info.State.Running) {
    const log = await stoppedLogTail(container).catch(() => "");
    return { what: `its container stopped (exit code ${info.State.ExitCode}${info.State.OOMKilled ? ", out of memory" : ""})`, log };
  }
  const log = await runningLogTail(container).catch(() => "");
  const fatal = log.split("\n").find((line) => FATAL_LOG.test(line));
  return fatal ? { what: fatal.trim(), log } : undefined;
}

async function runningLogTail(container: Docker.Container): Promise<string> {
  return (await execCollect(container, ["tail", "-n", String(LOG_LINES), DOCKERD_LOG])).stdout.trimEnd();
}

/** A stopped container cannot run `tail`: its log file is read through the archive API. */
async function stoppedLogTail(container: Docker.Container): Promise<string> {
  const archive = await container.getArchive({ path: DOCKERD_LOG });
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return lastFileInTar(Buffer.concat(chunks)).toString("utf8").trimEnd().split("\n").slice(-LOG_LINES).join("\n");
}
