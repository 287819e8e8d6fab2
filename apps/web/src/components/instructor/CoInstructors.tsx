"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { WorkshopView } from "@/server/workshops/workshop-admin";
import { FormMessages } from "../FormMessages";
import { sendJson } from "./send-json";

/** Who runs the workshop; the owner invites existing instructors by e-mail and may remove co-instructors. */
export function CoInstructors({ workshop }: { workshop: WorkshopView }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function invite(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNote(null);
    const outcome = await sendJson<{ workshop: WorkshopView }>("POST", `/api/instructor/workshops/${workshop.id}/instructors`, { email });
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    setNote(`${email.trim()} is now a co-instructor.`);
    setEmail("");
    router.refresh();
  }

  async function remove(instructorId: string, name: string) {
    if (!window.confirm(`Remove ${name} from this workshop?`)) return;
    setError(null);
    const outcome = await sendJson("DELETE", `/api/instructor/workshops/${workshop.id}/instructors/${instructorId}`);
    if (outcome.ok) router.refresh();
    else setError(outcome.error);
  }

  return (
    <div className="form-grid">
      <ul className="member-list" aria-label="Instructors of this workshop">
        {workshop.instructors.map((member) => (
          <li key={member.id}>
            <span>
              {member.name} &lt;{member.email}&gt; · {member.role === "owner" ? "owner" : "co-instructor"}
            </span>
            {workshop.allowed.invite && member.role === "co" && (
              <button type="button" className="secondary small" onClick={() => remove(member.id, member.name)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {workshop.allowed.invite ? (
        <form className="inline-controls" onSubmit={invite} noValidate>
          <label className="field">
            <span>Invite a co-instructor by e-mail</span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="colleague@example.org" />
          </label>
          <button type="submit" disabled={busy}>
            Invite
          </button>
        </form>
      ) : (
        <p className="muted">Only the owner invites co-instructors.</p>
      )}
      <FormMessages error={error} note={note} />
    </div>
  );
}
