"use client";

import type { HelpView } from "@drydock/protocol/workshop";
import type { Socket } from "socket.io-client";
import { FormMessages } from "../FormMessages";
import { useRoomAction } from "./use-action";
import { useNow } from "./use-now";

interface Props {
  hands: HelpView[];
  socket: Socket | null;
  me: string;
  onOpen: (seatId: string) => void;
}

/** Raised hands, oldest first, as every co-instructor sees them: claim one, open the seat, resolve it. */
export function HandsQueue({ hands, socket, me, onOpen }: Props) {
  const { run, busy, error } = useRoomAction(socket);
  const now = useNow(30_000);
  if (hands.length === 0) return null;
  return (
    <section className="hands" aria-label="Help queue" data-testid="help-queue">
      <h2>Raised hands</h2>
      <ol>
        {hands.map((hand) => (
          <li key={hand.id} data-testid={`hand-${hand.seatName}`}>
            <button type="button" className="seat-name" onClick={() => onOpen(hand.seatId)}>
              {hand.seatName}
            </button>{" "}
            <span className="lesson-meta">{Math.max(0, Math.round((now - Date.parse(hand.raisedAt)) / 60_000))} min ago</span>{" "}
            {hand.claimedBy ? (
              <span className="badge">{hand.claimedBy === me ? "yours" : `${hand.claimedByName ?? "an instructor"} is on it`}</span>
            ) : (
              <button type="button" disabled={busy} onClick={() => run("hand:claim", { handId: hand.id })}>
                Claim
              </button>
            )}{" "}
            <button type="button" disabled={busy} onClick={() => run("hand:resolve", { handId: hand.id })}>
              Resolved
            </button>
          </li>
        ))}
      </ol>
      <FormMessages error={error} />
    </section>
  );
}
