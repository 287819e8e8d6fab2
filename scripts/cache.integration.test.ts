import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCache, importCache, warmCache } from "./cache-store";
import { type ScratchCache, startScratchCache } from "./lib/scratch-cache";

/**
 * A room with no internet at all, for real: a cache warmed on a host that
 * reaches Debian's archive is exported, imported into a fresh cache in
 * offline mode on an internal network (no way out), and apt-get installs
 * through it there.
 */

const id = randomBytes(4).toString("hex");
const caches: ScratchCache[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drydock-cache-test-"));
});

afterAll(async () => {
  for (const cache of caches) await cache.remove();
  await rm(dir, { recursive: true, force: true });
});

describe("npm run cache: export and import", () => {
  it("carries a warm cache to a host with no internet, where apt-get then installs from it", async () => {
    const online = await startScratchCache(`drydock-test-cache-online-${id}`);
    caches.push(online);
    const offline = await startScratchCache(`drydock-test-cache-offline-${id}`, { internal: true, offline: true });
    caches.push(offline);
    await warmCache(["figlet"], online);
    const file = join(dir, "cache.tar.gz");
    await exportCache(file, online);
    expect((await stat(file)).size).toBeGreaterThan(100_000);

    // Nothing to offer yet, and no way to the archive.
    await expect(warmCache(["figlet"], offline)).rejects.toThrow(/Unable to locate package figlet|Failed to fetch/);
    await importCache(file, offline);
    await warmCache(["figlet"], offline);
  });

  it("says what to give it when the file is missing", async () => {
    await expect(importCache(join(dir, "nothing.tar.gz"))).rejects.toThrow(
      /does not exist: give the file `npm run cache -- export FILE` wrote/,
    );
  });
});
