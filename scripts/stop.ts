/**
 * `npm run stop`: stops the agent and the web app that `npm start` runs
 * (their pids are in .drydock/serve.pids), then removes, through the
 * engine's one removal path, every sandbox of this deployment's fleet
 * (AGENT_FLEET, default "default": container, data volume, data disk,
 * assignment) and the disks and volumes that no sandbox of any fleet owns
 * any more. Other fleets' live sandboxes (tests, benchmarks, other agents on
 * this host) are never touched. The images, the registry and dockerd stay,
 * so the next start is quick.
 *
 * DRYDOCK_STATE_DIR points at another state folder (the tests use their own).
 */
import { readFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EngineError, explainDockerError, removeFleet, removeOrphans } from "@drydock/engine";

const say = (line: string) => console.log(`[drydock] ${line}`);
const FLEET_NAME = /^[a-z0-9-]{1,40}$/;

async function stopServers(stateDir: string): Promise<void> {
  const pidsFile = `${stateDir}/serve.pids`;
  const text = await readFile(pidsFile, "utf8").catch(() => undefined);
  if (text === undefined) return say("no agent or web app running (no serve.pids)");
  const pids = text.split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);
  for (const pid of pids) signal(pid, "SIGTERM");
  // The agent must be gone before its fleet is removed, or it would refill its pool meanwhile.
  const deadline = Date.now() + 15_000;
  while (pids.some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of pids.filter(running)) signal(pid, "SIGKILL");
  await rm(pidsFile, { force: true });
  say(`stopped the agent and the web app (pids ${pids.join(", ")})`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const fleet = process.env.AGENT_FLEET || "default";
  if (!FLEET_NAME.test(fleet)) throw new Error(`AGENT_FLEET=${fleet}: lowercase letters, digits and dashes, as the agent takes it`);
  const stateDir = process.env.DRYDOCK_STATE_DIR ?? fileURLToPath(new URL("../.drydock", import.meta.url));
  await stopServers(stateDir);
  const sandboxes = await removeFleet(fleet);
  say(`removed ${sandboxes.length} sandbox(es) of fleet "${fleet}"${sandboxes.length ? `: ${sandboxes.join(", ")}` : ""}`);
  const orphans = await removeOrphans();
  say(
    `removed ${orphans.disks.length} orphaned data disk(s)${orphans.disks.length ? ` (${orphans.disks.join(", ")})` : ""} and ` +
      `${orphans.volumes.length} orphaned volume(s)${orphans.volumes.length ? ` (${orphans.volumes.join(", ")})` : ""}`,
  );
}

try {
  await main();
} catch (caught) {
  const error = explainDockerError(caught, {});
  console.error(`[drydock] stop failed: ${error.message}`);
  if (error instanceof EngineError) console.error(`[drydock] ${error.hint}`);
  process.exit(1);
}
