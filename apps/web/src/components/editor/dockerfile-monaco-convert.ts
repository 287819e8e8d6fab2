import type { editor, IMarkdownString, IRange, languages } from "monaco-editor";
import { type CompletionItem, CompletionItemKind, InsertTextFormat, type Position, type Range } from "vscode-languageserver-types";
import type { DockerfileProblem } from "./dockerfile-problem";

/** The parts of Monaco's runtime these conversions need (its enums), so they stay pure and testable in Node. */
export interface MonacoEnums {
  CompletionItemKind: typeof languages.CompletionItemKind;
  CompletionItemInsertTextRule: typeof languages.CompletionItemInsertTextRule;
  MarkerSeverity: typeof import("monaco-editor").MarkerSeverity;
}

/** Monaco counts lines and columns from 1, the language service from 0. */
export function toServicePosition(position: { lineNumber: number; column: number }): Position {
  return { line: position.lineNumber - 1, character: position.column - 1 };
}

export function toMonacoRange(range: Range): IRange {
  return {
    startLineNumber: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLineNumber: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** Shown beside each marker's message, and how quick fixes recognise the markers they fix. */
export const MARKER_SOURCE = "Dockerfile";

export function toMarker(problem: DockerfileProblem, enums: Pick<MonacoEnums, "MarkerSeverity">): editor.IMarkerData {
  const severity = { error: enums.MarkerSeverity.Error, warning: enums.MarkerSeverity.Warning, info: enums.MarkerSeverity.Info }[
    problem.severity
  ];
  return { ...toMonacoRange(problem.range), severity, message: problem.message, source: MARKER_SOURCE };
}

const KIND_NAMES = new Map(Object.entries(CompletionItemKind).map(([name, value]) => [value, name]));

/** One of the service's completion items as a Monaco suggestion; `wordRange` is used when the item has no edit of its own. */
export function toSuggestion(
  item: CompletionItem,
  wordRange: IRange,
  enums: Omit<MonacoEnums, "MarkerSeverity">,
): languages.CompletionItem {
  const edit = item.textEdit;
  const range = !edit ? wordRange : "range" in edit ? toMonacoRange(edit.range) : toMonacoRange(edit.replace);
  const kindName = KIND_NAMES.get(item.kind ?? CompletionItemKind.Text) as keyof typeof enums.CompletionItemKind | undefined;
  const documentation: string | IMarkdownString | undefined =
    typeof item.documentation === "string" ? item.documentation : item.documentation && { value: item.documentation.value };
  return {
    label: item.label,
    kind: (kindName && enums.CompletionItemKind[kindName]) ?? enums.CompletionItemKind.Text,
    insertText: edit?.newText ?? item.insertText ?? item.label,
    ...(item.insertTextFormat === InsertTextFormat.Snippet ? { insertTextRules: enums.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
    range,
    ...(documentation ? { documentation } : {}),
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.sortText ? { sortText: item.sortText } : {}),
    ...(item.filterText ? { filterText: item.filterText } : {}),
    ...(item.tags ? { tags: item.tags } : {}),
    ...(item.command ? { command: { id: item.command.command, title: item.command.title } } : {}),
  };
}
