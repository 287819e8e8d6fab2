"use client";

import type { SeatDetail, SeatRow } from "@drydock/protocol/workshop";
import { useCallback, useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import { FormMessages } from "../FormMessages";
import { useRoomAction } from "./use-action";
import { WatchTerminal } from "./WatchTerminal";

interface Props {
  workshopId: string;
  row: SeatRow;
  socket: Socket | null;
  recorded: boolean;
  onClose: () => void;
}

/** One attendee opened: their terminal (watched, or typed in with them), their files read-only, their last check and commands. */
export function SeatPanel({ workshopId, row, socket, recorded, onClose }: Props) {
  const { run, busy, error } = useRoomAction(socket);
  // The detail reloads by itself whenever the row changes: a request of its own, so it never
  // disables the buttons under the instructor's click (a click on a disabled button is lost).
  const reader = useRoomAction(socket);
  const [detail, setDetail] = useState<SeatDetail | null>(null);
  const [typing, setTyping] = useState(false);
  const [file, setFile] = useState<{ path: string; content: string } | null>(null);
  const [message, setMessage] = useState("");

  const refresh = useCallback(async () => {
    const next = await reader.run<SeatDetail>("seat:detail", { seatId: row.id });
    if (next) setDetail(next);
  }, [row.id, reader.run]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded when the seat is opened and when its row changes.
  useEffect(() => {
    void refresh();
  }, [row.id, row.passedCount, row.lastExitCodes.join(",")]);

  return (
    <aside className="seat-panel" aria-label={`Seat of ${row.name}`} data-testid="seat-panel">
      <header className="seat-panel-header">
        <h2>{row.name}</h2>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="room-actions">
        <button
          type="button"
          aria-pressed={typing}
          onClick={() => {
            if (
              typing ||
              window.confirm(
                `Type in ${row.name}'s terminal? They will see a banner with your name for as long as you do, and it is logged.`,
              )
            ) {
              setTyping((on) => !on);
            }
          }}
        >
          {typing ? "Stop typing with them" : "Type with them"}
        </button>
        <button type="button" disabled={busy} onClick={() => run("seat:reset", { seatId: row.id })}>
          Reset seat
        </button>
        <button type="button" disabled={busy} onClick={() => run("room:extend", { minutes: 15, seatId: row.id })}>
          +15 min for this seat
        </button>
        {recorded && (
          <a href={`/instructor/workshops/${workshopId}/seats/${row.id}/recording`} target="_blank" rel="noreferrer">
            Replay the recording
          </a>
        )}
      </div>
      {row.sandbox === "ready" || row.sandbox === "paused" ? (
        <WatchTerminal
          key={typing ? "write" : "read"}
          workshopId={workshopId}
          target={row.id}
          mode={typing ? "write" : "read"}
          label={`${row.name}'s terminal`}
        />
      ) : (
        <p className="pane-message">No running sandbox ({row.sandbox}).</p>
      )}
      <form
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if ((await run("room:message", { text: message, seatId: row.id })) !== undefined) setMessage("");
        }}
      >
        <label>
          Message to {row.name}
          <input value={message} onChange={(event) => setMessage(event.target.value)} maxLength={500} />
        </label>
        <button type="submit" disabled={busy || message.trim().length === 0}>
          Send
        </button>
      </form>
      <FormMessages error={error ?? reader.error} />
      {detail?.lastCheck && (
        <section aria-label="Last check">
          <h3>
            Last check: {detail.lastCheck.stepId} {detail.lastCheck.passed ? "passed" : "failed"}
          </h3>
          <pre className="check-output" data-testid="last-check">
            {detail.lastCheck.output || "(no output)"}
          </pre>
        </section>
      )}
      {detail && detail.commands.length > 0 && (
        <section aria-label="Last commands">
          <h3>Last commands</h3>
          <ol className="command-list">
            {detail.commands.map((command) => (
              <li key={command.at}>
                <span className={command.exitCode === 0 ? "exit ok" : "exit bad"}>{command.exitCode}</span>{" "}
                <code>{command.command ?? "(command)"}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
      {detail && (
        <section aria-label="Workspace files">
          <h3>Files (read-only)</h3>
          <ul className="file-list">
            {detail.files.map((path) => (
              <li key={path}>
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    const read = await run<{ content: string }>("seat:file", { seatId: row.id, path });
                    if (read) setFile({ path, content: read.content });
                  }}
                >
                  {path}
                </button>
              </li>
            ))}
          </ul>
          {file && (
            <pre className="check-output" data-testid="seat-file" title={file.path}>
              {file.content}
            </pre>
          )}
        </section>
      )}
    </aside>
  );
}
