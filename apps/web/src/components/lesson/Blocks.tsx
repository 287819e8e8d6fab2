"use client";

import { useState } from "react";
import type { PartView } from "@/lesson-view/types";
import { Markdown, type PortHref } from "./Markdown";

/** What the blocks of a lesson can do on the page; undefined while there is no sandbox. */
export interface BlockActions {
  run?: (command: string, interrupt: boolean) => void;
  writeFile?: (path: string, content: string, append: boolean) => void;
  portHref: PortHref;
}

export function Parts({ parts, actions }: { parts: PartView[]; actions: BlockActions }) {
  return (
    <>
      {parts.map((part, index) => (
        // Parts never move within a page: their index is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <PartBlock key={index} part={part} actions={actions} />
      ))}
    </>
  );
}

function PartBlock({ part, actions }: { part: PartView; actions: BlockActions }) {
  switch (part.kind) {
    case "prose":
      return <Markdown tree={part.tree} portHref={actions.portHref} />;
    case "run":
      return <RunBlock command={part.command} interrupt={part.interrupt} actions={actions} />;
    case "copy":
      return <CopyBlock text={part.text} />;
    case "file":
      return <FileBlock path={part.path} content={part.content} append={part.append} actions={actions} />;
    case "hint":
      return (
        <details className="hint">
          <summary>Hint</summary>
          <Markdown tree={part.tree} portHref={actions.portHref} />
        </details>
      );
    case "solution":
      return (
        <details className="hint">
          <summary>Solution</summary>
          <Parts parts={part.parts} actions={actions} />
        </details>
      );
  }
}

function RunBlock({ command, interrupt, actions }: { command: string; interrupt: boolean; actions: BlockActions }) {
  const run = actions.run;
  return (
    <button
      type="button"
      className="block run-block"
      disabled={!run}
      onClick={() => run?.(command, interrupt)}
      aria-label={`Run ${command}${interrupt ? " (after Ctrl-C)" : ""}`}
      title={run ? `Type this into the terminal${interrupt ? " after pressing Ctrl-C" : ""} and press Enter` : "Start the sandbox first"}
    >
      <span className="block-icon" aria-hidden="true">
        ▶
      </span>
      <code className="block-code">{command}</code>
      {interrupt && <span className="block-note">Ctrl-C first</span>}
    </button>
  );
}

function CopyBlock({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="block copy-block">
      <code className="block-code">{text}</code>
      <button type="button" className="secondary small" onClick={copy} aria-label={`Copy ${text}`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

function FileBlock({ path, content, append, actions }: { path: string; content: string; append: boolean; actions: BlockActions }) {
  const write = actions.writeFile;
  return (
    <div className="block file-block">
      <div className="file-block-header">
        <span className="file-name">{path}</span>
        <button
          type="button"
          className="small"
          disabled={!write}
          onClick={() => write?.(path, content, append)}
          aria-label={`${append ? "Append to" : "Write"} ${path} in the editor`}
          title={
            write
              ? `Open ${path} in the editor with this content ${append ? "added at the end" : ""} and save it`
              : "Start the sandbox first"
          }
        >
          {append ? "Append in editor" : "Write in editor"}
        </button>
      </div>
      <code className="block-code">{content}</code>
    </div>
  );
}
