import type { WorkshopState as State } from "@/server/workshops/workshop-states";

const LABELS: Record<State, string> = { draft: "Draft", open: "Open for joining", running: "Running", ended: "Ended" };

export function WorkshopState({ state }: { state: State }) {
  return <span className={`state state-${state}`}>{LABELS[state]}</span>;
}
