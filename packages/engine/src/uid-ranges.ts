import { randomInt } from "node:crypto";
import type Docker from "dockerode";
import { type Disposable, toDisposable } from "./disposable";
import { LABEL, sandboxFilter } from "./labels";

/**
 * Every rootless sandbox gets a range of host uids of its own: its learner's
 * root, then 65536 subordinate ids for its inner containers. Shared ids would
 * let one sandbox use up per-uid kernel counters (user namespaces, inotify
 * instances) for all the others, and make their files and processes the same
 * owner's. Ranges start above the ids of real accounts and of Docker's own
 * userns-remap ranges.
 */
const FIRST_UID = 1 << 20;
const RANGE_SIZE = 1 << 17;
const SLOTS = Math.floor((2 ** 32 - FIRST_UID) / RANGE_SIZE) - 1;

/** Ranges being handed out by creates still in flight, before their container carries the label. */
const reserved = new Set<number>();

/**
 * Picks a free range among every Drydock sandbox on this engine (all fleets)
 * and reserves it until disposed (once the container exists or the create
 * failed).
 */
export async function reserveUidRange(docker: Docker): Promise<{ uidBase: number } & Disposable> {
  const containers = await docker.listContainers({ all: true, filters: sandboxFilter() });
  const used = new Set(reserved);
  for (const info of containers) {
    const base = Number(info.Labels[LABEL.uidBase]);
    if (Number.isInteger(base)) used.add(base);
  }
  for (let attempt = 0; attempt < 1000; attempt++) {
    const uidBase = FIRST_UID + randomInt(SLOTS) * RANGE_SIZE;
    if (used.has(uidBase)) continue;
    reserved.add(uidBase);
    return { uidBase, ...toDisposable(() => reserved.delete(uidBase)) };
  }
  throw new Error(`no free uid range among ${SLOTS} for a new sandbox`);
}
