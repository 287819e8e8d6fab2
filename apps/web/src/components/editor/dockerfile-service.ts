// The service's own parts, not its factory: the factory's completion asks Docker Hub for
// image tags over https, and no request may leave the origin (nor would it, offline).
import { DockerAssist } from "dockerfile-language-service/lib/dockerAssist";
import { DockerCompletion } from "dockerfile-language-service/lib/dockerCompletion";
import { DockerHover } from "dockerfile-language-service/lib/dockerHover";
import { MarkdownDocumentation } from "dockerfile-language-service/lib/dockerMarkdown";
import { PlainTextDocumentation } from "dockerfile-language-service/lib/dockerPlainText";
import type { DockerRegistryClient } from "dockerfile-language-service/lib/dockerRegistryClient";
import type { CompletionItemCapabilities } from "dockerfile-language-service/lib/main";
import { validate } from "dockerfile-utils";
import { TextDocument } from "vscode-languageserver-textdocument";
import { type CompletionItem, CompletionItemTag, MarkupKind, type Position } from "vscode-languageserver-types";
import { malformedExecForms } from "./dockerfile-exec-form";
import { explain } from "./dockerfile-explain";
import type { DockerfileProblem } from "./dockerfile-problem";

/** Image tags after `FROM image:` would come from Docker Hub: none here, the learner types the tag. */
const noRegistry = { getTags: async () => [] } as unknown as DockerRegistryClient;

/** What Monaco renders: snippets with placeholders, Markdown documentation, struck-through deprecated items. */
const capabilities: CompletionItemCapabilities = {
  snippetSupport: true,
  deprecatedSupport: true,
  documentationFormat: [MarkupKind.Markdown],
  tagSupport: { valueSet: [CompletionItemTag.Deprecated] },
};

const completion = new DockerCompletion();
const hovers = new DockerHover(new MarkdownDocumentation(), new PlainTextDocumentation());

/**
 * Everything to fix in a Dockerfile, in a beginner's words, in file order.
 * A misspelt first instruction (`FORM`) is reported once, as a misspelling,
 * not also as "no FROM", since fixing the spelling fixes both.
 */
export function dockerfileProblems(content: string): DockerfileProblem[] {
  const explained = validate(content).map((diagnostic) => explain(diagnostic, content));
  const misspeltFrom = explained.filter((problem) => problem.code === "UNKNOWN_INSTRUCTION" && problem.replacement === "FROM");
  const problems = explained.filter(
    (problem) => problem.code !== "NO_SOURCE_IMAGE" || !misspeltFrom.some((misspelt) => sameStart(misspelt, problem)),
  );
  return [...problems, ...malformedExecForms(content)].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

/** Instructions, flags and variables that fit at `position`, each with its documentation. */
export async function dockerfileCompletions(content: string, position: Position): Promise<CompletionItem[]> {
  const document = TextDocument.create("file:///Dockerfile", "dockerfile", 0, content);
  const items = await new DockerAssist(document, noRegistry, capabilities).computeProposals(position);
  return items.map((item) => completion.resolveCompletionItem(item, capabilities.documentationFormat));
}

/** The documentation of the instruction, flag or directive at `position`, in Markdown, or null. */
export function dockerfileHover(content: string, position: Position): string | null {
  const hover = hovers.onHover(content, position, [MarkupKind.Markdown]);
  if (!hover) return null;
  const { contents } = hover;
  if (typeof contents === "string") return contents;
  if (Array.isArray(contents)) return contents.map((part) => (typeof part === "string" ? part : part.value)).join("\n\n");
  return contents.value;
}

const sameStart = (a: DockerfileProblem, b: DockerfileProblem) =>
  a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
