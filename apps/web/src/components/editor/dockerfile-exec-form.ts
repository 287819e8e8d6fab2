import { DockerfileParser } from "dockerfile-ast";
import { INSTRUCTION_EXAMPLES } from "./dockerfile-examples";
import type { DockerfileProblem } from "./dockerfile-problem";

/** Instructions whose `[...]` form (exec form) runs a program without a shell. */
const EXEC_FORM_INSTRUCTIONS = new Set(["CMD", "ENTRYPOINT", "RUN"]);

/**
 * A list that is not valid JSON, like `CMD ["node" "index.js"]` or
 * `CMD ["node", "index.js"`: Docker builds it without a word, as a shell
 * command, and the container then fails to start. The language service
 * says nothing (only about single quotes, which it reports itself), so
 * this check is ours.
 */
export function malformedExecForms(content: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    const keyword = instruction.getKeyword();
    const list = instruction.getArgumentsContent()?.trim();
    const range = instruction.getArgumentsRange();
    if (!EXEC_FORM_INSTRUCTIONS.has(keyword) || !list?.startsWith("[") || !range) continue;
    const reason = whatIsWrong(list);
    if (!reason) continue;
    problems.push({
      range,
      severity: "warning",
      message: `This list is not valid: ${reason}, so Docker runs the line as a shell command, which fails. Write it like \`${INSTRUCTION_EXAMPLES[keyword]}\`: words in double quotes, commas between.`,
      detail: null,
      code: "MALFORMED_EXEC_FORM",
    });
  }
  return problems;
}

/** Why `list` is not a JSON array of strings, or null when it is one (or uses single quotes, which the service reports). */
function whatIsWrong(list: string): string | null {
  if (isListOfStrings(list) || isListOfStrings(list.replaceAll("'", '"'))) return null;
  if (!list.endsWith("]")) return "the closing `]` is missing";
  const tokens = list.slice(1, -1).match(/"(?:[^"\\]|\\.)*"?|,|[^\s,"]+/g) ?? [];
  for (const [index, token] of tokens.entries()) {
    const previous = tokens[index - 1];
    if (token !== "," && !token.startsWith('"')) return `\`${token}\` needs double quotes around it`;
    if (token.startsWith('"') && (token.length === 1 || !token.endsWith('"')))
      return `the quote before \`${token.slice(1)}\` is never closed`;
    if (token !== "," && previous !== undefined && previous !== ",") return `a comma is missing between \`${previous}\` and \`${token}\``;
    if (token === "," && (previous === undefined || previous === ",")) return "there is a comma without a word before it";
  }
  return tokens.at(-1) === "," ? "there is a comma after the last word" : "it is not a list of words in double quotes";
}

function isListOfStrings(list: string): boolean {
  try {
    const parsed: unknown = JSON.parse(list);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string");
  } catch {
    return false;
  }
}
