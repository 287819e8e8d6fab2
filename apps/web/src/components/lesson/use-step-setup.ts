"use client";

import { useEffect, useState } from "react";
import { ask, type SandboxChannel } from "./sandbox-channel";

/** Longest a step's setup may take (the agent's check limit) and the way there and back. */
const SETUP_ANSWER_MS = 150_000;

/**
 * Tells the control plane which step is open, so its setup scripts run in the
 * sandbox (once per sandbox: reopening the step, or reloading the page, does
 * not run them again; a new sandbox runs them when the step is opened there).
 * Returns, by step id, why a step's setup failed: the page says so and the
 * learner carries on.
 */
export function useStepSetup(channel: SandboxChannel | null, stepId: string | null): Record<string, string> {
  const [failures, setFailures] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!channel || !stepId) return;
    let current = true;
    void ask(channel, "step:opened", { stepId }, SETUP_ANSWER_MS).then((reply) => {
      if (!current) return;
      const failure = !reply.ok ? `${reply.error}${reply.hint ? ` ${reply.hint}` : ""}` : reply.value.passed ? "" : reply.value.message;
      setFailures((previous) => ({ ...previous, [stepId]: failure }));
    });
    return () => {
      current = false;
    };
  }, [channel, stepId]);

  return failures;
}
