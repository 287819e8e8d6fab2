/**
 * The machine's own Docker speed, measured in the same run as a benchmark, so
 * each figure can be printed beside it as a ratio that means the same on any
 * machine. Absolute times do not travel: the same benchmark on another
 * machine of the same kind was 4x slower because a plain `docker run` was.
 *
 * Three baselines, each through the plain `docker` CLI, as a person would
 * reproduce them by hand:
 * - run: `docker run --rm debian:bookworm-slim true`, the counterpart of every
 *   start figure (a start creates and starts a container);
 * - exec: `docker exec <tiny container> true`, the counterpart of a figure
 *   that makes one fresh exec per sample (a check);
 * - echo: one byte through a running `docker exec -i <tiny container> cat`,
 *   the counterpart of keystroke echo (a byte through a long-lived exec).
 * The machine's load changes during a run, so a benchmark measures in phases
 * (at least before and after its main work); the report gives each phase's
 * p50 and the p50 over all samples, which the ratios use.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { LABEL } from "@drydock/engine";
import { percentile, round } from "./stats";

const run = promisify(execFile);
const IMAGE = "debian:bookworm-slim";
const ROLE = "bench-baseline";
/** The exec target removes itself after this long even if the benchmark dies without closing. */
const TARGET_LIFETIME_SECONDS = 7200;
const ECHO_TIMEOUT_MS = 30_000;

export type BaselineKind = "run" | "exec" | "echo";
/** Samples of each kind per phase; a kind with 0 (or left out) is not measured. */
export type BaselineSamples = Partial<Record<BaselineKind, number>>;
/** One kind: p50 over every sample, the number of samples, and each phase's own p50 under the phase's name. */
export type BaselineFigure = { p50: number; samples: number } & Record<string, number>;
export type BaselineReport = Partial<Record<BaselineKind, BaselineFigure>>;
export type PhaseSamples = Array<{ phase: string; ms: number }>;

export interface Baseline {
  /** Takes this phase's samples of every kind asked for. */
  measure(phase: string): Promise<void>;
  report(): BaselineReport;
  /** Removes the exec target. */
  close(): Promise<void>;
}

const RESERVED_PHASES = new Set(["p50", "samples"]);
/** Four significant digits: an echo baseline is a fraction of a millisecond, and the ratios divide by it. */
const significant = (ms: number): number => Number(ms.toPrecision(4));

function p50(samples: PhaseSamples): number {
  const times = samples.map((sample) => sample.ms);
  return significant(percentile(times, 50));
}

/** The report of the samples taken so far (pure). */
export function baselineReport(taken: Partial<Record<BaselineKind, PhaseSamples>>): BaselineReport {
  const report: BaselineReport = {};
  for (const [kind, samples] of Object.entries(taken) as Array<[BaselineKind, PhaseSamples]>) {
    if (samples.length === 0) continue;
    const figure: BaselineFigure = { p50: p50(samples), samples: samples.length };
    for (const phase of new Set(samples.map((sample) => sample.phase)))
      figure[phase] = p50(samples.filter((sample) => sample.phase === phase));
    report[kind] = figure;
  }
  return report;
}

/**
 * Each time of a figure ({p50, p95, …} in ms) divided by the baseline's p50:
 * how many plain Docker operations of this machine the figure takes (pure).
 */
export function ratios<K extends string>(figure: Readonly<Record<K, number>>, baseline: BaselineFigure | undefined): Record<K, number> {
  if (!baseline) throw new Error("no baseline of this kind was measured: ask for its samples in startBaseline()");
  if (!(baseline.p50 > 0)) throw new Error(`a baseline of ${baseline.p50} ms cannot divide a figure`);
  const entries = Object.entries(figure) as Array<[K, number]>;
  return Object.fromEntries(entries.map(([key, ms]) => [key, round(ms / baseline.p50)])) as Record<K, number>;
}

async function docker(args: string[], what: string): Promise<string> {
  try {
    return (await run("docker", args, { maxBuffer: 1024 * 1024 })).stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(
      `The baseline's ${what} failed (${stderr || (error as Error).message}): is dockerd running and ${IMAGE} on this host? (npm run provision)`,
      { cause: error },
    );
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A running `docker exec -i TARGET cat`: each round trip writes one byte and waits for it to come back. */
async function openEcho(target: string): Promise<{ roundTrip(): Promise<number>; close(): void }> {
  const cat = spawn("docker", ["exec", "-i", target, "cat"], { stdio: ["pipe", "pipe", "pipe"] });
  let received = 0;
  let stderr = "";
  let waiter: (() => void) | undefined;
  cat.stdout.on("data", (chunk: Buffer) => {
    received += chunk.length;
    waiter?.();
  });
  cat.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const roundTrip = () =>
    timed(
      () =>
        new Promise<void>((resolve, reject) => {
          const expected = received + 1;
          const timer = setTimeout(
            () => reject(new Error(`no echo from \`docker exec -i ${target} cat\` within ${ECHO_TIMEOUT_MS} ms ${stderr}`)),
            ECHO_TIMEOUT_MS,
          );
          waiter = () => {
            if (received < expected) return;
            clearTimeout(timer);
            waiter = undefined;
            resolve();
          };
          cat.stdin.write("x");
        }),
    );
  // The first byte also waits for the exec to be set up: not a sample.
  await roundTrip();
  // Closing its stdin ends `cat`, and with it the exec.
  return { roundTrip, close: () => void cat.stdin.end() };
}

/**
 * Starts the baseline of a benchmark: a tiny container to exec into (when exec
 * or echo samples are asked for), labelled as the project's, with the bench's
 * fleet so its owner can be told apart. Call close() when done.
 */
export async function startBaseline(options: { fleet: string; samples: BaselineSamples }): Promise<Baseline> {
  const labels = Object.entries({ [LABEL.managed]: "true", [LABEL.role]: ROLE, [LABEL.fleet]: options.fleet }).flatMap(([key, value]) => [
    "--label",
    `${key}=${value}`,
  ]);
  const { run: runs = 0, exec: execs = 0, echo: echoes = 0 } = options.samples;
  const taken: Record<BaselineKind, PhaseSamples> = { run: [], exec: [], echo: [] };
  const name = `${options.fleet}-baseline-${randomBytes(3).toString("hex")}`;
  const target =
    execs + echoes > 0
      ? await docker(
          ["run", "-d", "--rm", "--pull", "never", "--name", name, ...labels, IMAGE, "sleep", String(TARGET_LIFETIME_SECONDS)],
          "exec target (docker run -d)",
        )
      : undefined;
  let echo: Awaited<ReturnType<typeof openEcho>> | undefined;
  try {
    if (target && echoes > 0) echo = await openEcho(target);
  } catch (error) {
    if (target) await docker(["rm", "-f", target], "removal of the exec target");
    throw error;
  }

  return {
    async measure(phase) {
      if (RESERVED_PHASES.has(phase)) throw new Error(`"${phase}" is a key of the report: name the phase otherwise`);
      // Runs and execs alternate, so both see the same moments of the machine's load.
      for (let i = 0; i < Math.max(runs, execs); i++) {
        if (i < runs)
          taken.run.push({
            phase,
            ms: await timed(() => docker(["run", "--rm", "--pull", "never", ...labels, IMAGE, "true"], "docker run --rm")),
          });
        if (i < execs && target) taken.exec.push({ phase, ms: await timed(() => docker(["exec", target, "true"], "docker exec")) });
      }
      for (let i = 0; i < echoes && echo; i++) taken.echo.push({ phase, ms: await echo.roundTrip() });
    },
    report: () => baselineReport(taken),
    async close() {
      echo?.close();
      if (target) await docker(["rm", "-f", target], "removal of the exec target");
    },
  };
}
