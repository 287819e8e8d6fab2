import { EngineError } from "./errors";
import { type CgroupFreezer, type FreezerState, freezerOf, readFreezerState, thawCommand, thawFreezer } from "./freezer";

/**
 * Docker calls on a sandbox container that may be frozen (freezer.ts): a
 * deadline on each, and the cgroup thawed through its freezer file when
 * Docker has lost track of it, so no call waits for ever. Every such call
 * ends with its answer or with an error naming the container and the fix.
 */

/**
 * How long one Docker call on a sandbox container (inspect, pause, unpause,
 * remove) may take before the engine looks at its freezer. Each takes well
 * under a second; a busy host is given plenty.
 */
export const DOCKER_CALL_TIMEOUT_MS = 30_000;

/** How the engine reports what it repaired: an event name and its fields, as the agent's logger takes them. */
export type EngineWarn = (event: string, fields: Record<string, unknown>) => void;

/** The engine's warnings when no logger is given (`npm run stop`, tests): one JSON line on stderr. */
export const warnOnStderr: EngineWarn = (event, fields) => {
  process.stderr.write(`${JSON.stringify({ level: "warn", time: new Date().toISOString(), component: "engine", event, ...fields })}\n`);
};

export interface FrozenCallOptions {
  /** Per attempt (default DOCKER_CALL_TIMEOUT_MS). */
  timeoutMs?: number;
  warn?: EngineWarn;
}

/** The container a call is about, for logs and errors. */
export interface SandboxContainer {
  containerId: string;
  sandboxId?: string;
}

/**
 * Thaws the container's cgroup through its freezer file when it reads frozen
 * or freezing: for a container Docker says is not paused (Docker lost track
 * of a freeze), or one whose unpause Docker did not carry out. Returns the
 * state found (undefined where the host's cgroups cannot be read).
 */
export async function thawIfFrozen(
  target: SandboxContainer,
  why: string,
  warn: EngineWarn = warnOnStderr,
): Promise<FreezerState | undefined> {
  const freezer = await freezerOf(target.containerId);
  const state = freezer && (await readFreezerState(freezer));
  if (!freezer || state === undefined || state === "thawed") return state;
  const thawed = await thawFreezer(freezer);
  warn("sandbox.freezer_thawed", {
    ...target,
    why,
    freezerState: state,
    file: freezer.file,
    thawed,
    ...(thawed ? {} : { hint: `The engine could not write the freezer file: run \`${thawCommand(freezer)}\` as root on the Docker host.` }),
  });
  return state;
}

function isTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: string }).name === "AbortError";
}

/**
 * Runs `call` (a Docker call on the container, handed an AbortSignal) within
 * `timeoutMs`. When Docker does not answer in time, the container's cgroup
 * is thawed if it is frozen (a FREEZING cgroup blocks runc, and so Docker's
 * every call on the container) and the call is made once more. A second
 * timeout is an EngineError that names the container and says how to thaw it.
 */
export async function callThawingOnTimeout<T>(
  target: SandboxContainer,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
  options: FrozenCallOptions = {},
): Promise<T> {
  const { timeoutMs = DOCKER_CALL_TIMEOUT_MS, warn = warnOnStderr } = options;
  try {
    return await call(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    if (!isTimeout(error)) throw error;
  }
  await thawIfFrozen(target, `Docker did not ${what} the container within ${timeoutMs} ms`, warn);
  try {
    return await call(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    if (!isTimeout(error)) throw error;
    throw await stuckError(target, what, timeoutMs, error);
  }
}

async function stuckError(target: SandboxContainer, what: string, timeoutMs: number, cause: unknown): Promise<EngineError> {
  const freezer = await freezerOf(target.containerId);
  const state = freezer && (await readFreezerState(freezer));
  const name = target.sandboxId ? `sandbox ${target.sandboxId}'s container ${target.containerId}` : `container ${target.containerId}`;
  return new EngineError(
    `Docker did not ${what} ${name} within ${timeoutMs} ms, twice${state ? `; its cgroup freezer reads ${state}` : ""}.`,
    `${thawHint(freezer, target.containerId)} Then look at dockerd's log (\`docker info\` should answer) and try again.`,
    "sandbox-failed",
    { cause },
  );
}

function thawHint(freezer: CgroupFreezer | undefined, containerId: string): string {
  return freezer
    ? `If it stays frozen, thaw it as root on the Docker host: \`${thawCommand(freezer)}\`.`
    : `If its cgroup is frozen, thaw it as root on the Docker host: \`echo THAWED > /sys/fs/cgroup/freezer/docker/${containerId}/freezer.state\` (cgroup v1) or \`echo 0 > /sys/fs/cgroup/system.slice/docker-${containerId}.scope/cgroup.freeze\` (cgroup v2).`;
}
