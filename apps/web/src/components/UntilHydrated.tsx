"use client";

import { type ReactNode, useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A form's fields, disabled while the page is the server's HTML and React has
 * not taken it over: what a person typed then would be dropped when React
 * renders the form's own (empty) state, which a busy machine made visible.
 * The fieldset lays nothing out (`display: contents`).
 */
export function UntilHydrated({ children }: { children: ReactNode }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return (
    <fieldset className="until-hydrated" disabled={!hydrated}>
      {children}
    </fieldset>
  );
}
