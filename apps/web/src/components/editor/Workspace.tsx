"use client";

import type { FileEntry } from "@drydock/protocol";
import type { editor } from "monaco-editor";
import { type FormEvent, useCallback, useEffect, useReducer, useRef, useState } from "react";
import { ask, type SandboxChannel } from "../lesson/sandbox-channel";
import { currentTheme } from "../ThemeToggle";
import { DockerfileProblems } from "./DockerfileProblems";
import { languageForPath } from "./dockerfile-files";
import { FileTree } from "./FileTree";
import { loadMonaco, type Monaco } from "./monaco-loader";

/** A lesson's file block asks for a file to be opened with its content put in (and saved). */
export interface EditorRequest {
  path: string;
  content: string;
  append: boolean;
  nonce: number;
}

interface OpenFile {
  path: string;
  model: editor.ITextModel;
  /** The etag of the version on disk this buffer started from; null for a file not on disk yet. */
  etag: string | null;
  savedVersion: number;
  /** The file changed on disk while this buffer had unsaved edits (or a save was refused for that reason). */
  conflict: string | null;
  timer?: ReturnType<typeof setTimeout>;
}

const AUTOSAVE_MS = 1000;

const isDirty = (file: OpenFile) => file.model.getAlternativeVersionId() !== file.savedVersion;

/**
 * The workspace editor: a file tree of the workspace (~/lab by default), Monaco, saves with Ctrl/Cmd+S
 * and autosave, unsaved markers, changes made from the terminal picked up,
 * and a conflict instead of a silent overwrite when both sides changed a file.
 */
export function Workspace({
  channel,
  request,
  root = "/root/lab",
}: {
  channel: SandboxChannel;
  request: EditorRequest | null;
  /** The workspace's folder in the sandbox (the lesson's; /root/lab by default). */
  root?: string;
}) {
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [entries, setEntries] = useState<FileEntry[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [, refresh] = useReducer((count: number) => count + 1, 0);
  const files = useRef(new Map<string, OpenFile>());
  const activeRef = useRef<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<editor.IStandaloneCodeEditor | null>(null);

  const list = useCallback(async () => {
    const reply = await ask(channel, "files:list", {});
    if (reply.ok) setEntries(reply.value.entries);
  }, [channel]);

  const save = useCallback(
    async (path: string, force = false) => {
      const file = files.current.get(path);
      if (!file || (file.conflict && !force)) return;
      clearTimeout(file.timer);
      const version = file.model.getAlternativeVersionId();
      const reply = await ask(channel, "files:write", {
        path,
        content: file.model.getValue(),
        ...(file.etag && !force ? { ifMatch: file.etag } : {}),
      });
      if (!reply.ok) {
        setNotice(`${path} was not saved: ${reply.error}`);
      } else if (reply.value.status === "conflict") {
        file.conflict = reply.value.message;
      } else {
        file.etag = reply.value.file.etag;
        file.savedVersion = version;
        file.conflict = null;
        setNotice(null);
      }
      refresh();
    },
    [channel],
  );

  const open = useCallback(
    async (path: string, create = false): Promise<OpenFile | undefined> => {
      const loaded = await loadMonaco();
      let file = files.current.get(path);
      if (!file) {
        const reply = await ask(channel, "files:read", { path });
        if (!reply.ok && !create) return void setNotice(`${path} cannot be opened: ${reply.error}`);
        if (reply.ok && "binary" in reply.value)
          return void setNotice(`${path} is a binary file (${reply.value.size} bytes): it cannot be edited here.`);
        const content = reply.ok && "content" in reply.value ? reply.value : undefined;
        const model = loaded.editor.createModel(content?.content ?? "", languageForPath(path), loaded.Uri.file(`${root}/${path}`));
        const opened: OpenFile = {
          path,
          model,
          etag: content?.etag ?? null,
          savedVersion: model.getAlternativeVersionId(),
          conflict: null,
        };
        model.onDidChangeContent(() => {
          clearTimeout(opened.timer);
          opened.timer = setTimeout(() => void save(path), AUTOSAVE_MS);
          refresh();
        });
        files.current.set(path, opened);
        file = opened;
      }
      activeRef.current = path;
      setActive(path);
      view.current?.setModel(file.model);
      return file;
    },
    [channel, save, root],
  );

  /** A change on disk: a clean buffer follows it; an edited one is marked as conflicting. */
  const changedOnDisk = useCallback(
    async (path: string, deleted: boolean) => {
      const file = files.current.get(path);
      if (!file) return;
      if (deleted) {
        file.conflict = isDirty(file) ? "The file was deleted in the sandbox." : null;
        if (!isDirty(file)) file.etag = null;
        return refresh();
      }
      const reply = await ask(channel, "files:read", { path });
      if (!reply.ok || !("content" in reply.value) || reply.value.etag === file.etag) return;
      if (isDirty(file)) {
        file.conflict = "The file changed in the sandbox while you were editing it.";
      } else {
        file.model.setValue(reply.value.content);
        clearTimeout(file.timer);
        file.etag = reply.value.etag;
        file.savedVersion = file.model.getAlternativeVersionId();
      }
      refresh();
    },
    [channel],
  );

  useEffect(() => {
    let cancelled = false;
    void loadMonaco().then((loaded) => {
      if (!cancelled) setMonaco(loaded);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!monaco || !host.current) return;
    const created = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      fontSize: 14,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      theme: currentTheme() === "dark" ? "vs-dark" : "vs",
      tabSize: 2,
    });
    view.current = created;
    // A file may have been opened while the editor was still loading.
    created.setModel((activeRef.current && files.current.get(activeRef.current)?.model) || null);
    created.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
      if (activeRef.current) void save(activeRef.current);
    });
    const theme = (event: Event) => monaco.editor.setTheme((event as CustomEvent).detail === "dark" ? "vs-dark" : "vs");
    window.addEventListener("drydock:theme", theme);
    const opened = files.current;
    return () => {
      window.removeEventListener("drydock:theme", theme);
      created.dispose();
      for (const file of opened.values()) {
        clearTimeout(file.timer);
        file.model.dispose();
      }
      opened.clear();
    };
  }, [monaco, save]);

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const watch = () => void ask(channel, "files:watch", {}).then(() => list());
    const onChanged = ({ changes }: { changes: { path: string; kind: string }[] }) => {
      clearTimeout(pending);
      pending = setTimeout(() => void list(), 150);
      for (const change of changes) void changedOnDisk(change.path, change.kind === "deleted");
    };
    channel.on("connect", watch);
    channel.on("files:changed", onChanged);
    if (channel.connected) watch();
    return () => {
      clearTimeout(pending);
      channel.off("connect", watch);
      channel.off("files:changed", onChanged);
      void ask(channel, "files:unwatch", {});
    };
  }, [channel, list, changedOnDisk]);

  // A file block: open (or create) the file, put the lesson's content in, save.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per request (its nonce) when the editor is ready.
  useEffect(() => {
    if (!request || !monaco) return;
    void (async () => {
      const file = await open(request.path, true);
      if (!file) return;
      const current = file.model.getValue();
      const joined = current && !current.endsWith("\n") ? `${current}\n` : current;
      file.model.setValue(request.append ? joined + request.content : request.content);
      await save(request.path);
      view.current?.focus();
    })();
  }, [request?.nonce, monaco]);

  async function createFile(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = new FormData(event.currentTarget).get("path");
    const path = typeof input === "string" ? input.trim().replace(/^\/+/, "") : "";
    if (!path) return;
    setCreating(false);
    const reply = await ask(channel, "files:create", { path, kind: "file" });
    if (!reply.ok) return setNotice(`${path} was not created: ${reply.error}`);
    await list();
    await open(path);
    view.current?.focus();
  }

  const current = active ? files.current.get(active) : undefined;
  const dirty = new Set([...files.current.values()].filter(isDirty).map((file) => file.path));

  return (
    <div className="workspace">
      <aside className="file-pane">
        <div className="file-pane-header">
          <span>{root.replace(/^\/root(?=\/|$)/, "~")}</span>
          <button type="button" className="small secondary" onClick={() => setCreating(true)} aria-label="New file">
            + File
          </button>
        </div>
        {creating && (
          <form onSubmit={createFile} className="new-file">
            {/* biome-ignore lint/a11y/noAutofocus: the field appears because the learner asked for it. */}
            <input name="path" aria-label="New file name" placeholder="name.ext" autoFocus onBlur={() => setCreating(false)} />
          </form>
        )}
        <FileTree entries={entries} active={active} dirty={dirty} onOpen={(path) => void open(path)} />
      </aside>
      <section className="editor-pane" aria-label="Editor">
        <div className="editor-bar">
          <span className="file-name" data-testid="editor-file">
            {current ? current.path : "No file open"}
            {current && isDirty(current) && (
              <span className="unsaved" title="Unsaved changes">
                <span aria-hidden="true">●</span>
                <span className="sr-only">(unsaved)</span>
              </span>
            )}
          </span>
          <span className="spacer" />
          {current && (
            <button type="button" className="small secondary" onClick={() => void save(current.path)} aria-keyshortcuts="Control+S Meta+S">
              Save
            </button>
          )}
        </div>
        {current?.conflict && (
          <div className="conflict" role="alert">
            <span>{current.conflict}</span>
            <button type="button" className="small danger" onClick={() => void save(current.path, true)}>
              Keep mine
            </button>
            <button
              type="button"
              className="small secondary"
              onClick={() => {
                current.savedVersion = current.model.getAlternativeVersionId();
                current.conflict = null;
                current.etag = null;
                void changedOnDisk(current.path, false);
              }}
            >
              Use the sandbox's
            </button>
          </div>
        )}
        {notice && (
          <p className="notice" role="alert">
            {notice}
          </p>
        )}
        {!monaco && <p className="pane-message">Loading the editor…</p>}
        <div className="monaco-host" ref={host} data-testid="monaco" hidden={!current} />
        {monaco && current && (
          <DockerfileProblems
            monaco={monaco}
            model={current.model}
            onReveal={(lineNumber, column) => {
              view.current?.setPosition({ lineNumber, column });
              view.current?.revealLineInCenterIfOutsideViewport(lineNumber);
              view.current?.focus();
            }}
          />
        )}
        {monaco && !current && <p className="pane-message">Open a file from the tree, or create one with + File.</p>}
      </section>
    </div>
  );
}
