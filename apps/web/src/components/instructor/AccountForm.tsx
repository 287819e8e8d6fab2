"use client";

import { useState } from "react";
import { FormMessages } from "../FormMessages";
import { UntilHydrated } from "../UntilHydrated";
import { sendJson } from "./send-json";

interface AccountFormProps {
  /** setup: name, e-mail and a new password; login: e-mail and password. */
  mode: "setup" | "login";
  /** Where to go once signed in (a path of this site). */
  next: string;
}

/** The first-run and sign-in forms: whatever is refused, the typed values stay and the server's message is shown. */
export function AccountForm({ mode, next }: AccountFormProps) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const outcome =
      mode === "setup"
        ? await sendJson("POST", "/api/instructor/setup", { name, email, password })
        : await sendJson("POST", "/api/instructor/login", { email, password });
    if (outcome.ok) {
      // A full navigation, so every page reads the new cookie.
      window.location.assign(next);
      return;
    }
    setError(outcome.error);
    setBusy(false);
  }

  return (
    <form
      className="form-grid panel"
      onSubmit={submit}
      noValidate
      aria-label={mode === "setup" ? "First instructor account" : "Instructor sign-in"}
    >
      <UntilHydrated>
        {mode === "setup" && (
          <label className="field">
            <span>Your name</span>
            <input type="text" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
          </label>
        )}
        <label className="field">
          <span>E-mail</span>
          <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete={mode === "setup" ? "new-password" : "current-password"}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {mode === "setup" && <small>At least 10 characters; a few unrelated words make a good one.</small>}
        </label>
        <FormMessages error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {mode === "setup" ? "Create the account and sign in" : "Sign in"}
          </button>
        </div>
      </UntilHydrated>
    </form>
  );
}
