import { describe, expect, it } from "vitest";
import { CompletionItemKind, InsertTextFormat } from "vscode-languageserver-types";
import { type MonacoEnums, toMarker, toMonacoRange, toServicePosition, toSuggestion } from "./dockerfile-monaco-convert";
import { dockerfileCompletions, dockerfileProblems } from "./dockerfile-service";

// Monaco's own enum values (monaco.d.ts of monaco-editor 0.57); Monaco itself needs a browser to load.
const enums = {
  CompletionItemKind: { Keyword: 17, Property: 9, Text: 18, Folder: 23 },
  CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
  MarkerSeverity: { Hint: 1, Info: 2, Warning: 4, Error: 8 },
} as unknown as MonacoEnums;

describe("positions and ranges", () => {
  it("count from 1 in Monaco and from 0 in the service", () => {
    expect(toServicePosition({ lineNumber: 1, column: 1 })).toEqual({ line: 0, character: 0 });
    expect(toMonacoRange({ start: { line: 0, character: 0 }, end: { line: 2, character: 4 } })).toEqual({
      startLineNumber: 1,
      startColumn: 1,
      endLineNumber: 3,
      endColumn: 5,
    });
  });
});

describe("toMarker", () => {
  it("marks a misspelt FROM as an error over the word, in the beginner's words", () => {
    const [problem] = dockerfileProblems("FORM debian\n");
    expect(problem && toMarker(problem, enums)).toEqual({
      startLineNumber: 1,
      startColumn: 1,
      endLineNumber: 1,
      endColumn: 5,
      severity: 8,
      message: "`FORM` is not a Dockerfile instruction. Did you mean `FROM`?",
      source: "Dockerfile",
    });
  });

  it("keeps lowercase instructions an information, not a warning", () => {
    const [problem] = dockerfileProblems("from debian\n");
    expect(problem && toMarker(problem, enums).severity).toBe(2);
  });
});

describe("toSuggestion", () => {
  const wordRange = { startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 3 };

  it("turns the service's snippet into a Monaco snippet over the typed prefix, with its documentation", async () => {
    const [item] = await dockerfileCompletions("FROM debian\nWO", { line: 1, character: 2 });
    expect(item?.insertTextFormat).toBe(InsertTextFormat.Snippet);
    const suggestion = item && toSuggestion(item, wordRange, enums);
    expect(suggestion).toMatchObject({
      label: "WORKDIR /the/workdir/path",
      kind: 17,
      insertText: `WORKDIR \${1:/the/workdir/path}`,
      insertTextRules: 4,
      range: { startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 3 },
    });
    expect(JSON.stringify(suggestion?.documentation)).toContain("working directory");
  });

  it("falls back to the word's range and plain text for an item without an edit", () => {
    const suggestion = toSuggestion({ label: "ARG", kind: CompletionItemKind.Keyword }, wordRange, enums);
    expect(suggestion).toEqual({ label: "ARG", kind: 17, insertText: "ARG", range: wordRange });
  });
});
