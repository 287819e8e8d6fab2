"use client";

import type { FileEntry } from "@drydock/protocol";
import { useState } from "react";

interface Props {
  entries: FileEntry[];
  active: string | null;
  dirty: Set<string>;
  onOpen: (path: string) => void;
}

/** The workspace's files, folders first at each level, folders folding. */
export function FileTree({ entries, active, dirty, onOpen }: Props) {
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const visible = sortTree(entries).filter((entry) => !ancestors(entry.path).some((folder) => folded.has(folder)));

  function toggle(path: string) {
    setFolded((previous) => {
      const next = new Set(previous);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  }

  if (entries.length === 0) return <p className="pane-message small">No files yet.</p>;
  return (
    <nav aria-label="Files">
      <ul className="file-tree">
        {visible.map((entry) => {
          const depth = entry.path.split("/").length - 1;
          const name = entry.path.split("/").pop() ?? entry.path;
          const isFolder = entry.type === "dir";
          return (
            <li key={entry.path} style={{ paddingLeft: `${depth * 0.9 + 0.4}rem` }}>
              <button
                type="button"
                className={entry.path === active ? "tree-item active" : "tree-item"}
                onClick={() => (isFolder ? toggle(entry.path) : onOpen(entry.path))}
                aria-expanded={isFolder ? !folded.has(entry.path) : undefined}
                aria-current={entry.path === active ? "true" : undefined}
                title={entry.path}
              >
                <span aria-hidden="true" className="tree-icon">
                  {isFolder ? (folded.has(entry.path) ? "▸" : "▾") : "·"}
                </span>
                {name}
                {dirty.has(entry.path) && (
                  <span className="unsaved" title="Unsaved changes">
                    <span aria-hidden="true">●</span>
                    <span className="sr-only">(unsaved)</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_part, index) => parts.slice(0, index + 1).join("/"));
}

/** Depth-first, folders before files within a folder, each by name. */
function sortTree(entries: FileEntry[]): FileEntry[] {
  const key = (entry: FileEntry) =>
    entry.path
      .split("/")
      .map((part, index, parts) => `${index < parts.length - 1 || entry.type === "dir" ? "0" : "1"}${part}`)
      .join("\u0000");
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
