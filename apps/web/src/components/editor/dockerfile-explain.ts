import { Keyword } from "dockerfile-ast";
import { ValidationCode } from "dockerfile-utils";
import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver-types";
import { INSTRUCTION_EXAMPLES, INSTRUCTION_FLAGS } from "./dockerfile-examples";
import type { DockerfileProblem } from "./dockerfile-problem";
import { closestMatch } from "./dockerfile-suggest";

/** dockerfile-utils adds the line of the instruction a diagnostic belongs to (a continued instruction starts earlier). */
export type ServiceDiagnostic = Diagnostic & { instructionLine?: number | null };

/** What a sentence may quote from the learner's file. */
interface Context {
  /** The text the diagnostic points at. */
  word: string;
  /** The instruction the diagnostic belongs to, in capitals (`COPY`). */
  keyword: string;
  /** The line above the diagnostic, trimmed. */
  previousLine: string;
}

type Explain = (context: Context) => string;

const KEYWORDS = Object.values(Keyword);
const example = (keyword: string) => INSTRUCTION_EXAMPLES[keyword] ?? INSTRUCTION_EXAMPLES.FROM;
const forExample = ({ keyword }: Context) => `for example \`${example(keyword)}\``;
const durations = ({ word }: Context) =>
  `\`${word}\` is not a duration Docker understands: write a number with a unit, like \`30s\`, \`5m\` or \`1h30m\`.`;
/** `--fron=build` in a COPY → `--from=build`. */
const correctFlag = ({ word, keyword }: Context) => {
  const [flag = "", ...value] = word.replace(/^--/, "").split("=");
  const suggestion = closestMatch(flag, INSTRUCTION_FLAGS[keyword] ?? []);
  return suggestion && [`--${suggestion}`, ...value].join("=");
};
const unknownFlag = (context: Context) => {
  const suggestion = correctFlag(context)?.split("=")[0];
  return `\`${context.word.split("=")[0]}\` is not an option of \`${context.keyword}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ""}`;
};

/** One sentence per ValidationCode: what is wrong, then what to write instead. */
const EXPLANATIONS: Partial<Record<ValidationCode, Explain>> = {
  [ValidationCode.CASING_INSTRUCTION]: ({ word }) =>
    `Docker accepts \`${word}\`, but instructions are written in capitals by convention: \`${word.toUpperCase()}\`.`,
  [ValidationCode.CASING_DIRECTIVE]: () => "Parser directives such as `# syntax=` are written in lowercase.",
  [ValidationCode.ARGUMENT_MISSING]: (context) => `\`${context.keyword}\` needs something after it, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_EXTRA]: (context) =>
    `\`${context.keyword}\` takes one value; \`${context.word}\` is one too many. Put quotes around a value with spaces, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_REQUIRES_ONE]: (context) => `\`${context.keyword}\` takes exactly one value, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_ONE]: (context) => `\`${context.keyword}\` needs at least one value, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_REQUIRES_TWO]: (context) =>
    `\`${context.keyword}\` needs a name and a value joined by \`=\`, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_TWO]: (context) =>
    `\`${context.keyword}\` needs what to copy and where to put it in the image, ${forExample(context)}.`,
  [ValidationCode.ARGUMENT_REQUIRES_ONE_OR_THREE]: () =>
    "`FROM` takes one image name, like `FROM debian:bookworm-slim` (a `:` between image and tag, no spaces), or an image and a stage name: `FROM debian:bookworm-slim AS build`.",
  [ValidationCode.ARGUMENT_UNNECESSARY]: () => "`HEALTHCHECK NONE` takes nothing after it.",
  [ValidationCode.DUPLICATE_BUILD_STAGE_NAME]: ({ word }) => `Two stages are named \`${word}\`: give each \`FROM … AS name\` its own name.`,
  [ValidationCode.EMPTY_CONTINUATION_LINE]: () =>
    "This empty line sits inside an instruction continued with `\\`: remove it (a line ending in `\\` continues on the next line).",
  [ValidationCode.INVALID_BUILD_STAGE_NAME]: ({ word }) =>
    `\`${word}\` cannot name a stage: start with a letter and use only letters, digits, \`-\`, \`_\` and \`.\`.`,
  [ValidationCode.FLAG_AT_LEAST_ONE]: ({ word }) => `\`${word}\` must be at least 1.`,
  [ValidationCode.FLAG_DUPLICATE]: ({ word }) => `\`${word}\` is given twice: keep one.`,
  [ValidationCode.FLAG_INVALID_DURATION]: durations,
  [ValidationCode.FLAG_LESS_THAN_1MS]: ({ word }) => `\`${word}\` is too short: use at least \`1ms\` (usually seconds, like \`30s\`).`,
  [ValidationCode.FLAG_MISSING_DURATION]: durations,
  [ValidationCode.FLAG_UNKNOWN_UNIT]: durations,
  [ValidationCode.FLAG_MISSING_VALUE]: ({ word }) => `\`${word}\` needs a value after \`=\`, like \`${word.split("=")[0]}=value\`.`,
  [ValidationCode.NO_SOURCE_IMAGE]: () =>
    "A Dockerfile starts with `FROM` and the image to build on, for example `FROM debian:bookworm-slim` (only `ARG` lines and comments may come before it).",
  [ValidationCode.INVALID_ESCAPE_DIRECTIVE]: () => "The escape directive takes `\\` or a backtick (`` ` ``), nothing else.",
  [ValidationCode.INVALID_AS]: ({ word }) =>
    `To name a stage write \`AS\` between the image and the name, like \`FROM debian:bookworm-slim AS build\`, not \`${word}\`.`,
  [ValidationCode.INVALID_DESTINATION]: ({ keyword }) =>
    `\`${keyword}\` of several files needs a folder to put them in, ending with \`/\`, like \`${keyword} package.json index.js /app/\`.`,
  [ValidationCode.INVALID_PORT]: ({ word }) =>
    `\`${word}\` is not a port: write a number from 1 to 65535, optionally followed by \`/tcp\` or \`/udp\`, like \`EXPOSE 8080\`.`,
  [ValidationCode.INVALID_PROTO]: ({ word }) =>
    `\`${word}\` is not a protocol: a port is \`/tcp\` (the default) or \`/udp\`, like \`EXPOSE 53/udp\`.`,
  [ValidationCode.INVALID_REFERENCE_FORMAT]: ({ word }) =>
    `\`${word}\` is not a valid image name: lowercase letters, digits and \`.\` \`_\` \`-\`, then an optional \`:tag\`, like \`debian:bookworm-slim\`.`,
  [ValidationCode.INVALID_SIGNAL]: ({ word }) =>
    `\`${word}\` is not a signal: use a name or number such as \`SIGTERM\`, \`SIGINT\` or \`15\`.`,
  [ValidationCode.INVALID_SYNTAX]: ({ word }) => `Docker cannot read \`${word}\` here: check it for a typo.`,
  [ValidationCode.ONBUILD_CHAINING_DISALLOWED]: () =>
    "`ONBUILD ONBUILD` is not allowed: give `ONBUILD` one ordinary instruction, like `ONBUILD RUN npm install`.",
  [ValidationCode.ONBUILD_TRIGGER_DISALLOWED]: ({ word }) =>
    `\`${word.toUpperCase()}\` cannot follow \`ONBUILD\`: use it on a line of its own.`,
  [ValidationCode.SHELL_JSON_FORM]: () => 'SHELL takes a list in JSON form, like `SHELL ["/bin/bash", "-c"]`.',
  [ValidationCode.SHELL_REQUIRES_ONE]: () => 'SHELL needs the shell to use, like `SHELL ["/bin/bash", "-c"]`.',
  [ValidationCode.SYNTAX_MISSING_EQUALS]: (context) =>
    `Write \`${context.word}\` as \`name=value\`, with an \`=\`, ${forExample(context)}.`,
  [ValidationCode.SYNTAX_MISSING_NAMES]: ({ keyword }) => `A name is missing before the \`=\`: \`${keyword}\` sets \`name=value\`.`,
  [ValidationCode.SYNTAX_MISSING_SINGLE_QUOTE]: () => "A `'` opened here is never closed: add the closing `'`.",
  [ValidationCode.SYNTAX_MISSING_DOUBLE_QUOTE]: () => 'A `"` opened here is never closed: add the closing `"`.',
  [ValidationCode.MULTIPLE_INSTRUCTIONS]: ({ keyword }) =>
    `Only the last \`${keyword}\` of an image counts, so this one does nothing: remove it, or merge the two into one.`,
  [ValidationCode.UNKNOWN_INSTRUCTION]: ({ word, previousLine }) => {
    const suggestion = closestMatch(word, KEYWORDS);
    if (suggestion) return `\`${word}\` is not a Dockerfile instruction. Did you mean \`${suggestion}\`?`;
    const continues = previousLine !== "" && !previousLine.startsWith("#") && !previousLine.endsWith("\\");
    return continues
      ? `\`${word}\` is not a Dockerfile instruction. If this line continues the command above, end the line above with \` \\\`.`
      : `\`${word}\` is not a Dockerfile instruction. Each line starts with one, such as \`FROM\`, \`RUN\`, \`COPY\`, \`WORKDIR\` or \`CMD\`.`;
  },
  [ValidationCode.UNKNOWN_ADD_FLAG]: unknownFlag,
  [ValidationCode.UNKNOWN_COPY_FLAG]: unknownFlag,
  [ValidationCode.UNKNOWN_FROM_FLAG]: unknownFlag,
  [ValidationCode.UNKNOWN_HEALTHCHECK_FLAG]: unknownFlag,
  [ValidationCode.UNKNOWN_TYPE]: ({ word }) => `\`HEALTHCHECK\` is followed by \`CMD\` and a command, or by \`NONE\`, not \`${word}\`.`,
  [ValidationCode.UNSUPPORTED_MODIFIER]: () =>
    `Docker cannot use this modifier in a \`\${…}\` variable: use \`\${NAME:-default}\` or \`\${NAME:+alternative}\`.`,
  [ValidationCode.DEPRECATED_MAINTAINER]: () => '`MAINTAINER` is outdated: write `LABEL maintainer="you@example.com"` instead.',
  [ValidationCode.HEALTHCHECK_CMD_ARGUMENT_MISSING]: () =>
    "Write the command to run after `HEALTHCHECK CMD`, like `HEALTHCHECK CMD curl -f http://localhost/`.",
  [ValidationCode.FLAG_INVALID_FROM_VALUE]: ({ word }) => `\`${word}\` should name an earlier stage or an image, like \`--from=build\`.`,
  [ValidationCode.FLAG_EXPECTED_BOOLEAN_VALUE]: ({ word }) => `\`${word}\` takes \`true\` or \`false\`.`,
  [ValidationCode.JSON_IN_SINGLE_QUOTES]: ({ keyword }) =>
    `Use double quotes in this list, like \`${example(keyword)}\`: with single quotes Docker does not see a list and runs the whole line as a shell command, which fails.`,
  [ValidationCode.WORKDIR_IS_NOT_ABSOLUTE]: ({ word }) =>
    `Start the folder with \`/\`, like \`/${word.replace(/^\.?\/*/, "")}\`: a relative WORKDIR depends on the folder before it.`,
  [ValidationCode.BASE_NAME_EMPTY]: ({ word }) =>
    `\`${word}\` is empty here: set it with an \`ARG\` before \`FROM\` (\`ARG NAME=debian\`) or give it a default, like \`\${NAME:-debian}\`.`,
  [ValidationCode.DUPLICATED_ESCAPE_DIRECTIVE]: () => "Only one escape directive is allowed: remove the others.",
};

/** The text that fixes the range, where one is certain enough to offer as a quick fix. */
function replacementFor(code: ValidationCode | undefined, context: Context): string | undefined {
  switch (code) {
    case ValidationCode.CASING_INSTRUCTION:
      return context.word.toUpperCase();
    case ValidationCode.UNKNOWN_INSTRUCTION:
      return closestMatch(context.word, KEYWORDS);
    case ValidationCode.UNKNOWN_ADD_FLAG:
    case ValidationCode.UNKNOWN_COPY_FLAG:
    case ValidationCode.UNKNOWN_FROM_FLAG:
    case ValidationCode.UNKNOWN_HEALTHCHECK_FLAG:
      return correctFlag(context);
    default:
      return undefined;
  }
}

/** Warnings learners may safely leave: the service calls them warnings, we only mention them. */
const MILD: ReadonlySet<ValidationCode> = new Set([ValidationCode.CASING_INSTRUCTION, ValidationCode.CASING_DIRECTIVE]);

/** The service's diagnostic for `content`, in a beginner's words, its own words kept as the detail. */
export function explain(diagnostic: ServiceDiagnostic, content: string): DockerfileProblem {
  const lines = content.split(/\r?\n/);
  const { start, end } = diagnostic.range;
  const line = lines[start.line] ?? "";
  const word = line.slice(start.character, start.line === end.line ? end.character : undefined).trim();
  const instructionLine = lines[diagnostic.instructionLine ?? start.line] ?? "";
  const context: Context = {
    word,
    keyword: (instructionLine.trim().split(/\s+/)[0] ?? "").toUpperCase(),
    previousLine: (lines[start.line - 1] ?? "").trim(),
  };
  const code = typeof diagnostic.code === "number" ? (diagnostic.code as ValidationCode) : undefined;
  const sentence = code === undefined ? undefined : EXPLANATIONS[code];
  const replacement = replacementFor(code, context);
  return {
    range: diagnostic.range,
    severity: code !== undefined && MILD.has(code) ? "info" : diagnostic.severity === DiagnosticSeverity.Error ? "error" : "warning",
    message: sentence ? sentence(context) : diagnostic.message,
    detail: diagnostic.message,
    code: code === undefined ? "UNKNOWN" : (ValidationCode[code] ?? String(code)),
    ...(replacement ? { replacement } : {}),
  };
}
