"use client";

import type { GridStep, SeatRow } from "@drydock/protocol/workshop";
import { memo } from "react";

const minutesSince = (iso: string | null, now: number) => (iso ? Math.max(0, Math.round((now - Date.parse(iso)) / 60_000)) : null);
const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function cellText(row: SeatRow, step: GridStep, now: number): { text: string; title: string } {
  const cell = row.cells[step.key];
  if (!cell) return { text: "", title: "" };
  const failed = cell.failed > 0 ? ` ✗${cell.failed}` : "";
  switch (cell.state) {
    case "passed":
      return {
        text: `✓${failed}`,
        title: `Passed at ${clock(cell.passedAt as string)}${cell.failed ? `, after ${cell.failed} failed checks` : ""}`,
      };
    case "current":
      return {
        text: `${minutesSince(cell.enteredAt ?? null, now) ?? 0}m${failed}`,
        title: `On this step for ${minutesSince(cell.enteredAt ?? null, now)} min`,
      };
    case "failed":
      return { text: failed.trim(), title: `${cell.failed} failed checks` };
    default:
      return cell.enteredAt ? { text: "·", title: "Seen, not passed yet" } : { text: "", title: "Not started" };
  }
}

interface Props {
  row: SeatRow;
  steps: GridStep[];
  now: number;
  selected: boolean;
  onSelect: (seatId: string) => void;
}

/** One attendee's row; redrawn only when its row (or the minute) changes, so a room of 200 updates without jank. */
export const SeatGridRow = memo(function SeatGridRow({ row, steps, now, selected, onSelect }: Props) {
  return (
    <tr className={selected ? "selected" : row.stuck.length > 0 ? "stuck" : undefined} data-testid={`seat-row-${row.name}`}>
      <th scope="row">
        <button type="button" className="seat-name" onClick={() => onSelect(row.id)} aria-pressed={selected}>
          <span className={row.online ? "presence online" : "presence"} title={row.online ? "Online" : "Offline"} />
          {row.name}
        </button>
        {row.handRaised && (
          <span className="badge hand-badge" title="Raised hand">
            ✋
          </span>
        )}
        {row.typingWith && <span className="badge">{row.typingWith} typing</span>}
      </th>
      <td className="num">
        {row.passedCount}/{steps.length}
      </td>
      <td className="radar" data-testid={`radar-${row.name}`}>
        {row.stuck.length > 0 ? (
          <span className="stuck-flag">Probably stuck: {row.stuck.map((flag) => flag.reason).join("; ")}</span>
        ) : null}
      </td>
      <td className="exits" title="Exit codes of the last commands">
        {row.lastExitCodes.map((code, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed window of the last commands, in order.
          <span key={index} className={code === 0 ? "exit ok" : "exit bad"}>
            {code}
          </span>
        ))}
      </td>
      <td className="sandbox-state">{row.sandbox}</td>
      {steps.map((step) => {
        const cell = row.cells[step.key];
        const { text, title } = cellText(row, step, now);
        return (
          <td key={step.key} className={`cell ${cell?.state ?? "none"}`} title={title} data-state={cell?.state ?? "none"}>
            {text}
          </td>
        );
      })}
    </tr>
  );
});
