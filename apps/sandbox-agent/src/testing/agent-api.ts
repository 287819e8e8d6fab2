import { AGENT_API } from "@drydock/protocol";

type Headers = () => Promise<Record<string, string>>;

/** Starts a sandbox for `owner` through the agent's HTTP API, as the web app does, and waits until it is ready; returns its id. */
export async function createSandboxThroughApi(agentUrl: string, owner: string, headers: Headers, readyTimeoutMs: number): Promise<string> {
  const response = await fetch(`${agentUrl}${AGENT_API.sandboxes}`, {
    method: "POST",
    headers: await headers(),
    body: JSON.stringify({ owner }),
  });
  if (response.status !== 201 && response.status !== 202)
    throw new Error(`creating a sandbox answered ${response.status}: ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    const info = (await (await fetch(`${agentUrl}${AGENT_API.sandbox(id)}`, { headers: await headers() })).json()) as {
      state: string;
      message: string;
    };
    if (info.state === "ready") return id;
    if (info.state === "failed") throw new Error(`sandbox ${id} failed: ${info.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sandbox ${id} was not ready within ${readyTimeoutMs / 1000} s`);
}
