import { z } from "zod";

/**
 * The lesson model: what the parser produces and what the UI, the agent and
 * the runner consume. The zod schemas are the source of truth; the types are
 * inferred from them, and every parsed lesson is validated against
 * `lessonSchema` before it is handed out.
 */

export const positionSchema = z.strictObject({
  /** Path of the source file as it was read (absolute when loaded from disk). */
  file: z.string().min(1),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});
export type SourcePosition = z.infer<typeof positionSchema>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const slugSchema = z.string().regex(SLUG, "must be lowercase letters and digits joined by single dashes");

/** A link in prose that opens a port published in the sandbox: `[Open the app](port:8888/path)`. */
export const portLinkSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  /** Starts with "/"; "/" when the link named no path. */
  path: z.string().startsWith("/"),
  text: z.string(),
  position: positionSchema,
});
export type PortLink = z.infer<typeof portLinkSchema>;

/** Markdown between blocks, kept as source text: the UI renders it (safely). */
export const proseSchema = z.strictObject({
  kind: z.literal("prose"),
  markdown: z.string(),
  position: positionSchema,
});

/** Typed into the learner's terminal when clicked, followed by Enter. */
export const runBlockSchema = z.strictObject({
  kind: z.literal("run"),
  command: z.string().min(1),
  /** Send Ctrl-C before typing (to stop what runs in the foreground). */
  interrupt: z.boolean(),
  /** The command keeps running (e.g. `docker logs -f`): the runner goes on once this text appears. */
  until: z.string().min(1).optional(),
  /** How long the runner lets each typed line take. */
  timeoutSeconds: z.number().int().positive().optional(),
  /**
   * The command stays in the foreground (a server, `sleep 1000`): the runner
   * does not wait for it to end, it goes on once the step's check passes
   * (on a page without a check, once its output has settled).
   */
  keepsRunning: z.boolean().optional(),
  position: positionSchema,
});

/** A snippet with a Copy button. Never run. */
export const copyBlockSchema = z.strictObject({
  kind: z.literal("copy"),
  text: z.string(),
  lang: z.string().optional(),
  position: positionSchema,
});

/** A file the learner writes: clicking opens `path` in the editor with the content put in (replacing it, or appended). */
export const fileBlockSchema = z.strictObject({
  kind: z.literal("file"),
  /** Relative to the lesson's workspace, or absolute. */
  path: z.string().min(1),
  append: z.boolean(),
  content: z.string(),
  lang: z.string().optional(),
  position: positionSchema,
});

export const actionBlockSchema = z.discriminatedUnion("kind", [runBlockSchema, copyBlockSchema, fileBlockSchema]);

/** Markdown shown folded until the learner asks for it. */
export const hintBlockSchema = z.strictObject({
  kind: z.literal("hint"),
  markdown: z.string(),
  position: positionSchema,
});

/** The worked answer: Markdown, whose run/file blocks are also what the runner performs. */
export const solutionBlockSchema = z.strictObject({
  kind: z.literal("solution"),
  markdown: z.string(),
  /** The run, copy and file blocks inside the solution, in order. */
  blocks: z.array(actionBlockSchema),
  position: positionSchema,
});

/** The step's check: a bash script run inside the sandbox. Exit 0 passes; stdout lines starting `FAIL:` say why not. */
export const checkBlockSchema = z.strictObject({
  kind: z.literal("check"),
  script: z.string().min(1),
  timeoutSeconds: z.number().int().positive(),
  /** `required`: Next waits for this check to pass; `optional`: it never waits, whatever the lesson's requirePass says. */
  gate: z.enum(["required", "optional"]).optional(),
  position: positionSchema,
});

/** A hidden bash script run in the sandbox when the page opens (Killercoda's "background"). */
export const setupBlockSchema = z.strictObject({
  kind: z.literal("setup"),
  script: z.string().min(1),
  timeoutSeconds: z.number().int().positive(),
  position: positionSchema,
});

/**
 * The step performed a second, valid way (other spellings, other flags, state a
 * learner may already have): hidden from learners, never sent to the browser;
 * `lessons test` performs it in its second pass and the step's check must
 * judge it as it judges the lesson's own way.
 */
export const variantBlockSchema = z.strictObject({
  kind: z.literal("variant"),
  /** What it does differently, for authors (Markdown). */
  markdown: z.string(),
  /** Run before the check is first tried: state the learner may already have (a tag pushed last week). */
  setups: z.array(setupBlockSchema),
  /** What the runner performs instead of the step's own blocks, in order. */
  blocks: z.array(z.discriminatedUnion("kind", [runBlockSchema, fileBlockSchema])).min(1),
  position: positionSchema,
});

export const partSchema = z.discriminatedUnion("kind", [
  proseSchema,
  runBlockSchema,
  copyBlockSchema,
  fileBlockSchema,
  hintBlockSchema,
  solutionBlockSchema,
  checkBlockSchema,
  setupBlockSchema,
]);

export const pageSchema = z.strictObject({
  file: z.string().min(1),
  title: z.string().min(1),
  /** The page in reading order: prose and blocks. A step's check is among them (hidden by the UI). */
  parts: z.array(partSchema),
  portLinks: z.array(portLinkSchema),
});

export const stepSchema = pageSchema.extend({
  /** From the file name: `steps/03-commit-it.md` is step `commit-it`. */
  id: slugSchema,
  check: checkBlockSchema,
  /** Kept out of `parts`: what the UI renders never holds it. */
  variant: variantBlockSchema.optional(),
  /** Next is offered only once the check passed (the lesson's requirePass, or the check's `required`/`optional`). */
  requirePass: z.boolean(),
});

/** A file placed in the workspace before the first step. */
export const lessonFileSchema = z.strictObject({
  /** Where it goes: relative to the workspace, or absolute. */
  path: z.string().min(1),
  /** Where it comes from, relative to the lesson folder. */
  source: z.string().min(1),
  /** Permission bits, e.g. 0o755; the default is 0o644. */
  mode: z.number().int().min(0).max(0o7777).optional(),
});

export const LEVELS = ["beginner", "intermediate", "advanced"] as const;

export const lessonSchema = z.strictObject({
  id: slugSchema,
  title: z.string().min(1),
  summary: z.string().min(1),
  level: z.enum(LEVELS),
  minutes: z.number().int().positive(),
  tags: z.array(slugSchema),
  /** The learner's working directory: shells, execs and relative paths start here. */
  workspace: z.string().startsWith("/"),
  files: z.array(lessonFileSchema),
  /** The folder the lesson was read from. */
  directory: z.string().min(1),
  intro: pageSchema,
  steps: z.array(stepSchema).min(1),
  finish: pageSchema.optional(),
});

export type Prose = z.infer<typeof proseSchema>;
export type RunBlock = z.infer<typeof runBlockSchema>;
export type CopyBlock = z.infer<typeof copyBlockSchema>;
export type FileBlock = z.infer<typeof fileBlockSchema>;
export type ActionBlock = z.infer<typeof actionBlockSchema>;
export type HintBlock = z.infer<typeof hintBlockSchema>;
export type SolutionBlock = z.infer<typeof solutionBlockSchema>;
export type CheckBlock = z.infer<typeof checkBlockSchema>;
export type SetupBlock = z.infer<typeof setupBlockSchema>;
export type VariantBlock = z.infer<typeof variantBlockSchema>;
export type Part = z.infer<typeof partSchema>;
export type Page = z.infer<typeof pageSchema>;
export type Step = z.infer<typeof stepSchema>;
export type LessonFile = z.infer<typeof lessonFileSchema>;
export type Level = (typeof LEVELS)[number];
export type Lesson = z.infer<typeof lessonSchema>;

/** The workspace of a lesson that declares none; the rule for a declared one is @drydock/protocol's (workspace.ts). */
export { DEFAULT_WORKSPACE } from "@drydock/protocol";
export const DEFAULT_CHECK_TIMEOUT_SECONDS = 30;
export const DEFAULT_SETUP_TIMEOUT_SECONDS = 120;
