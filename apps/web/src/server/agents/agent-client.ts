import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import {
  AGENT_API,
  apiErrorSchema,
  type CreateSandboxRequest,
  type ExtendSandboxRequest,
  SANDBOX_NAMESPACE,
  type SandboxClientEvents,
  type SandboxInfo,
  type SandboxServerEvents,
  type SandboxStatus,
  sandboxInfoSchema,
} from "@drydock/protocol";
import { mintToken } from "@drydock/server-kit";
import { io, type Socket } from "socket.io-client";
import { type AgentRoute, socketTransport } from "./agent-route";

/** How long the control plane waits for an agent's answer to one call. */
const CALL_TIMEOUT_MS = 60_000;

export class AgentRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What a start may ask beyond the owner: a workshop seat's lower limits, its end, no idle limit. */
export interface SandboxOptions {
  limits?: CreateSandboxRequest["limits"];
  /** The seat lasts until then (the workshop's end) instead of the agent's session time limit. */
  expiresAt?: Date;
  /** false: never removed for being idle. */
  idleLimit?: false;
  /** The lesson's workspace (default /root/lab). */
  workspace?: string;
}

/** Control-plane calls to an agent; every call carries a fresh "manage" token. */
export class AgentClient {
  constructor(
    /** The agent's address as sessions record it (its URL, or its tunnel's). */
    readonly url: string,
    private readonly secret: string,
    /** How this web node connects to it. */
    readonly route: AgentRoute = { url },
  ) {}

  async createSandbox(owner: string, options: SandboxOptions = {}): Promise<SandboxInfo> {
    const request: CreateSandboxRequest = {
      owner,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.expiresAt ? { expiresAt: options.expiresAt.toISOString() } : {}),
      ...(options.idleLimit === false ? { idleLimit: false } : {}),
      ...(options.workspace ? { workspace: options.workspace } : {}),
    };
    return sandboxInfoSchema.parse(await this.call("POST", AGENT_API.sandboxes, request));
  }

  /** Freezes the sandbox (state "paused"): everything in it kept, its time stopped. 409 (AgentRefusal) unless ready, expiring or paused. */
  async pauseSandbox(sandboxId: string): Promise<SandboxInfo> {
    return sandboxInfoSchema.parse(await this.call("POST", AGENT_API.pause(sandboxId)));
  }

  /** Thaws a paused sandbox (state "ready"); its end moves later by the time it was paused. */
  async resumeSandbox(sandboxId: string): Promise<SandboxInfo> {
    return sandboxInfoSchema.parse(await this.call("POST", AGENT_API.resume(sandboxId)));
  }

  /** A new end for the sandbox, later or earlier (in the future, at most 14 days away); the answer carries it as expiresAt. */
  async extendSandbox(sandboxId: string, expiresAt: Date): Promise<SandboxInfo> {
    const request: ExtendSandboxRequest = { expiresAt: expiresAt.toISOString() };
    return sandboxInfoSchema.parse(await this.call("POST", AGENT_API.extend(sandboxId), request));
  }

  /**
   * Follows a starting sandbox's progress until it is ready (resolves) or
   * failed (rejects with the reason), reporting each status on the way.
   */
  async awaitReady(sandboxId: string, onStatus: (status: SandboxStatus) => void = () => {}, timeoutMs = 120_000): Promise<SandboxStatus> {
    const channel: Socket<SandboxServerEvents, SandboxClientEvents> = io(`${this.route.url}${SANDBOX_NAMESPACE}`, {
      ...socketTransport(this.route),
      auth: (callback) => void this.terminalToken(sandboxId, "read").then((token) => callback({ sandboxId, token })),
      transports: ["websocket"],
      reconnection: false,
    });
    try {
      return await new Promise<SandboxStatus>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The sandbox was not ready within ${timeoutMs / 1000} s.`)), timeoutMs);
        channel.on("sandbox:status", (status) => {
          onStatus(status);
          if (status.state === "ready") resolve(status);
          if (status.state === "failed" || status.state === "gone") reject(new Error(status.message));
          if (status.state !== "starting") clearTimeout(timer);
        });
        channel.on("connect_error", (error) => {
          clearTimeout(timer);
          reject(new Error(`The sandbox agent at ${this.url} refused the status channel: ${error.message}`));
        });
      });
    } finally {
      channel.close();
    }
  }

  /** The sandbox's state as its agent knows it; "gone" once the agent no longer has it. */
  async sandboxStatus(sandboxId: string): Promise<SandboxInfo> {
    try {
      return sandboxInfoSchema.parse(await this.call("GET", AGENT_API.sandbox(sandboxId)));
    } catch (error) {
      if (error instanceof AgentRefusal && error.status === 404) return { id: sandboxId, state: "gone", message: "The sandbox is gone." };
      throw error;
    }
  }

  async destroySandbox(sandboxId: string): Promise<void> {
    await this.call("DELETE", AGENT_API.sandbox(sandboxId));
  }

  /** A short-lived token for one sandbox's sockets, handed to the gateway's connections to the agent. */
  terminalToken(sandboxId: string, rights: "write" | "read"): Promise<string> {
    return mintToken(this.secret, { sub: sandboxId, rights }, 60);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const token = await mintToken(this.secret, { sub: "*", rights: "manage" }, 30);
    let response: { status: number; text: string };
    try {
      response = await this.send(method, path, { authorization: `Bearer ${token}` }, body);
    } catch (error) {
      if (error instanceof Error && error.name === "TimeoutError") {
        throw new Error(`The sandbox agent at ${this.url} did not answer ${method} ${path} within ${CALL_TIMEOUT_MS / 1000} s.`, {
          cause: error,
        });
      }
      throw new Error(`The sandbox agent at ${this.url} is unreachable. Is it running? (npm start runs it.)`, { cause: error });
    }
    const { status, text } = response;
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (status < 200 || status >= 300) {
      const failure = apiErrorSchema.safeParse(json);
      const message = failure.success ? `${failure.data.error}${failure.data.hint ? ` ${failure.data.hint}` : ""}` : text;
      throw new AgentRefusal(`The sandbox agent refused ${method} ${path} (${status}): ${message}`, status);
    }
    return json;
  }

  /** One request along the route (node:http, whose connections a tunnel can make; fetch's cannot be). */
  private send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.route.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const asked = request(
        url,
        {
          method,
          agent: this.route.agent,
          headers: { ...headers, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
          // Every call of this API answers at once (a start answers 202 and reports on its channel): one that hangs is a fault.
          signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          response.on("error", reject);
        },
      );
      asked.on("error", reject);
      asked.end(payload);
    });
  }
}
