import { type PortInfo, type Reply, SANDBOX_NAMESPACE, type SandboxClientEvents, type SandboxServerEvents } from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";
import { SessionError } from "./sessions";

const ANSWER_TIMEOUT_MS = 10_000;

/** The ports listening in a sandbox, asked of its agent over the sandbox channel with a read token. */
export async function listSandboxPorts(agentUrl: string, sandboxId: string, token: string): Promise<PortInfo[]> {
  const channel: Socket<SandboxServerEvents, SandboxClientEvents> = io(`${agentUrl}${SANDBOX_NAMESPACE}`, {
    auth: { sandboxId, token },
    transports: ["websocket"],
    reconnection: false,
  });
  try {
    const reply = await new Promise<Reply<PortInfo[]>>((resolve, reject) => {
      channel.on("connect_error", (error) =>
        reject(new SessionError(`The sandbox agent at ${agentUrl} refused the ports request: ${error.message}`, 502)),
      );
      channel
        .timeout(ANSWER_TIMEOUT_MS)
        .emitWithAck("ports:list", {})
        .then(resolve, () =>
          reject(new SessionError(`The sandbox agent at ${agentUrl} did not list the ports within ${ANSWER_TIMEOUT_MS / 1000} s.`, 504)),
        );
    });
    if (!reply.ok) throw new SessionError(`${reply.error}${reply.hint ? ` ${reply.hint}` : ""}`, 502);
    return reply.value;
  } finally {
    channel.close();
  }
}
