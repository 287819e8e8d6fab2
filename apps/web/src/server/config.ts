import { z } from "zod";

const schema = z.object({
  WEB_HOST: z.string().default("0.0.0.0"),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AGENT_URL: z.url().default("http://127.0.0.1:4100"),
  DRYDOCK_AGENT_SECRET: z.string().min(32, "must be at least 32 characters (npm start generates one in .drydock/agent-secret)"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite URL like file:/abs/path/drydock.db (npm start sets it)"),
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
  /** A folder of lessons to serve instead of the built-in ones (packages/lessons/lessons). */
  LESSONS_DIR: z.string().startsWith("/", "must be an absolute path").optional(),
});

export type WebConfig = z.infer<typeof schema>;

let cached: WebConfig | undefined;

/** The web app's environment, validated once; a bad value names the variable and the fix. */
export function webConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  if (cached) return cached;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`The web app's configuration is invalid:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}
