import type { PortInfo } from "@drydock/protocol";
import type { AgentClient } from "./agent-client";
import { openSandboxChannel, requestOnChannel } from "./sandbox-channel-client";

/** The ports listening in a sandbox, asked of its agent over the sandbox channel with a read token. */
export async function listSandboxPorts(agent: AgentClient, sandboxId: string): Promise<PortInfo[]> {
  const channel = openSandboxChannel(agent, sandboxId, "read");
  try {
    return await requestOnChannel(channel, "ports:list", {});
  } finally {
    channel.close();
  }
}
