"use client";

import type { SeatMeter, WorkshopSummary } from "@drydock/protocol/workshop";
import { useState } from "react";
import type { Socket } from "socket.io-client";
import { FormMessages } from "../FormMessages";
import { timeLeftText } from "./time-left";
import { useRoomAction } from "./use-action";
import { useNow } from "./use-now";

interface Props {
  workshop: WorkshopSummary;
  meter: SeatMeter;
  socket: Socket | null;
  attendees: number;
}

/** The room as a whole: its state and time, seats ahead of time, a message to everyone, pause, present, end, the report. */
export function RoomControls({ workshop, meter, socket, attendees }: Props) {
  const { run, busy, error } = useRoomAction(socket);
  const [prepare, setPrepare] = useState(workshop.preparedSeats || Math.min(workshop.capacity, 30));
  const [message, setMessage] = useState("");
  const now = useNow(30_000);
  const ended = workshop.state === "ended";
  const joinLink = typeof window === "undefined" ? `/join?code=${workshop.code}` : `${window.location.origin}/join?code=${workshop.code}`;

  return (
    <section className="room-controls" aria-label="The room">
      <div className="room-facts">
        <p>
          Code <strong data-testid="join-code">{workshop.code}</strong> · <code>{joinLink}</code>
        </p>
        <p>
          <span className="badge" data-testid="workshop-state">
            {workshop.paused ? "paused" : workshop.state}
          </span>{" "}
          {attendees} of {workshop.capacity} seats taken · {ended ? "ended" : timeLeftText(Date.parse(workshop.endsAt), now)}
        </p>
        <p className="lesson-meta" data-testid="seat-meter">
          Prepared seats: {meter.ready} ready ({meter.waiting} waiting for an attendee), {meter.preparing} preparing, {meter.failed} failed
        </p>
      </div>
      {!ended && (
        <div className="room-actions">
          {workshop.state === "draft" && (
            <button type="button" disabled={busy} onClick={() => run("room:state", { state: "open" })}>
              Open for joining
            </button>
          )}
          {(workshop.state === "draft" || workshop.state === "open") && (
            <button type="button" className="primary" disabled={busy} onClick={() => run("room:state", { state: "running" })}>
              Start the workshop
            </button>
          )}
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void run("seats:prepare", { count: prepare });
            }}
          >
            <label>
              Seats ready
              <input
                type="number"
                min={1}
                max={workshop.capacity}
                value={prepare}
                onChange={(event) => setPrepare(Number(event.target.value))}
              />
            </label>
            <button type="submit" disabled={busy}>
              Prepare seats
            </button>
          </form>
          {workshop.paused ? (
            <button type="button" disabled={busy} onClick={() => run("room:resume")}>
              Resume all seats
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => run("room:pause")}>
              Pause all seats
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => run("room:extend", { minutes: 15 })}>
            +15 min for everyone
          </button>
          <button type="button" disabled={busy} onClick={() => run("room:present", { on: !workshop.presenting })}>
            {workshop.presenting ? "Stop presenting" : "Present my terminal"}
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              if (window.confirm("End the workshop? Every seat's sandbox is removed; progress, the report and recordings are kept."))
                void run("room:end");
            }}
          >
            End the workshop
          </button>
        </div>
      )}
      {!ended && (
        <form
          className="inline-form broadcast"
          onSubmit={async (event) => {
            event.preventDefault();
            if ((await run("room:message", { text: message })) !== undefined) setMessage("");
          }}
        >
          <label>
            Message to everyone
            <input value={message} onChange={(event) => setMessage(event.target.value)} maxLength={500} placeholder="We restart at 14:00" />
          </label>
          <button type="submit" disabled={busy || message.trim().length === 0}>
            Send
          </button>
        </form>
      )}
      <p className="header-links">
        Report: <a href={`/api/workshops/${workshop.id}/report.csv`}>CSV</a> ·{" "}
        <a href={`/api/workshops/${workshop.id}/report.json`}>JSON</a>
      </p>
      <FormMessages error={error} />
    </section>
  );
}
