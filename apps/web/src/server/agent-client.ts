import { AGENT_API, apiErrorSchema, mintToken, type SandboxInfo, sandboxInfoSchema } from "@drydock/protocol";

/** Control-plane calls to an agent; every call carries a fresh "manage" token. */
export class AgentClient {
  constructor(
    readonly url: string,
    private readonly secret: string,
  ) {}

  async createSandbox(owner: string): Promise<SandboxInfo> {
    const body = await this.call("POST", AGENT_API.sandboxes, { owner });
    return sandboxInfoSchema.parse(body);
  }

  async destroySandbox(sandboxId: string): Promise<void> {
    await this.call("DELETE", AGENT_API.sandbox(sandboxId));
  }

  /** A short-lived token for one sandbox's terminal, handed to the gateway's connection to the agent. */
  terminalToken(sandboxId: string, rights: "write" | "read"): string {
    return mintToken(this.secret, { sub: sandboxId, rights }, 60);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const token = mintToken(this.secret, { sub: "*", rights: "manage" }, 30);
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new Error(`The sandbox agent at ${this.url} is unreachable. Is it running? (npm start runs it.)`, { cause: error });
    }
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const failure = apiErrorSchema.safeParse(json);
      const message = failure.success ? `${failure.data.error}${failure.data.hint ? ` ${failure.data.hint}` : ""}` : text;
      throw new Error(`The sandbox agent refused ${method} ${path} (${response.status}): ${message}`);
    }
    return json;
  }
}
