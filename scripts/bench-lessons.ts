/**
 * `npm run bench:lessons`: lab 2's (dockerfile-layers) first `docker build`,
 * the one that installs Node.js with apt-get, through the package cache, for
 * 1 learner and for 20 learners at once (real sandboxes, no egress: every
 * package comes through the cache), cold and warm:
 *
 *   cold  an empty package cache and no base image in the sandbox;
 *   warm  the cache holds the packages (a fresh sandbox still pulls the base image).
 *
 * Each phase uses fresh sandboxes and a cache of its own (scripts/lib/scratch-cache.ts,
 * the drydock-apt-cache image), so the host's cache is never emptied. Times
 * are also given as ratios to the same run's plain `docker run` baseline
 * (scripts/lib/baseline.ts). BENCH_CONCURRENT (default 20) sets how many
 * learners build at once. Last line: one JSON object.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { sandboxFilter } from "@drydock/engine";
import { BUILT_IN_LESSONS_DIR, type FileBlock, loadLesson, type RunBlock } from "@drydock/lessons";
import Docker from "dockerode";
import { type AgentHarness, startAgentHarness } from "../apps/sandbox-agent/src/testing/agent-harness";
import { ratios, startBaseline } from "./lib/baseline";
import { type ScratchCache, startScratchCache } from "./lib/scratch-cache";
import { round, summarize } from "./lib/stats";

const docker = new Docker();

const LESSON = "dockerfile-layers";
const runId = randomBytes(3).toString("hex");
const FLEET = process.env.BENCH_FLEET ?? "bench";
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20);
const progress = (event: string, fields: Record<string, unknown> = {}) => console.error(JSON.stringify({ event, ...fields }));

/** The lab's files (its first step's file blocks) and its first build command (the first `docker … build` it runs). */
async function labBuild(): Promise<{ files: FileBlock[]; command: string }> {
  const { lesson, problems } = await loadLesson(join(BUILT_IN_LESSONS_DIR, LESSON));
  if (!lesson) throw new Error(`The lesson ${LESSON} does not load: ${problems.map((problem) => problem.message).join("; ")}`);
  const parts = lesson.steps.flatMap((step) => step.parts);
  const files = lesson.steps[0]?.parts.filter((part): part is FileBlock => part.kind === "file" && !part.append) ?? [];
  const build = parts.find((part): part is RunBlock => part.kind === "run" && /\bdocker\b.*\bbuild\b/.test(part.command));
  if (files.length === 0 || !build)
    throw new Error(`The lesson ${LESSON} no longer has files in its first step and a docker build to run.`);
  return { files, command: build.command };
}

/** Sandboxes booting at once: the boots are not measured, and 20 at once on a small machine only time out. */
const BOOTS_AT_ONCE = 4;

async function prepareSandbox(harness: AgentHarness, files: FileBlock[], created: string[]): Promise<string> {
  // Through the driver, as the agent's fleet does, without the HTTP API's wait limit.
  const { id: sandboxId } = await harness.driver.create({ owner: `bench-lessons-${runId}`, lifetimeSeconds: 3600 });
  created.push(sandboxId);
  for (const file of files) {
    const write = await harness.driver.exec(sandboxId, ["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat >"$1"', "write", file.path], {
      stdin: file.content,
    });
    if (write.exitCode !== 0) throw new Error(`Writing ${file.path} failed: ${write.stderr}`);
  }
  return sandboxId;
}

/** CPU time the sandbox container (its dockerd, builds and all) has used so far, in ms. */
async function sandboxCpuMs(sandboxId: string): Promise<number> {
  const [info] = await docker.listContainers({ filters: sandboxFilter({ sandboxId }) });
  if (!info) throw new Error(`Sandbox ${sandboxId} is not running.`);
  const stats = await docker.getContainer(info.Id).stats({ stream: false });
  return stats.cpu_stats.cpu_usage.total_usage / 1e6;
}

interface BuildTime {
  /** Wall time, from the host: the exec of exactly the lab's command. */
  ms: number;
  /** CPU time the sandbox used meanwhile. */
  cpuMs: number;
}

async function timedBuild(harness: AgentHarness, sandboxId: string, command: string): Promise<BuildTime> {
  const cpuBefore = await sandboxCpuMs(sandboxId);
  const started = performance.now();
  const build = await harness.driver.exec(sandboxId, ["bash", "-c", command]);
  const ms = performance.now() - started;
  if (build.exitCode !== 0) throw new Error(`${command} failed in ${sandboxId}:\n${(build.stdout + build.stderr).slice(-2000)}`);
  return { ms, cpuMs: (await sandboxCpuMs(sandboxId)) - cpuBefore };
}

/** COUNT fresh sandboxes, ready and holding the lab's files, then all build at once; the sandboxes are removed after. */
async function builds(harness: AgentHarness, count: number, lab: { files: FileBlock[]; command: string }): Promise<BuildTime[]> {
  const created: string[] = [];
  try {
    const sandboxes: string[] = [];
    while (sandboxes.length < count) {
      const batch = Math.min(BOOTS_AT_ONCE, count - sandboxes.length);
      sandboxes.push(...(await Promise.all(Array.from({ length: batch }, () => prepareSandbox(harness, lab.files, created)))));
    }
    return await Promise.all(sandboxes.map((sandboxId) => timedBuild(harness, sandboxId, lab.command)));
  } finally {
    await Promise.allSettled(created.map((sandboxId) => harness.driver.destroy(sandboxId)));
  }
}

const lab = await labBuild();
const baseline = await startBaseline({ fleet: `${FLEET}-${runId}`, samples: { run: 5 } });
const caches: ScratchCache[] = [];
const harnesses: AgentHarness[] = [];
/** A cache of its own, empty, and an agent whose sandboxes use it. */
async function coldSetup(name: string): Promise<AgentHarness> {
  const cache = await startScratchCache(`drydock-bench-cache-${name}-${runId}`, { publish: true });
  caches.push(cache);
  const harness = await startAgentHarness({
    fleetPrefix: `${FLEET}-lessons`,
    egress: "none",
    packageCache: true,
    packageCacheUpstream: cache.url,
  });
  harnesses.push(harness);
  return harness;
}

try {
  await baseline.measure("before");
  const single = await coldSetup("single");
  const [singleCold] = await builds(single, 1, lab);
  progress("single", { cold: singleCold });
  const [singleWarm] = await builds(single, 1, lab);
  progress("single", { warm: singleWarm });
  if (!singleCold || !singleWarm) throw new Error("a single build gave no time");

  const many = await coldSetup("concurrent");
  const coldBuilds = await builds(many, CONCURRENT, lab);
  const cold = summarize(
    coldBuilds.map((build) => build.ms),
    50,
    95,
  );
  progress("concurrent", { count: CONCURRENT, cold });
  const warmBuilds = await builds(many, CONCURRENT, lab);
  const warm = summarize(
    warmBuilds.map((build) => build.ms),
    50,
    95,
  );
  progress("concurrent", { count: CONCURRENT, warm });
  await baseline.measure("after");
  const baselineMs = baseline.report();
  const key = `concurrent${CONCURRENT}`;
  const buildMs = { single: { cold: round(singleCold.ms), warm: round(singleWarm.ms) }, [key]: { cold, warm } };
  const totalCpuMs = (times: BuildTime[]) => times.reduce((sum, build) => sum + build.cpuMs, 0);
  console.log(
    JSON.stringify({
      lesson: LESSON,
      command: lab.command,
      concurrent: CONCURRENT,
      buildMs,
      /** The target: at most 3. */
      warmConcurrentP95OverWarmSingle: round((warm.p95 ?? Number.NaN) / singleWarm.ms),
      /**
       * CPU time the builds used inside their sandboxes, and the shortest the concurrent ones could
       * take on this machine's cores: their CPU time divided by the cores. Builds are CPU-bound
       * once their packages come from the cache, so this floor, not the cache, bounds p95.
       */
      buildCpuMs: {
        single: { cold: round(singleCold.cpuMs), warm: round(singleWarm.cpuMs) },
        [key]: { cold: round(totalCpuMs(coldBuilds)), warm: round(totalCpuMs(warmBuilds)) },
      },
      cores: availableParallelism(),
      cpuFloorMs: {
        [key]: {
          cold: round(totalCpuMs(coldBuilds) / availableParallelism()),
          warm: round(totalCpuMs(warmBuilds) / availableParallelism()),
        },
      },
      baselineMs,
      buildRatio: {
        single: ratios(buildMs.single, baselineMs.run),
        [key]: { cold: ratios(cold, baselineMs.run), warm: ratios(warm, baselineMs.run) },
      },
    }),
  );
} catch (error) {
  progress("failed", { error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
} finally {
  await baseline.close();
  for (const harness of harnesses) {
    await harness
      .close()
      .catch((error: unknown) => progress("cleanup_failed", { error: error instanceof Error ? error.message : String(error) }));
  }
  for (const cache of caches) await cache.remove();
}
process.exit(process.exitCode ?? 0);
