/**
 * A sandbox's life: starting → ready → expiring → gone (or failed). Each
 * change, and each slow step while starting, is pushed as a status a page can
 * show as a progress bar or a warning. A ready or expiring sandbox may be
 * paused (frozen, everything kept, its time stopped) and resumed to ready.
 */
export const SANDBOX_STATES = ["starting", "ready", "expiring", "paused", "gone", "failed"] as const;
export type SandboxState = (typeof SANDBOX_STATES)[number];

export interface SandboxStatus {
  sandboxId: string;
  state: SandboxState;
  /** 0-100 while starting; 100 once ready. */
  percent: number;
  /** What is happening, or why it failed, in words for the learner. */
  message: string;
  /** When the session's time limit ends (ISO 8601). While paused: the end as it stood when paused (or last extended); resume moves it later by the time paused since. */
  expiresAt?: string;
  /** While expiring: when the sandbox will be removed, and why. */
  removalAt?: string;
  removalReason?: "time-limit" | "idle";
}

export interface LifecycleServerEvents {
  "sandbox:status": (status: SandboxStatus) => void;
}
