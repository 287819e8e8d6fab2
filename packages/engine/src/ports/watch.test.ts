import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { diffPorts } from "./diff";
import type { ListeningPort, PortsChange } from "./types";
import { PortPolling } from "./watch";

const web: ListeningPort = { port: 8888, protocol: "tcp", process: "docker-proxy" };
const api: ListeningPort = { port: 3000, protocol: "tcp", process: "node" };

describe("diffPorts", () => {
  it("reports appeared and disappeared ports, and nothing when nothing changed", () => {
    expect(diffPorts([], [web])).toEqual({ ports: [web], appeared: [web], disappeared: [] });
    expect(diffPorts([web, api], [api])).toEqual({ ports: [api], appeared: [], disappeared: [web] });
    expect(diffPorts([web], [{ ...web }])).toBeUndefined();
  });

  it("treats a port taken over by another process as gone and back", () => {
    const python = { ...web, process: "python3" };
    expect(diffPorts([web], [python])).toEqual({ ports: [python], appeared: [python], disappeared: [web] });
  });
});

describe("PortPolling", () => {
  let results: ListeningPort[][];
  let scans: string[];
  let polling: PortPolling;

  beforeEach(() => {
    vi.useFakeTimers();
    results = [];
    scans = [];
    polling = new PortPolling(async (sandboxId) => {
      scans.push(sandboxId);
      const next = results.length > 1 ? results.shift() : results[0];
      if (!next) throw new Error("sandbox gone");
      return next;
    }, 1000);
  });
  afterEach(() => vi.useRealTimers());

  const changes = () => {
    const seen: PortsChange[] = [];
    const errors: unknown[] = [];
    return {
      seen,
      errors,
      watcher: { onChange: (change: PortsChange) => seen.push(change), onError: (error: unknown) => errors.push(error) },
    };
  };

  it("polls once a second only while watched, and reports differences only", async () => {
    results = [[], [], [web], [web], []];
    const first = changes();
    const unwatch = polling.watch("sbx_a", first.watcher);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.seen).toEqual([{ ports: [], appeared: [], disappeared: [] }]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(first.seen.slice(1)).toEqual([
      { ports: [web], appeared: [web], disappeared: [] },
      { ports: [], appeared: [], disappeared: [web] },
    ]);
    expect(scans).toHaveLength(5);
    unwatch.dispose();
    expect(polling.polling).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(scans).toHaveLength(5);
  });

  it("shares one poller per sandbox; a later watcher starts from the current ports", async () => {
    results = [[web]];
    const first = changes();
    const second = changes();
    const stopFirst = polling.watch("sbx_a", first.watcher);
    await vi.advanceTimersByTimeAsync(1500);
    const stopSecond = polling.watch("sbx_a", second.watcher);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.seen).toEqual([{ ports: [web], appeared: [web], disappeared: [] }]);
    expect(scans).toHaveLength(2);
    stopFirst.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(polling.polling).toBe(1);
    expect(scans).toHaveLength(3);
    stopSecond.dispose();
    expect(polling.polling).toBe(0);
  });

  it("tells watchers about failed scans and keeps polling", async () => {
    const watched = changes();
    const unwatch = polling.watch("sbx_gone", watched.watcher);
    await vi.advanceTimersByTimeAsync(1000);
    expect(watched.errors).toHaveLength(2);
    results = [[api]];
    await vi.advanceTimersByTimeAsync(1000);
    expect(watched.seen).toEqual([{ ports: [api], appeared: [api], disappeared: [] }]);
    unwatch.dispose();
  });
});
