import { z } from "zod";
import { trustedProxies } from "./http/client-address";

const count = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  WEB_HOST: z.string().default("0.0.0.0"),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Where this node serves its Prometheus metrics (GET /metrics: the event
   * loop's delay, GC, memory, sockets), on a listener apart from the
   * learners' port. Unset: no metrics listener.
   */
  WEB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The metrics listener's address: this host only unless a scraper elsewhere needs it (0.0.0.0 in a pod). */
  WEB_METRICS_HOST: z.string().default("127.0.0.1"),
  AGENT_URL: z.url().default("http://127.0.0.1:4100"),
  DRYDOCK_AGENT_SECRET: z.string().min(32, "must be at least 32 characters (npm start generates one in .drydock/agent-secret)"),
  /** SQLite (the embedded default) or PostgreSQL, by the URL's scheme (prisma/README.md). */
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:|postgres(ql)?:\/\/)/i,
      "must be a SQLite URL like file:/abs/path/drydock.db (npm start sets it) or a PostgreSQL URL like postgresql://user:password@host:5432/drydock",
    ),
  /**
   * Previews are served on `<port>-<session>.<PREVIEW_DOMAIN>`: origins apart
   * from Drydock's. In production use a domain that is not under Drydock's own
   * (e.g. drydock-preview.example for drydock.example) with a wildcard DNS record.
   */
  PREVIEW_DOMAIN: z
    .string()
    .toLowerCase()
    .regex(/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "must be a DNS name like preview.localhost")
    .default("preview.localhost"),
  /** Folders of lessons to serve instead of the built-in ones (packages/lessons/lessons), separated by ":" as in PATH. */
  LESSONS_DIR: z
    .string()
    .refine((value) => value.split(":").every((folder) => folder.startsWith("/")), "must be absolute paths separated by ':'")
    .optional(),
  /**
   * Several web nodes behind one balancer share their sockets' rooms and
   * broadcasts, presence, rate limits and spent preview grants through this
   * Redis (see src/server/nodes). Unset: one web node, all of it in this process.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, "must be a Redis URL like redis://127.0.0.1:6379 (or unset for a single web node)")
    .optional(),
  /** This web node's name in every log line and in /healthz; the host's name and the port when unset. */
  WEB_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, "must be 1-64 letters, digits, '.', '_', ':' or '-'")
    .optional(),
  /**
   * The balancers in front of the web nodes (addresses or CIDR blocks, comma-separated): the client
   * address they put in X-Forwarded-For is the one the per-address budgets count. Unset: nobody's.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, check) => {
      try {
        trustedProxies(value);
      } catch (error) {
        check.addIssue({ code: "custom", message: `${(error as Error).message} (e.g. 127.0.0.1,10.0.0.0/8)` });
      }
    }),
  /** The start budget (src/server/budget): live sandboxes one browser may hold at once (one per lesson). */
  SANDBOXES_PER_VISITOR: count(1, 3),
  /** Session starts one client address may make per minute (counted across web nodes when REDIS_URL is set, else by this one). */
  STARTS_PER_ADDRESS_PER_MINUTE: count(1, 60),
  /** Instructor sign-in attempts (each checks a password) one client address may make per minute (counted across web nodes when REDIS_URL is set, else by this one). */
  SIGN_INS_PER_ADDRESS_PER_MINUTE: count(1, 20),
  /** Live sandboxes the whole deployment may hold; a start beyond it is answered 503 with an estimate. */
  MAX_LIVE_SANDBOXES: count(1, 20),
  /** Workshop joins (and rejoins) one client address may make per minute: a room behind one router joins at once. */
  JOINS_PER_ADDRESS_PER_MINUTE: count(1, 120),
  /** The agents' idle limit (the same variable as theirs): a session idle this long is gone, and frees its place. */
  SANDBOX_IDLE_SECONDS: count(60, 30 * 60),
  /** A workshop seat's terminal recording (asciicast) stops, marked truncated, at this size in bytes. */
  RECORDING_MAX_BYTES: count(4096, 5 * 1024 * 1024),
  /** The agents' per-sandbox limits (the same variables as theirs): a workshop's seats may ask for less, never more. */
  SANDBOX_MEMORY_MIB: count(128, 1024),
  SANDBOX_CPUS: z.coerce.number().min(0.1).default(1),
});

export type WebConfig = z.infer<typeof schema>;

/** The web app's environment, validated; a bad value names the variable and the fix. */
export function parseWebConfig(env: Record<string, string | undefined> = process.env): WebConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`The web app's configuration is invalid:\n${problems}`);
  }
  return parsed.data;
}
