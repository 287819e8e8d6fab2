import type { PortInfo } from "@drydock/protocol";
import { openSandboxChannel, requestOnChannel } from "./sandbox-channel-client";

/** The ports listening in a sandbox, asked of its agent over the sandbox channel with a read token. */
export async function listSandboxPorts(agentUrl: string, sandboxId: string, token: Promise<string>): Promise<PortInfo[]> {
  const channel = openSandboxChannel(agentUrl, sandboxId, token);
  try {
    return await requestOnChannel(channel, "ports:list", {});
  } finally {
    channel.close();
  }
}
