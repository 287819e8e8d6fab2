import { type Reply, SANDBOX_NAMESPACE, type SandboxClientEvents, type SandboxServerEvents } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { HttpError } from "../http/http-error";
import type { AgentClient } from "./agent-client";
import { socketTransport } from "./agent-route";

const ANSWER_TIMEOUT_MS = 30_000;

export type AgentSandboxChannel = Socket<SandboxServerEvents, SandboxClientEvents>;

/** The control plane's own connection to a sandbox's channel on its agent, with a token of these rights; close it when done. */
export function openSandboxChannel(agent: AgentClient, sandboxId: string, rights: "read" | "write"): AgentSandboxChannel {
  const token = agent.terminalToken(sandboxId, rights);
  // forceNew: a connection of its own, never shared with a terminal's (see terminal-gateway.ts).
  return io(`${agent.route.url}${SANDBOX_NAMESPACE}`, {
    ...socketTransport(agent.route),
    // The handshake waits for the token; requests emitted meanwhile are buffered.
    auth: (callback) => void token.then((value) => callback({ sandboxId, token: value })),
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
}

type RequestName = keyof SandboxClientEvents;
type RequestOf<E extends RequestName> = Parameters<SandboxClientEvents[E]>[0];
type ValueOf<E extends RequestName> = Parameters<Parameters<SandboxClientEvents[E]>[1]>[0] extends Reply<infer T> ? T : never;

/** One request on the channel, its refusal turned into a HttpError that names the agent's reason. */
export async function requestOnChannel<E extends RequestName>(
  channel: AgentSandboxChannel,
  event: E,
  request: RequestOf<E>,
  timeoutMs = ANSWER_TIMEOUT_MS,
): Promise<ValueOf<E>> {
  const refused = new Promise<never>((_resolve, reject) => {
    channel.once("connect_error", (error) => reject(new HttpError(`The sandbox agent refused the channel: ${error.message}`, 502)));
  });
  // socket.io's typed emit cannot follow a generic event name; the request and reply types are checked above.
  const asked = (channel.timeout(timeoutMs) as unknown as { emitWithAck(event: string, request: unknown): Promise<Reply<ValueOf<E>>> })
    .emitWithAck(event, request)
    .catch(() => {
      throw new HttpError(`The sandbox agent did not answer ${event} within ${timeoutMs / 1000} s.`, 504);
    });
  const reply = await Promise.race([asked, refused]);
  if (!reply.ok) throw new HttpError(`${reply.error}${reply.hint ? ` ${reply.hint}` : ""}`, 502);
  return reply.value;
}
