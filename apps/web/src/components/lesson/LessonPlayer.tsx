"use client";

import type { CheckOutcome } from "@drydock/protocol";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { LessonView, SessionRef, StepView } from "@/lesson-view/types";
import type { EditorRequest } from "../editor/Workspace";
import { markStartStep } from "../start-marks";
import type { TerminalApi } from "../Terminal";
import { ThemeToggle } from "../ThemeToggle";
import { dropTerminalConnection, openTerminalConnection } from "../terminal-connection";
import { type SeatRef, WorkshopBar } from "../workshop/WorkshopBar";
import type { BlockActions } from "./Blocks";
import { SandboxLost } from "./SandboxLost";
import { SplitPane } from "./SplitPane";
import { StatusBar } from "./StatusBar";
import { StepsPanel } from "./StepsPanel";
import { ask, useSandboxChannel } from "./sandbox-channel";
import { endLessonSession, startLessonSession } from "./start-session";
import { useStepSetup } from "./use-step-setup";

// xterm.js and Monaco touch the DOM at import time and are large: both load in the browser, not with the page.
// The terminal loads once the page is idle, so that Start does not wait for it.
const loadTerminal = () =>
  import("../Terminal").then((module) => {
    markStartStep("terminal-code-loaded");
    return module.Terminal;
  });
const Terminal = dynamic(loadTerminal, { ssr: false });
const Workspace = dynamic(() => import("../editor/Workspace").then((module) => module.Workspace), {
  ssr: false,
  loading: () => <p className="pane-message">Loading the editor…</p>,
});
// Loaded only once its tab is first opened: it never weighs on the page's first paint.
const ImagesPanel = dynamic(() => import("../images/ImagesPanel").then((module) => module.ImagesPanel), {
  ssr: false,
  loading: () => <p className="pane-message">Loading the Images panel…</p>,
});

type Phase =
  | { kind: "idle" }
  | { kind: "starting"; percent: number; message: string }
  | { kind: "ready"; session: SessionRef }
  | { kind: "failed"; reason: string }
  | { kind: "ended"; reason: string; lost: boolean };

const TABS = ["terminal", "editor", "images"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = { terminal: "Terminal", editor: "Editor", images: "Images" };

interface PlayerProps {
  lesson: LessonView;
  passed: string[];
  session: SessionRef | null;
  /** The workshop this browser's seat is in: the room's bar shows, and the sandbox starts by itself. */
  seat?: SeatRef | null;
}

export function LessonPlayer({ lesson, passed, session, seat = null }: PlayerProps) {
  const [phase, setPhase] = useState<Phase>(session ? { kind: "ready", session } : { kind: "idle" });
  const sessionId = phase.kind === "ready" ? phase.session.id : null;
  const { channel, status, ports } = useSandboxChannel(sessionId);
  const [done, setDone] = useState(() => new Set(passed));
  const [tab, setTab] = useState<Tab>("terminal");
  const [editorWanted, setEditorWanted] = useState(false);
  const [imagesWanted, setImagesWanted] = useState(false);
  const [editorRequest, setEditorRequest] = useState<EditorRequest | null>(null);
  const terminal = useRef<TerminalApi | null>(null);
  const [shownStep, setShownStep] = useState<{ lessonId: string; stepId: string } | null>(null);
  const onStepShown = useCallback((stepId: string | null) => setShownStep(stepId ? { lessonId: lesson.id, stepId } : null), [lesson.id]);
  const setupFailures = useStepSetup(phase.kind === "ready" ? channel : null, shownStep?.stepId ?? null);
  // A sandbox removed at its time or idle limit was announced (expiring) first; one that goes without warning was lost.
  const warned = useRef(false);

  useEffect(() => whenIdle(() => void loadTerminal()), []);

  useEffect(() => {
    if (status?.state === "gone" || status?.state === "failed") {
      setPhase({ kind: "ended", reason: status.message, lost: !warned.current });
    }
    warned.current = status?.state === "expiring";
  }, [status]);

  const start = useCallback(async () => {
    setPhase({ kind: "starting", percent: 0, message: "Asking for a sandbox" });
    try {
      const started = await startLessonSession(
        lesson.id,
        (update) => {
          if (update.state === "starting") setPhase({ kind: "starting", percent: update.percent, message: update.message });
        },
        openTerminalConnection,
      );
      setPhase({ kind: "ready", session: started });
    } catch (error) {
      dropTerminalConnection();
      setPhase({ kind: "failed", reason: error instanceof Error ? error.message : String(error) });
    }
  }, [lesson.id]);

  // A workshop seat needs no Start: the room is waiting for everyone's prompt.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on arrival.
  useEffect(() => {
    if (seat && !session) void start();
  }, []);

  // The instructor reset the seat: its new sandbox is ready; the page attaches to it as on a reload.
  const onSeatReset = useCallback(() => window.location.reload(), []);

  async function reset() {
    if (phase.kind === "ready") await endLessonSession(phase.session.id);
    setEditorRequest(null);
    await start();
  }

  const showTab = useCallback((next: Tab) => {
    setTab(next);
    if (next === "editor") setEditorWanted(true);
    if (next === "images") setImagesWanted(true);
  }, []);

  const portHref = useCallback(
    (port: number, path: string) =>
      sessionId ? `/api/sessions/${encodeURIComponent(sessionId)}/ports/${port}/open?path=${encodeURIComponent(path)}` : undefined,
    [sessionId],
  );

  const ready = phase.kind === "ready";
  const actions: BlockActions = useMemo(
    () => ({
      portHref,
      run: ready
        ? (command: string, interrupt: boolean) => {
            showTab("terminal");
            const api = terminal.current;
            if (!api) return;
            if (interrupt) api.input("\x03");
            // Each line is typed and entered, as a learner would.
            api.input(command.split("\n").join("\r"));
            api.input("\r");
            api.focus();
          }
        : undefined,
      writeFile: ready
        ? (path: string, content: string, append: boolean) => {
            showTab("editor");
            setEditorRequest({ path, content, append, nonce: Date.now() });
          }
        : undefined,
    }),
    [ready, portHref, showTab],
  );

  const check = useMemo(() => {
    if (!channel || !ready) return undefined;
    return async (step: StepView): Promise<CheckOutcome> => {
      const reply = await ask(channel, "check:run", step.check, step.check.timeoutMs + 15_000);
      if (!reply.ok) throw new Error(`${reply.error}${reply.hint ? ` ${reply.hint}` : ""}`);
      if (reply.value.passed) setDone((previous) => new Set(previous).add(step.id));
      return reply.value;
    };
  }, [channel, ready]);

  const [label, tone] = describe(phase, status?.state);

  return (
    <div className="player">
      <header className="player-header">
        <Link href="/" className="brand">
          Drydock
        </Link>
        <span className="crumb" aria-hidden="true">
          /
        </span>
        <h1>{lesson.title}</h1>
        <span className="spacer" />
        <span className="lesson-meta">
          {done.size} of {lesson.steps.length} steps done
        </span>
        <ThemeToggle />
      </header>
      {seat && <WorkshopBar seat={seat} shownStep={shownStep} onReset={onSeatReset} />}
      <SplitPane
        left={
          <StepsPanel lesson={lesson} done={done} actions={actions} check={check} onStepShown={onStepShown} setupFailures={setupFailures} />
        }
        right={
          <div className="workbench">
            <div className="tabs" role="tablist" aria-label="Tools">
              {TABS.map((name, index) => (
                <button
                  key={name}
                  type="button"
                  role="tab"
                  id={`tab-${name}`}
                  aria-controls={`panel-${name}`}
                  aria-selected={tab === name}
                  tabIndex={tab === name ? 0 : -1}
                  className="tab"
                  onClick={() => showTab(name)}
                  onKeyDown={(event) => {
                    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
                    if (!step) return;
                    const next = TABS[(index + step + TABS.length) % TABS.length] ?? name;
                    showTab(next);
                    document.getElementById(`tab-${next}`)?.focus();
                  }}
                >
                  {TAB_LABEL[name]}
                </button>
              ))}
            </div>
            {(phase.kind === "ready" || phase.kind === "starting") && (
              // While the sandbox starts, the terminal is drawn already, out of sight under the progress bar.
              <div
                role="tabpanel"
                id="panel-terminal"
                aria-labelledby="tab-terminal"
                className={phase.kind === "starting" ? "tab-panel under-start" : "tab-panel"}
                hidden={tab !== "terminal"}
              >
                <Terminal
                  sessionId={phase.kind === "ready" ? phase.session.id : null}
                  onReady={(api) => {
                    terminal.current = api;
                  }}
                />
              </div>
            )}
            {phase.kind === "ready" ? (
              <div role="tabpanel" id="panel-editor" aria-labelledby="tab-editor" className="tab-panel" hidden={tab !== "editor"}>
                {(editorWanted || editorRequest) && channel && (
                  <Workspace channel={channel} request={editorRequest} root={lesson.workspace} />
                )}
              </div>
            ) : null}
            {phase.kind === "ready" ? (
              <div role="tabpanel" id="panel-images" aria-labelledby="tab-images" className="tab-panel" hidden={tab !== "images"}>
                {imagesWanted && channel && <ImagesPanel channel={channel} />}
              </div>
            ) : phase.kind === "ended" ? (
              <SandboxLost lost={phase.lost} reason={phase.reason} onRestart={reset} />
            ) : (
              <StartPanel phase={phase} onStart={start} />
            )}
          </div>
        }
      />
      <StatusBar
        label={label}
        tone={tone}
        status={status}
        expiresAt={phase.kind === "ready" ? phase.session.expiresAt : null}
        ports={ready ? ports : []}
        portHref={portHref}
        onReset={ready ? reset : undefined}
      />
    </div>
  );
}

/** Runs `task` once the browser has nothing better to do (soon, where it cannot tell); returns the cancel. */
function whenIdle(task: () => void): () => void {
  if (typeof requestIdleCallback === "function") {
    const handle = requestIdleCallback(task, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, 200);
  return () => clearTimeout(timer);
}

function describe(phase: Phase, state: string | undefined): [string, "idle" | "busy" | "ok" | "warn" | "bad"] {
  switch (phase.kind) {
    case "idle":
      return ["No sandbox yet", "idle"];
    case "starting":
      return ["Starting…", "busy"];
    case "failed":
      return ["Failed to start", "bad"];
    case "ended":
      return [phase.lost ? "Sandbox lost" : "Sandbox ended", "bad"];
    case "ready":
      // The status may say gone a moment before the phase follows: never call a gone sandbox ready.
      if (state === "gone" || state === "failed") return ["Sandbox lost", "bad"];
      if (state === "paused") return ["Paused by the instructor", "warn"];
      return state === "expiring" ? ["Ending soon", "warn"] : ["Sandbox ready", "ok"];
  }
}

function StartPanel({ phase, onStart }: { phase: Exclude<Phase, { kind: "ready" | "ended" }>; onStart: () => void }) {
  return (
    <div className="start-panel">
      {phase.kind === "starting" ? (
        <>
          <p id="start-progress-label">{phase.message}…</p>
          <progress max={100} value={phase.percent} aria-labelledby="start-progress-label" />
        </>
      ) : (
        <>
          {phase.kind === "idle" && <p>Your own Docker engine, in a sandbox, for this lesson.</p>}
          {phase.kind === "failed" && (
            <p className="error" role="alert">
              The sandbox could not start: {phase.reason}
            </p>
          )}
          <button type="button" className="large" onClick={onStart}>
            {phase.kind === "failed" ? "Try again" : "Start"}
          </button>
        </>
      )}
    </div>
  );
}
