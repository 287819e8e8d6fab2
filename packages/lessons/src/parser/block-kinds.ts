/**
 * The fenced block kinds of the format: which options each takes and on which
 * pages it may stand. A fenced block whose first word is not a kind is a plain
 * code sample (```dockerfile, ```text): shown, never run.
 */
export type OptionType = "flag" | "text" | "seconds";

/** Where a block stands: the intro (lesson.md), a step, the finish page, inside a solution, a hint or a variant. */
export type PagePlace = "intro" | "step" | "finish" | "solution" | "hint" | "variant";

export interface BlockKindSpec {
  options: Record<string, { type: OptionType; means: string }>;
  required: string[];
  places: PagePlace[];
  /** One sentence for error messages. */
  means: string;
}

export const BLOCK_KINDS = {
  run: {
    means: "a command typed into the terminal when clicked",
    options: {
      interrupt: { type: "flag", means: "press Ctrl-C before typing" },
      until: { type: "text", means: "the command keeps running; the runner goes on once this text is printed" },
      timeout: { type: "seconds", means: "how long the runner lets each line take" },
      "keeps-running": {
        type: "flag",
        means: "the command stays in the foreground (a server, `sleep 1000`): the runner goes on once the step's check passes",
      },
    },
    required: [],
    places: ["intro", "step", "finish", "solution", "variant"],
  },
  copy: {
    means: "a snippet with a Copy button",
    options: { lang: { type: "text", means: "the language to highlight" } },
    required: [],
    places: ["intro", "step", "finish", "solution"],
  },
  file: {
    means: "a file the learner writes in the editor",
    options: {
      path: { type: "text", means: "the file, relative to the workspace or absolute" },
      append: { type: "flag", means: "add the content to the end instead of replacing the file" },
      lang: { type: "text", means: "the language to highlight (default: from the file name)" },
    },
    required: ["path"],
    places: ["intro", "step", "finish", "solution", "variant"],
  },
  hint: { means: "a hint shown on request", options: {}, required: [], places: ["step"] },
  solution: { means: "the worked answer shown on request", options: {}, required: [], places: ["step"] },
  check: {
    means: "the step's check script",
    options: {
      timeout: { type: "seconds", means: "the check's time limit (default 30)" },
      required: { type: "flag", means: "Next stays disabled until this check passes" },
      optional: { type: "flag", means: "Next stays open even when the lesson's requirePass is on" },
    },
    required: [],
    places: ["step"],
  },
  setup: {
    means: "a hidden script run when the page opens",
    options: { timeout: { type: "seconds", means: "the script's time limit (default 120)" } },
    required: [],
    places: ["intro", "step", "variant"],
  },
  variant: {
    means: "the step performed a second, valid way, for the runner's second pass (hidden)",
    options: {},
    required: [],
    places: ["step"],
  },
} satisfies Record<string, BlockKindSpec>;

export type BlockKind = keyof typeof BLOCK_KINDS;

export function isBlockKind(word: string): word is BlockKind {
  return Object.hasOwn(BLOCK_KINDS, word);
}

export function kindSpec(kind: BlockKind): BlockKindSpec {
  return BLOCK_KINDS[kind];
}

/** "interrupt, until=TEXT, timeout=SECONDS" — for fix messages. */
export function describeOptions(kind: BlockKind): string {
  const entries = Object.entries(kindSpec(kind).options);
  if (entries.length === 0) return "no options";
  return entries
    .map(([name, option]) => (option.type === "flag" ? name : `${name}=${option.type === "seconds" ? "SECONDS" : "TEXT"}`))
    .join(", ");
}

/** The kind an unknown word was probably meant to be (one edit away, or a known alias), if any. */
export function closestKind(word: string): BlockKind | undefined {
  const aliases: Record<string, BlockKind> = { exec: "run", execute: "run", command: "run", verify: "check", answer: "solution" };
  const lower = word.toLowerCase();
  if (aliases[lower]) return aliases[lower];
  if (isBlockKind(lower)) return lower;
  // Code samples in these languages are one letter away from a kind; they are not typos.
  if (["cpp", "c++", "go", "js", "ts", "sh"].includes(lower)) return undefined;
  return (Object.keys(BLOCK_KINDS) as BlockKind[]).find((kind) => editDistance(lower, kind) <= 1 && lower.length >= 3);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
