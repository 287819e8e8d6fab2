"use client";

import type { AttendeeClientEvents, AttendeeServerEvents, AttendeeState } from "@drydock/protocol/workshop";
import { PRESENTER_TARGET } from "@drydock/protocol/workshop";
import Link from "next/link";
import { useEffect, useState } from "react";
import { FormMessages } from "../FormMessages";
import { askRoom, useRoomSocket } from "./room-socket";
import { dueWarning, timeLeftText } from "./time-left";
import { useNow } from "./use-now";
import { WatchTerminal } from "./WatchTerminal";

export interface SeatRef {
  workshopId: string;
  title: string;
}

interface Props {
  seat: SeatRef;
  /** The lesson step the page shows, reported so the instructors' grid knows where the attendee is. */
  shownStep: { lessonId: string; stepId: string } | null;
  /** The instructor reset this seat's sandbox: the page attaches to the new one. */
  onReset: () => void;
}

/** The room around an attendee's lesson: time, the instructors' messages, a raised hand, take-overs, present mode, pause. */
export function WorkshopBar({ seat, shownStep, onReset }: Props) {
  const { socket, problem } = useRoomSocket<AttendeeServerEvents, AttendeeClientEvents>(seat.workshopId);
  const [state, setState] = useState<AttendeeState | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [watching, setWatching] = useState(false);
  const [handError, setHandError] = useState<string | null>(null);
  const now = useNow(15_000);

  useEffect(() => {
    if (!socket) return;
    socket.on("attendee:state", setState);
    socket.on("attendee:reset", onReset);
    return () => {
      socket.off("attendee:state", setState);
      socket.off("attendee:reset", onReset);
    };
  }, [socket, onReset]);

  useEffect(() => {
    if (!socket || !shownStep) return;
    const report = () => socket.emit("step:viewed", shownStep);
    if (socket.connected) report();
    socket.on("connect", report);
    return () => {
      socket.off("connect", report);
    };
  }, [socket, shownStep]);

  useEffect(() => {
    if (!state?.presenting) setWatching(false);
  }, [state?.presenting]);

  async function toggleHand() {
    setHandError(null);
    try {
      await askRoom(socket, state?.handRaised ? "hand:lower" : "hand:raise");
    } catch (error) {
      setHandError(error instanceof Error ? error.message : String(error));
    }
  }

  const endsAt = state ? Date.parse(state.endsAt) : null;
  const warning = endsAt && state?.state !== "ended" && !state?.paused ? dueWarning(endsAt, now) : null;
  const banner = state?.banner && dismissed !== state.banner.at ? state.banner : null;

  return (
    <div className="workshop-bar" data-testid="workshop-bar">
      <div className="workshop-bar-row">
        <Link href="/workshop" className="workshop-title">
          {seat.title}
        </Link>
        {state && state.state !== "ended" && endsAt && !state.paused && (
          <span className={warning ? "time-left warn" : "time-left"}>{timeLeftText(endsAt, now)}</span>
        )}
        {state?.recorded && <span className="badge">Terminal recorded</span>}
        <span className="spacer" />
        {state?.presenting && (
          <button type="button" onClick={() => setWatching((shown) => !shown)}>
            {watching ? "Hide the instructor's terminal" : "Watch the instructor's terminal"}
          </button>
        )}
        {state && state.state !== "ended" && (
          <button type="button" className={state.handRaised ? "hand raised" : "hand"} aria-pressed={state.handRaised} onClick={toggleHand}>
            {state.handRaised ? "Lower hand" : "Raise hand"}
          </button>
        )}
      </div>
      {problem && <p className="workshop-note">{problem}</p>}
      <FormMessages error={handError} />
      {warning && (
        <p className="workshop-note warn" role="status">
          {warning} minutes left in the workshop. Your files and progress are saved.
        </p>
      )}
      {banner && (
        <div className="workshop-banner" role="status" data-testid="workshop-banner">
          <strong>{banner.personal ? `${banner.from}, to you:` : `${banner.from}:`}</strong> <span>{banner.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss the message" onClick={() => setDismissed(banner.at)}>
            ×
          </button>
        </div>
      )}
      {state?.typingWith && (
        <div className="workshop-banner takeover" role="alert" data-testid="takeover-banner">
          {state.typingWith} (instructor) is typing in your terminal with you.
        </div>
      )}
      {state?.paused && (
        <div className="workshop-paused" role="alert" data-testid="paused-notice">
          The workshop is paused by your instructor. Your sandbox, files and progress are kept; it resumes where you left it.
        </div>
      )}
      {state?.state === "ended" && (
        <div className="workshop-paused" role="alert">
          The workshop has ended. Your progress is kept.
        </div>
      )}
      {watching && state?.presenting && (
        <div className="presenter-view">
          <WatchTerminal workshopId={seat.workshopId} target={PRESENTER_TARGET} mode="read" label="The instructor's terminal" />
        </div>
      )}
    </div>
  );
}
