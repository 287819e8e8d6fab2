"use client";

import { type KeyboardEvent, type PointerEvent, type ReactNode, useEffect, useRef, useState } from "react";

const STORAGE_KEY = "drydock.split";
const MIN = 25;
const MAX = 70;

/** Two panes side by side; the divider moves with the mouse or the arrow keys, and the width is remembered. */
export function SplitPane({ left, right }: { left: ReactNode; right: ReactNode }) {
  const [percent, setPercent] = useState(40);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const saved = Number(localStorage.getItem(STORAGE_KEY));
    if (saved >= MIN && saved <= MAX) setPercent(saved);
  }, []);

  function set(next: number) {
    const clamped = Math.round(Math.max(MIN, Math.min(MAX, next)));
    setPercent(clamped);
    localStorage.setItem(STORAGE_KEY, String(clamped));
  }

  function drag(event: PointerEvent<HTMLDivElement>) {
    const bounds = box.current?.getBoundingClientRect();
    if (!bounds || !(event.buttons & 1)) return;
    set(((event.clientX - bounds.left) / bounds.width) * 100);
  }

  function key(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowLeft: -2, ArrowRight: 2, Home: MIN - percent, End: MAX - percent };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    set(percent + move);
  }

  return (
    <div className="split" ref={box} style={{ gridTemplateColumns: `${percent}% 6px minmax(0, 1fr)` }}>
      <div className="split-pane">{left}</div>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable separator is the ARIA pattern for a movable splitter; <hr> cannot take focus. */}
      <div
        className="split-divider"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the lesson and the terminal"
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={percent}
        tabIndex={0}
        onPointerDown={(event) => event.currentTarget.setPointerCapture(event.pointerId)}
        onPointerMove={drag}
        onKeyDown={key}
      />
      <div className="split-pane">{right}</div>
    </div>
  );
}
