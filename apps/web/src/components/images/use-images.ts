"use client";

import type { ImagesSnapshot } from "@drydock/protocol";
import { useCallback, useEffect, useState } from "react";
import { ask, type SandboxChannel } from "../lesson/sandbox-channel";

export type ImagesState =
  | { kind: "loading" }
  | { kind: "ready"; snapshot: ImagesSnapshot }
  | { kind: "failed"; error: string; hint?: string };

/** The sandbox's images, watched while the component using it is mounted: a fresh snapshot after every build, pull, tag or removal. */
export function useImages(channel: SandboxChannel): { state: ImagesState; retry: () => void } {
  const [state, setState] = useState<ImagesState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a retry is a new attempt at watching.
  useEffect(() => {
    let live = true;
    const onChanged = (snapshot: ImagesSnapshot) => setState({ kind: "ready", snapshot });
    // After every (re)connection: watch again, on the agent's new socket.
    const watch = () => {
      void ask(channel, "images:watch", {}).then((reply) => {
        if (!live) return;
        setState(
          reply.ok
            ? { kind: "ready", snapshot: reply.value }
            : { kind: "failed", error: reply.error, ...(reply.hint ? { hint: reply.hint } : {}) },
        );
      });
    };
    channel.on("images:changed", onChanged);
    channel.on("connect", watch);
    if (channel.connected) watch();
    return () => {
      live = false;
      channel.off("images:changed", onChanged);
      channel.off("connect", watch);
      if (channel.connected) void ask(channel, "images:unwatch", {});
    };
  }, [channel, attempt]);

  const retry = useCallback(() => {
    setState({ kind: "loading" });
    setAttempt((previous) => previous + 1);
  }, []);
  return { state, retry };
}
