"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { WorkshopView } from "@/server/workshops/workshop-admin";
import type { WorkshopState } from "@/server/workshops/workshop-states";
import { FormMessages } from "../FormMessages";
import { sendJson } from "./send-json";

const ACTION: Record<WorkshopState, string> = {
  open: "Open for joining",
  running: "Start the workshop",
  draft: "Back to draft",
  ended: "End the workshop",
};

/** The state moves the rules allow now, and deletion for the owner; the server decides, the page shows its answer. */
export function WorkshopActions({ workshop }: { workshop: WorkshopView }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(call: () => ReturnType<typeof sendJson>, after: () => void) {
    setBusy(true);
    setError(null);
    const outcome = await call();
    setBusy(false);
    if (outcome.ok) after();
    else setError(outcome.error);
  }

  const move = (to: WorkshopState) => {
    if (to === "ended" && !window.confirm(`End “${workshop.title}”? Its seats are removed; the report and recordings stay.`)) return;
    void act(
      () => sendJson("POST", `/api/instructor/workshops/${workshop.id}/state`, { to }),
      () => router.refresh(),
    );
  };

  const remove = () => {
    if (!window.confirm(`Delete “${workshop.title}” with its report and recordings? This cannot be undone.`)) return;
    void act(
      () => sendJson("DELETE", `/api/instructor/workshops/${workshop.id}`),
      () => router.push("/instructor"),
    );
  };

  return (
    <div className="form-grid">
      <div className="inline-controls">
        {workshop.allowed.transitions.map((to) => (
          <button
            key={to}
            type="button"
            className={to === "ended" ? "danger" : to === "draft" ? "secondary" : undefined}
            disabled={busy}
            onClick={() => move(to)}
          >
            {ACTION[to]}
          </button>
        ))}
        {workshop.allowed.delete && (
          <button type="button" className="danger" disabled={busy} onClick={remove}>
            Delete workshop
          </button>
        )}
      </div>
      {workshop.role === "owner" && !workshop.allowed.delete && (
        <p className="muted">A workshop can be deleted while it is a draft or once it has ended.</p>
      )}
      <FormMessages error={error} />
    </div>
  );
}
