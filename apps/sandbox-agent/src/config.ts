import { DEFAULT_ENGINE_READY_TIMEOUT_MS, DEFAULT_ISOLATION, SANDBOX_ISOLATIONS, SANDBOX_PACKAGE_CACHE_PORT } from "@drydock/engine";
import { z } from "zod";
import { machinePacing } from "./start-scheduler";

const TUNNEL_URL_PROBLEM =
  "must be http:// URLs of the web nodes (http://web-1:3000,http://web-2:3000); tunnels do not run over https:// yet, so keep them on a private network or encrypt underneath (WireGuard, a service mesh's mTLS)";

const schema = z
  .object({
    AGENT_HOST: z.string().default("127.0.0.1"),
    AGENT_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
    /** Several agents may share one Docker engine; each manages only its own fleet. */
    AGENT_FLEET: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, "lowercase letters, digits and dashes")
      .default("default"),
    DRYDOCK_AGENT_SECRET: z.string().min(32, "must be at least 32 characters (npm start generates one in .drydock/agent-secret)"),
    SANDBOX_IMAGE: z.string().default("drydock/sandbox:latest"),
    SANDBOX_NETWORK: z.string().default("drydock"),
    /**
     * rootless: the learner is root in a user namespace of the sandbox's own. privileged: the
     * near-privileged recipe, host-root-equivalent for the learner (SECURITY.md); an explicit opt-in.
     */
    SANDBOX_ISOLATION: z.enum(SANDBOX_ISOLATIONS).default(DEFAULT_ISOLATION),
    /** What sandboxes reach beyond the registry and package-cache gateways: the internet (not private ranges), or nothing. */
    SANDBOX_EGRESS: z.enum(["internet", "none"]).default("internet"),
    /** Limits of each sandbox (everything inside it counts): the default and the most a request may ask for. */
    SANDBOX_MEMORY_MIB: z.coerce.number().int().min(128).default(1024),
    SANDBOX_CPUS: z.coerce.number().min(0.1).default(1),
    SANDBOX_PIDS: z.coerce.number().int().min(64).default(1024),
    /** Each sandbox's own data disk for its inner engine; 0 for none (no disk limit). */
    SANDBOX_DISK_MIB: z.coerce.number().int().min(0).default(4096),
    SANDBOX_LIFETIME_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(4 * 60 * 60),
    SANDBOX_IDLE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 60),
    SANDBOX_WARN_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .default(5 * 60),
    POOL_SIZE: z.coerce.number().int().min(0).max(100).default(2),
    /** Sandboxes booting at once; more wait their turn (learners first) instead of slowing every boot until it fails. */
    SANDBOX_START_CONCURRENCY: z.coerce.number().int().min(1).default(machinePacing().concurrency),
    /** Sandboxes booting at once while a learner of this agent types (never above SANDBOX_START_CONCURRENCY): the other cores answer keystrokes. */
    SANDBOX_START_CONCURRENCY_WHILE_TYPING: z.coerce.number().int().min(1).default(machinePacing().whileTyping),
    /** How long a booting sandbox's engine may take to answer when no fault shows (a real fault fails at once). */
    SANDBOX_READY_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .default(DEFAULT_ENGINE_READY_TIMEOUT_MS / 1000),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
    /** The real registry (scripts/provision.sh publishes it on 127.0.0.1:$DRYDOCK_REGISTRY_PORT). */
    REGISTRY_UPSTREAM: z.url({ protocol: /^http$/ }).default("http://127.0.0.1:5000"),
    /** The registry gateway's port on the sandbox network's gateway address; the sandbox image's dockerd expects 5000. */
    REGISTRY_GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(5000),
    /**
     * A Docker Hub pull-through mirror (provision's drydock-hub-mirror, HUB_MIRROR_URL in its provision.env):
     * mirror pulls the registry does not hold are answered from it. Empty: none.
     */
    HUB_MIRROR_UPSTREAM: z.union([z.literal(""), z.url({ protocol: /^http$/ })]).default(""),
    /** The package cache, apt-cacher-ng (scripts/provision.sh publishes it on 127.0.0.1:$DRYDOCK_APT_CACHE_PORT). */
    PACKAGE_CACHE_UPSTREAM: z.url({ protocol: /^http$/ }).default("http://127.0.0.1:3142"),
    /** The package-cache gateway's port on the sandbox network's gateway address; 0 turns the cache off for sandboxes. */
    PACKAGE_CACHE_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(SANDBOX_PACKAGE_CACHE_PORT),
    /**
     * Many machines: the web's base URL (behind its balancer). The agent dials out to it every 3 s with
     * DRYDOCK_AGENT_CREDENTIAL and reports its capacity; empty (the one-machine default): no heartbeat,
     * the web uses AGENT_URL.
     */
    CONTROL_PLANE_URL: z.union([z.literal(""), z.url({ protocol: /^https?$/ })]).default(""),
    /** This agent's credential, from `npm run admin -- issue-agent --name NAME`; needed with CONTROL_PLANE_URL. */
    DRYDOCK_AGENT_CREDENTIAL: z.string().default(""),
    /**
     * No inbound port: the web nodes this agent dials a tunnel to (comma-separated URLs; every address
     * a name resolves to gets one, e.g. a Kubernetes headless Service). The web nodes then reach the
     * agent through them, and AGENT_PUBLIC_URL is not used. Needs CONTROL_PLANE_URL.
     */
    AGENT_TUNNEL_URLS: z
      .string()
      .default("")
      .transform((text) =>
        text
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      // Not https: Node's HTTP/2 server refuses a TLS connection that negotiated no ALPN, as the upgraded tunnel has, so every request through it would hang up.
      .pipe(z.array(z.url({ protocol: /^http$/, error: TUNNEL_URL_PROBLEM }))),
    /** Where web nodes reach this agent; default http://127.0.0.1:<AGENT_PORT>. */
    AGENT_PUBLIC_URL: z.union([z.literal(""), z.url({ protocol: /^https?$/ })]).default(""),
    /** The machine's labels for placement and operators, as name=value pairs: zone=a,size=m. */
    AGENT_LABELS: z
      .string()
      .regex(
        /^([a-z0-9][a-z0-9._-]{0,62}=[^,=]{0,63}(,[a-z0-9][a-z0-9._-]{0,62}=[^,=]{0,63})*)?$/,
        "name=value pairs separated by commas, like zone=a,size=m",
      )
      .default(""),
    /** The most learners' sandboxes this machine takes; 0: as many as its memory holds at SANDBOX_MEMORY_MIB each. */
    MAX_SANDBOXES: z.coerce.number().int().min(0).default(0),
  })
  .refine((config) => config.CONTROL_PLANE_URL === "" || config.DRYDOCK_AGENT_CREDENTIAL !== "", {
    path: ["DRYDOCK_AGENT_CREDENTIAL"],
    message: "is needed with CONTROL_PLANE_URL: issue one with npm run admin -- issue-agent --name NAME",
  })
  .refine((config) => config.AGENT_TUNNEL_URLS.length === 0 || config.CONTROL_PLANE_URL !== "", {
    path: ["AGENT_TUNNEL_URLS"],
    message: "needs CONTROL_PLANE_URL (and DRYDOCK_AGENT_CREDENTIAL): tunnels are for agents that report to a control plane",
  });

export type AgentConfig = z.infer<typeof schema>;

/** Reads the environment once, at start-up; a bad value stops the agent naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`The sandbox agent's configuration is invalid:\n${problems}`);
  }
  return parsed.data;
}
