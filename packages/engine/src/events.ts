import type Docker from "dockerode";
import { type Disposable, toDisposable } from "./disposable";
import { LABEL, sandboxFilter } from "./labels";

/**
 * What happened to a sandbox's container, as Docker reports it: `died` (its
 * main process, the inner engine, ended), `removed`, `killed` (a signal was
 * sent; it may live on) or `oom` (a process in it was killed for memory; the
 * sandbox may live on).
 */
export interface SandboxEvent {
  sandboxId: string;
  kind: "died" | "removed" | "killed" | "oom";
  at: Date;
  /** For `died`: the exit code of the container's main process. */
  exitCode?: number;
}

export interface SandboxEventsWatcher {
  onEvent(event: SandboxEvent): void;
  /** The event stream broke; the watch reconnects by itself (and replays what it missed). */
  onError?(error: unknown): void;
}

const KINDS = { die: "died", destroy: "removed", kill: "killed", oom: "oom" } as const satisfies Record<string, SandboxEvent["kind"]>;
const RECONNECT_MS = { first: 250, max: 10_000 };

interface DockerEventMessage {
  Type?: string;
  Action?: string;
  time?: number;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

/** One line of Docker's event stream as a sandbox event, or undefined when it is not one. */
export function parseSandboxEvent(line: string): SandboxEvent | undefined {
  let message: DockerEventMessage;
  try {
    message = JSON.parse(line) as DockerEventMessage;
  } catch {
    return undefined;
  }
  const kind = KINDS[message.Action as keyof typeof KINDS];
  const attributes = message.Actor?.Attributes ?? {};
  const sandboxId = attributes[LABEL.sandboxId];
  if (message.Type !== "container" || !kind || !sandboxId) return undefined;
  const at = new Date(message.timeNano ? message.timeNano / 1e6 : (message.time ?? 0) * 1000);
  const exitCode = Number(attributes.exitCode);
  return { sandboxId, kind, at, ...(kind === "died" && Number.isInteger(exitCode) ? { exitCode } : {}) };
}

/**
 * Follows Docker's event stream for the containers of one fleet's sandboxes
 * until disposed. When the stream breaks (dockerd restarted) it reconnects
 * with backoff, asking for the events since the last one it saw, so nothing
 * is missed; a watcher may hear an event twice.
 */
export function watchSandboxEvents(docker: Docker, fleet: string, watcher: SandboxEventsWatcher): Disposable {
  let stopped = false;
  let abort: AbortController | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = RECONNECT_MS.first;
  let since = Math.floor(Date.now() / 1000);

  const reconnectLater = (error: unknown) => {
    if (stopped) return;
    watcher.onError?.(error);
    retry = setTimeout(connect, delayMs);
    delayMs = Math.min(delayMs * 2, RECONNECT_MS.max);
  };

  async function connect(): Promise<void> {
    abort = new AbortController();
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await docker.getEvents({
        since,
        filters: { type: ["container"], event: Object.keys(KINDS), label: sandboxFilter({ fleet }).label },
        abortSignal: abort.signal,
      } as Docker.GetEventsOptions)) as NodeJS.ReadableStream;
    } catch (error) {
      reconnectLater(error);
      return;
    }
    if (stopped) return;
    delayMs = RECONNECT_MS.first;
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const event = parseSandboxEvent(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        if (!event) continue;
        since = Math.floor(event.at.getTime() / 1000);
        watcher.onEvent(event);
      }
    });
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      reconnectLater(error ?? new Error("Docker's event stream ended."));
    };
    stream.on("end", () => end());
    stream.on("close", () => end());
    stream.on("error", (error) => end(error));
  }

  void connect();
  return toDisposable(() => {
    stopped = true;
    clearTimeout(retry);
    abort?.abort();
  });
}
