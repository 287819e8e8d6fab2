"use client";

import { PRESENTER_TARGET } from "@drydock/protocol/workshop";
import { useCallback, useMemo, useState } from "react";
import { HandsQueue } from "./HandsQueue";
import { RoomControls } from "./RoomControls";
import { SeatGridRow } from "./SeatGridRow";
import { SeatPanel } from "./SeatPanel";
import { type SeatOrder, sortSeats } from "./seat-order";
import { useDashboard } from "./use-dashboard";
import { useNow } from "./use-now";
import { WatchTerminal } from "./WatchTerminal";

const ORDERS: { value: SeatOrder; label: string }[] = [
  { value: "stuck", label: "Needs help first" },
  { value: "progress", label: "Least progress first" },
  { value: "name", label: "Name" },
  { value: "joined", label: "Arrival" },
];

/** The instructors' live view of the room: controls, the help queue, the grid with its radar, and one seat opened. */
export function Dashboard({ workshopId }: { workshopId: string }) {
  const { snapshot, seats, socket, problem } = useDashboard(workshopId);
  const [order, setOrder] = useState<SeatOrder>("stuck");
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow(30_000);
  const rows = useMemo(() => sortSeats([...seats.values()], order), [seats, order]);
  const onSelect = useCallback((seatId: string) => setSelected((current) => (current === seatId ? null : seatId)), []);

  if (!snapshot) {
    return <p className="pane-message">{problem ?? "Connecting to the room…"}</p>;
  }
  const { workshop, steps } = snapshot;
  const selectedRow = selected ? seats.get(selected) : undefined;

  return (
    <div className="dashboard">
      {problem && <p className="workshop-note">{problem}</p>}
      <RoomControls workshop={workshop} meter={snapshot.meter} socket={socket} attendees={seats.size} />
      {workshop.presenting && (
        <section className="presenter-own" aria-label="Your presenter terminal">
          <h2>Your terminal, shown to every attendee</h2>
          <WatchTerminal workshopId={workshop.id} target={PRESENTER_TARGET} mode="write" label="Your presenter terminal" />
        </section>
      )}
      <HandsQueue hands={snapshot.hands} socket={socket} me={snapshot.me.id} onOpen={setSelected} />
      <section aria-label="Attendees" className="grid-section">
        <div className="grid-toolbar">
          <h2>
            Attendees <span className="lesson-meta">{seats.size}</span>
          </h2>
          <label>
            Order{" "}
            <select value={order} onChange={(event) => setOrder(event.target.value as SeatOrder)}>
              {ORDERS.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {seats.size === 0 ? (
          <p className="pane-message">
            Nobody has joined yet. Share the link <code>/join?code={workshop.code}</code> or the code <strong>{workshop.code}</strong>.
          </p>
        ) : (
          <div className="grid-scroll">
            <table className="seat-grid" data-testid="seat-grid">
              <thead>
                <tr>
                  <th scope="col">Attendee</th>
                  <th scope="col">Done</th>
                  <th scope="col">Radar</th>
                  <th scope="col">Last exits</th>
                  <th scope="col">Sandbox</th>
                  {steps.map((step, index) => (
                    <th scope="col" key={step.key} title={`${step.lessonTitle}: ${step.title}`} className="step-head">
                      {index + 1}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <SeatGridRow key={row.id} row={row} steps={steps} now={now} selected={row.id === selected} onSelect={onSelect} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {selectedRow && (
        <SeatPanel
          key={selectedRow.id}
          workshopId={workshop.id}
          row={selectedRow}
          socket={socket}
          recorded={workshop.recordTerminals}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
