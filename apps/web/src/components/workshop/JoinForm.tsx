"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessages } from "../FormMessages";
import { UntilHydrated } from "../UntilHydrated";

async function post(path: string, body: unknown): Promise<{ next: string; workshop: { firstLessonId: string | null } }> {
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    throw new Error("The server could not be reached. Check your connection and try again.");
  }
  const answer = (await response.json().catch(() => ({}))) as {
    error?: string;
    next?: string;
    workshop?: { firstLessonId: string | null };
  };
  if (!response.ok) throw new Error(answer.error ?? `The server answered ${response.status}.`);
  return { next: answer.next ?? "/workshop", workshop: answer.workshop ?? { firstLessonId: null } };
}

/** Join with the workshop's code and a display name, or move a seat here with its rejoin code. Typed values stay on a refusal. */
export function JoinForm({ code: initialCode }: { code: string }) {
  const router = useRouter();
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState("");
  const [rejoinCode, setRejoinCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(path: string, body: unknown) {
    setBusy(true);
    setError(null);
    try {
      const joined = await post(path, body);
      router.push(joined.workshop.firstLessonId ? `/lessons/${joined.workshop.firstLessonId}` : joined.next);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <div className="join-forms">
      <UntilHydrated>
        <form
          className="panel-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit("/api/workshops/join", { code, name });
          }}
        >
          <h2>Join a workshop</h2>
          <label>
            Workshop code
            <input name="code" value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" required maxLength={20} />
          </label>
          <label>
            Your name, as the room will see it
            <input
              name="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              autoComplete="nickname"
              required
              maxLength={80}
            />
          </label>
          <p className="aside-note">No account, no e-mail. Your instructors see your progress in the workshop's lessons.</p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Joining…" : "Join"}
          </button>
          <FormMessages error={error} />
        </form>
        <form
          className="panel-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit("/api/workshops/rejoin", { rejoinCode });
          }}
        >
          <h2>Continue on this device</h2>
          <label>
            Your rejoin code
            <input
              name="rejoinCode"
              value={rejoinCode}
              onChange={(event) => setRejoinCode(event.target.value)}
              autoComplete="off"
              maxLength={20}
            />
          </label>
          <button type="submit" disabled={busy || rejoinCode.trim().length === 0}>
            Rejoin
          </button>
        </form>
      </UntilHydrated>
    </div>
  );
}
