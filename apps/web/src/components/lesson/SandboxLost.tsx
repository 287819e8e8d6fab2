"use client";

interface Props {
  /** True when the sandbox went without warning (its container died or was removed), not at its time or idle limit. */
  lost: boolean;
  /** The agent's words for what happened. */
  reason: string;
  /** Starts a new sandbox with the learner's saved files (the Reset flow). */
  onRestart: () => void;
}

/** Where the terminal was, once the sandbox is gone: what happened, that nothing saved is lost, and one way on. */
export function SandboxLost({ lost, reason, onRestart }: Props) {
  return (
    <div className="start-panel">
      <div role="alert">
        <p>
          <strong>{lost ? "Your sandbox was lost." : "Your sandbox has ended."}</strong> Your saved files and your progress are safe: a new
          sandbox starts with them.
        </p>
        <p className="pane-message small">{reason}</p>
      </div>
      <button type="button" className="large" onClick={onRestart}>
        Start a new sandbox with my files
      </button>
    </div>
  );
}
