/**
 * What the browser receives of a lesson: plain data, no validation library.
 * Prose arrives as a Markdown syntax tree parsed on the server, so the page
 * only ever builds React elements from it (never HTML from a lesson).
 */
export interface MdNode {
  type: string;
  value?: string;
  url?: string;
  depth?: number;
  ordered?: boolean;
  start?: number | null;
  lang?: string | null;
  children?: MdNode[];
}

export type PartView =
  | { kind: "prose"; tree: MdNode }
  | { kind: "run"; command: string; interrupt: boolean }
  | { kind: "copy"; text: string; lang: string | null }
  /** `path` is relative to the workspace (the editor's root). */
  | { kind: "file"; path: string; append: boolean; content: string; lang: string | null }
  | { kind: "hint"; tree: MdNode }
  | { kind: "solution"; parts: PartView[] };

export interface PageView {
  title: string;
  parts: PartView[];
}

export interface StepView extends PageView {
  id: string;
  check: { script: string; timeoutMs: number };
  /** Next (and the steps after) open only once this step's check passed. */
  requirePass: boolean;
}

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  level: string;
  minutes: number;
  tags: string[];
  stepCount: number;
}

export interface LessonView extends LessonSummary {
  /** The sandbox folder the editor shows: file paths in the page are relative to it. */
  workspace: string;
  intro: PageView;
  steps: StepView[];
  finish: PageView | null;
}

/** A live session the page can attach to. */
export interface SessionRef {
  id: string;
  expiresAt: string | null;
}
