"use client";

import { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { parseAsciicast } from "../../recording/asciicast";
import { batchFrames, formatClock, framesDue, type ReplayFrame, type ReplayTimeline, replayTimeline } from "./replay-timeline";

const SPEEDS = [1, 2, 4] as const;
type Speed = (typeof SPEEDS)[number];

interface Props {
  /** Where the .cast file is (the recording route); fetched with the page's cookies. */
  src: string;
}

type Loaded = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; timeline: ReplayTimeline };

/**
 * Plays an asciicast v2 recording in xterm.js: play and pause, 1×/2×/4×, and
 * a position bar to seek. Pauses are capped (the recording's idle time
 * limit). A seek redraws the screen from the start up to that moment in a
 * few large writes, so it is quick even far into a long recording.
 */
export function RecordingPlayer({ src }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const terminal = useRef<XTerm | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>(1);
  const [position, setPosition] = useState(0);
  /** The playback clock and the next frame to write, outside React's state: the animation loop reads them every frame. */
  const clock = useRef({ position: 0, next: 0, generation: 0, seeking: false });
  const timeline = loaded.state === "ready" ? loaded.timeline : undefined;

  useEffect(() => {
    const controller = new AbortController();
    fetch(src, { signal: controller.signal, cache: "no-store" })
      .then(async (response) => {
        if (!response.ok) throw new Error(await refusal(response));
        setLoaded({ state: "ready", timeline: replayTimeline(parseAsciicast(await response.text())) });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: "failed", message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [src]);

  useEffect(() => {
    const element = container.current;
    if (!element || !timeline) return;
    const term = new XTerm({
      cols: timeline.header.width,
      rows: timeline.header.height,
      fontSize: 14,
      scrollback: 5000,
      disableStdin: true,
      cursorBlink: false,
      theme: { background: "#0b0e13", selectionBackground: "#3a5a9a" },
    });
    term.open(element);
    terminal.current = term;
    clock.current = { position: 0, next: 0, generation: 0, seeking: false };
    return () => {
      terminal.current = null;
      term.dispose();
    };
  }, [timeline]);

  const seek = useCallback(
    (to: number) => {
      const term = terminal.current;
      if (!term || !timeline) return;
      const state = clock.current;
      const generation = state.generation + 1;
      Object.assign(state, { generation, seeking: true, position: to });
      setPosition(to);
      // Once xterm.js has parsed what it was given, so nothing written before the seek lands after the reset.
      term.write("", () => {
        if (clock.current.generation !== generation) return;
        term.reset();
        term.resize(timeline.header.width, timeline.header.height);
        const due = framesDue(timeline.frames, to);
        writeFrames(term, batchFrames(timeline.frames.slice(0, due)));
        Object.assign(clock.current, { next: due, seeking: false });
      });
    },
    [timeline],
  );

  useEffect(() => {
    if (!playing || !timeline) return;
    let frame = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const state = clock.current;
      const term = terminal.current;
      if (term && !state.seeking) {
        state.position = Math.min(timeline.duration, state.position + ((now - last) / 1000) * speed);
        const due = framesDue(timeline.frames, state.position);
        writeFrames(term, timeline.frames.slice(state.next, due));
        state.next = due;
        setPosition(state.position);
        if (state.position >= timeline.duration) {
          setPlaying(false);
          return;
        }
      }
      last = now;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, timeline]);

  const toggle = () => {
    if (!timeline) return;
    if (!playing && clock.current.position >= timeline.duration) seek(0);
    setPlaying(!playing);
  };

  if (loaded.state === "failed") {
    return (
      <p className="recording-problem" role="alert">
        The recording could not be loaded: {loaded.message}
      </p>
    );
  }
  return (
    <section className="recording-player" aria-label="Recording player">
      <div className="recording-screen">
        <div ref={container} data-testid="recording-terminal" />
      </div>
      {timeline ? (
        <div className="recording-controls">
          <button type="button" onClick={toggle}>
            {playing ? "Pause" : "Play"}
          </button>
          <fieldset className="recording-speeds" aria-label="Speed">
            {SPEEDS.map((choice) => (
              <button
                key={choice}
                type="button"
                className={speed === choice ? "small" : "small secondary"}
                aria-pressed={speed === choice}
                onClick={() => setSpeed(choice)}
              >
                {choice}×
              </button>
            ))}
          </fieldset>
          <input
            type="range"
            aria-label="Position"
            min={0}
            max={timeline.duration}
            step={0.1}
            value={Math.min(position, timeline.duration)}
            onChange={(event) => seek(Number(event.target.value))}
          />
          <span className="recording-clock" data-testid="recording-clock">
            {formatClock(position)} / {formatClock(timeline.duration)}
          </span>
        </div>
      ) : (
        <p className="recording-loading">Loading the recording…</p>
      )}
    </section>
  );
}

/** Frames in order: output is queued in xterm.js; a resize waits until what came before it is parsed. */
function writeFrames(term: XTerm, frames: ReplayFrame[]): void {
  for (const frame of frames) {
    if (frame.kind === "output") term.write(frame.data);
    else term.write("", () => term.resize(frame.cols, frame.rows));
  }
}

async function refusal(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `the server answered ${response.status}.`;
}
