/**
 * `npm run lessons -- <command>`: the lesson authors' tool.
 *
 *   check [dir]                          validate lessons (default: the built-in ones); problems as file:line:col
 *   test [--dir DIR] [--jobs N] [--transcripts DIR] [id...]
 *                                        run lessons on real sandboxes: every step's check must fail before
 *                                        the step and pass after it; prints a per-step table (and writes
 *                                        each lesson's terminal transcript into DIR)
 *   import-killercoda SCENARIO OUT       convert a Killercoda scenario folder into a lesson folder
 *
 * Exit status 0 when everything passed, 1 otherwise, 2 on bad usage (what was
 * wrong and the usage, on stderr). Logs are JSON lines on stderr; results on stdout.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, posix, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  applyNetworkPolicy,
  DockerInDockerDriver,
  packageCacheProxyUrl,
  removeNetworkPolicy,
  SANDBOX_PACKAGE_CACHE_PORT,
  SANDBOX_REGISTRY,
  type SandboxDriver,
} from "@drydock/engine";
import { createTestNetwork } from "@drydock/engine/testing";
import {
  BUILT_IN_LESSONS_DIR,
  formatImportReport,
  formatProblem,
  formatRunTable,
  hasVariants,
  importKillercodaScenario,
  type Lesson,
  type LessonRunResult,
  type LessonSandbox,
  loadLesson,
  loadLessons,
  RUNNER_TERMINAL_SIZE,
  type RunLessonOptions,
  runLesson,
} from "@drydock/lessons";
import { createLogger, type Logger } from "@drydock/server-kit";
import { HOST_PACKAGE_CACHE, servePackageCache } from "../apps/sandbox-agent/src/package-cache-gateway";
import { serveRegistry } from "../apps/sandbox-agent/src/registry-gateway";
import { LESSONS_USAGE, type LessonsCommand, parseLessonsArgs, UsageError } from "./lessons-args";

/** The real registry on this host (scripts/provision.sh publishes it on 127.0.0.1). */
const REGISTRY_UPSTREAM = process.env.REGISTRY_UPSTREAM ?? `http://127.0.0.1:${process.env.DRYDOCK_REGISTRY_PORT ?? 5000}`;

/**
 * Where the runner's sandboxes live: a network of its own, whose gateway
 * address serves the agent's registry gateway (the `drydock-registry:5000`
 * sandboxes pull and push through, with a learner's credentials), so a run
 * never collides with a running Drydock or another run. close() removes
 * everything it made.
 */
export interface RunnerEnvironment {
  driver: SandboxDriver;
  /** The registry variables of a sandbox for this owner (DRYDOCK_REGISTRY, DRYDOCK_USER, DRYDOCK_PASSWORD). */
  registryEnv(owner: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startRunnerEnvironment(log: Logger): Promise<RunnerEnvironment> {
  const network = await createTestNetwork();
  // Credentials are derived from a secret: a fresh one per run, known to this run's gateway only.
  const secret = randomBytes(32).toString("hex");
  const registry = await serveRegistry(
    { address: network.gateway, port: SANDBOX_REGISTRY.port, upstream: REGISTRY_UPSTREAM },
    secret,
    createLogger("lessons-registry", (line) => process.stderr.write(`${line}\n`)),
  );
  if (!registry.url) {
    await network.remove();
    throw new Error(`The registry gateway did not start on ${network.gateway}:${SANDBOX_REGISTRY.port}; see the log above.`);
  }
  // apt-get in the lessons goes through the host's package cache, as deployed (and warms it);
  // SANDBOX_EGRESS=none leaves the sandboxes nothing else, as a room without internet.
  const packageCache = await servePackageCache(
    { address: network.gateway, port: SANDBOX_PACKAGE_CACHE_PORT, upstream: HOST_PACKAGE_CACHE },
    createLogger("lessons-package-cache", (line) => process.stderr.write(`${line}\n`)),
  );
  const egress = process.env.SANDBOX_EGRESS === "none" ? "none" : undefined;
  if (egress) {
    await applyNetworkPolicy({
      network: network.name,
      gateway: network.gateway,
      registryPort: SANDBOX_REGISTRY.port,
      packageCachePort: SANDBOX_PACKAGE_CACHE_PORT,
      egress,
    });
  }
  // As apps/sandbox-agent builds it, with the same defaults; a fleet of its own, so it never touches other sandboxes.
  const driver = new DockerInDockerDriver({
    fleet: `lessons-${randomBytes(4).toString("hex")}`,
    image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
    network: network.name,
    registryAddress: network.gateway,
    packageCacheProxy: packageCache.url ? packageCacheProxyUrl(network.gateway) : undefined,
    memoryBytes: Number(process.env.SANDBOX_MEMORY_MIB ?? 1024) * 1024 * 1024,
    nanoCpus: Math.round(Number(process.env.SANDBOX_CPUS ?? 1) * 1e9),
    pidsLimit: Number(process.env.SANDBOX_PIDS ?? 1024),
  });
  log.info("lessons.environment_ready", { network: network.name, registry: registry.url });
  return {
    driver,
    registryEnv: (owner) => registry.sandboxEnv(owner),
    close: async () => {
      await registry.close();
      await packageCache.close();
      if (egress) await removeNetworkPolicy(network.name);
      await network.remove().catch((error: unknown) => log.warn("lessons.network_not_removed", { network: network.name, error }));
    },
  };
}

/**
 * The runner's view of one engine sandbox: its TTY shell, file writes through
 * exec, checks. The sandbox was created with the lesson's workspace, so the
 * engine starts the shell and runs the checks there, as in the product.
 */
export async function openLessonSandbox(
  driver: SandboxDriver,
  sandboxId: string,
  workspace: string,
): Promise<LessonSandbox & { close(): void }> {
  const shell = await driver.openShell(sandboxId, RUNNER_TERMINAL_SIZE);
  // Decodes UTF-8 across chunk boundaries.
  shell.stream.setEncoding("utf8");
  return {
    typeInTerminal: (keys) => {
      shell.stream.write(keys);
    },
    onTerminalOutput: (listener) => {
      shell.stream.on("data", listener);
      return () => shell.stream.off("data", listener);
    },
    writeFile: async (path, content, { append, mode }) => {
      // Outside the workspace the learner may not write (the image's folders): the engine places it, as for the product.
      if (!append && posix.relative(workspace, path).startsWith("..")) {
        await driver.placeFiles(sandboxId, [{ path, content, ...(mode !== undefined ? { mode } : {}) }]);
        return;
      }
      // As the editor saves: a small script writes stdin to the path (folders made, mode set).
      const script =
        'mkdir -p "$(dirname "$1")" && if [ "$2" = append ]; then cat >>"$1"; else cat >"$1"; fi && if [ -n "$3" ]; then chmod "$3" "$1"; fi';
      const args = [path, append ? "append" : "replace", mode === undefined ? "" : mode.toString(8)];
      const result = await driver.exec(sandboxId, ["bash", "-c", script, "write-file", ...args], { stdin: Buffer.from(content) });
      if (result.exitCode !== 0) throw new Error(`Writing ${path} in the sandbox failed: ${result.stderr.trim()}`);
    },
    runCheck: (script, { timeoutMs }) => driver.runCheck(sandboxId, script, { timeoutMs }),
    readTerminalHistory: async () => {
      // The engine's terminals are tmux sessions ("main" unless named): tmux keeps the whole history.
      const result = await driver.exec(sandboxId, ["tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", "main"]);
      if (result.exitCode !== 0) throw new Error(result.stderr);
      return result.stdout.replace(/\s+$/, "");
    },
    close: () => shell.dispose(),
  };
}

/**
 * Removes what a run pushed under its throw-away user from the real registry
 * (manifests only; the registry's garbage collection frees the blobs).
 * Nothing outside that namespace is touched.
 */
export async function removePushedImages(user: string): Promise<void> {
  if (!user) return;
  const catalog = (await (await fetch(`${REGISTRY_UPSTREAM}/v2/_catalog?n=10000`)).json()) as { repositories?: string[] };
  for (const repository of (catalog.repositories ?? []).filter((name) => name.startsWith(`${user}/`))) {
    const { tags } = (await (await fetch(`${REGISTRY_UPSTREAM}/v2/${repository}/tags/list`)).json()) as { tags?: string[] | null };
    for (const tag of tags ?? []) {
      const head = await fetch(`${REGISTRY_UPSTREAM}/v2/${repository}/manifests/${tag}`, {
        method: "HEAD",
        headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" },
      });
      const digest = head.headers.get("docker-content-digest");
      if (digest) await fetch(`${REGISTRY_UPSTREAM}/v2/${repository}/manifests/${digest}`, { method: "DELETE" });
    }
  }
}

/**
 * Runs a lesson in one way on a fresh sandbox of the learner whose registry
 * variables are `env`, and always destroys the sandbox.
 */
export async function runOnFreshSandbox(
  environment: RunnerEnvironment,
  lesson: Lesson,
  log: Logger,
  options: Omit<RunLessonOptions, "log"> & { env: Record<string, string> },
): Promise<LessonRunResult> {
  const { driver } = environment;
  const { env, ...runOptions } = options;
  const way = runOptions.way ?? "as-written";
  const started = Date.now();
  let sandboxId: string | undefined;
  try {
    const sandbox = await driver.create({ owner: "lessons-runner", lifetimeSeconds: 3600, env, workspace: lesson.workspace });
    sandboxId = sandbox.id;
    log.info("lessons.sandbox_ready", { lesson: lesson.id, way, sandbox: sandbox.id, user: env.DRYDOCK_USER, ms: Date.now() - started });
    const io = await openLessonSandbox(driver, sandbox.id, lesson.workspace);
    try {
      return await runLesson(lesson, io, { ...runOptions, log: (event, fields) => log.info(`lessons.${event}`, fields) });
    } finally {
      io.close();
    }
  } catch (error) {
    log.error("lessons.run_failed", { lesson: lesson.id, way, error });
    return {
      lessonId: lesson.id,
      way,
      passed: false,
      problem: `The runner could not run it: ${error instanceof Error ? error.message : String(error)}`,
      transcript: "",
      steps: [],
      durationMs: Date.now() - started,
    };
  } finally {
    if (sandboxId) await driver.destroy(sandboxId);
  }
}

/**
 * Both passes of a lesson for one throw-away learner: the steps as written on
 * a fresh sandbox, then, when the lesson has variants, the steps performed
 * their second way on another fresh sandbox of the same learner, as a learner
 * coming back another day: the registry namespace still holds what the first
 * pass pushed, and every check must still fail before its step. Removes what
 * the learner pushed.
 */
export async function runLessonBothWays(
  environment: RunnerEnvironment,
  lesson: Lesson,
  log: Logger,
  options: Omit<RunLessonOptions, "log" | "way"> = {},
): Promise<LessonRunResult[]> {
  const env = environment.registryEnv(`runner-${randomBytes(8).toString("hex")}`);
  try {
    const results = [await runOnFreshSandbox(environment, lesson, log, { ...options, env, way: "as-written" })];
    if (hasVariants(lesson)) results.push(await runOnFreshSandbox(environment, lesson, log, { ...options, env, way: "variant" }));
    return results;
  } finally {
    const user = env.DRYDOCK_USER ?? "";
    await removePushedImages(user).catch((error: unknown) => log.warn("lessons.registry_cleanup_failed", { user, error }));
  }
}

/** Runs lessons (both passes each), at most `jobs` lessons at a time; results in the lessons' order. */
export async function runLessons(environment: RunnerEnvironment, lessons: Lesson[], log: Logger, jobs = 1): Promise<LessonRunResult[]> {
  const results: LessonRunResult[][] = new Array(lessons.length);
  let next = 0;
  const worker = async () => {
    while (next < lessons.length) {
      const index = next++;
      const lesson = lessons[index];
      if (lesson) results[index] = await runLessonBothWays(environment, lesson, log);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, lessons.length)) }, worker));
  return results.flat();
}

/** Paths inside the working directory relative to it, others as they are. */
const display = (file: string) => {
  const inside = relative(process.cwd(), file);
  return inside && !inside.startsWith("..") ? inside : file;
};

async function check(dir: string): Promise<number> {
  const { lessons, problems } = await loadLessons(dir);
  for (const problem of problems) console.log(formatProblem(problem, display));
  const count = problems.length;
  console.log(`${lessons.length} lesson(s) valid, ${count} problem${count === 1 ? "" : "s"}.`);
  return count === 0 ? 0 : 1;
}

async function test({ dir = BUILT_IN_LESSONS_DIR, jobs, transcripts, ids }: Extract<LessonsCommand, { command: "test" }>): Promise<number> {
  const { lessons, problems } = await loadLessons(dir);
  if (problems.length > 0) {
    for (const problem of problems) console.log(formatProblem(problem, display));
    console.log("The lessons have problems; fix them (npm run lessons -- check) before testing.");
    return 1;
  }
  const unknown = ids.filter((id) => !lessons.some((lesson) => lesson.id === id));
  if (unknown.length > 0) {
    console.log(`No lesson with id ${unknown.join(", ")}; the lessons are: ${lessons.map((lesson) => lesson.id).join(", ")}.`);
    return 2;
  }
  const selected = ids.length > 0 ? lessons.filter((lesson) => ids.includes(lesson.id)) : lessons;
  const log = createLogger("lessons", (line) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  const environment = await startRunnerEnvironment(log);
  let results: LessonRunResult[];
  try {
    results = await runLessons(environment, selected, log, jobs);
  } finally {
    await environment.close();
  }
  if (transcripts) {
    await mkdir(transcripts, { recursive: true });
    for (const result of results) {
      const name = result.way === "as-written" ? result.lessonId : `${result.lessonId}.${result.way}`;
      await writeFile(join(transcripts, `${name}.txt`), result.transcript);
    }
  }
  console.log(formatRunTable(results, Date.now() - started));
  return results.every((result) => result.passed) ? 0 : 1;
}

async function importKillercoda(scenario: string, out: string): Promise<number> {
  const report = await importKillercodaScenario(scenario, out);
  console.log(formatImportReport(report, display));
  const { problems } = await loadLesson(out);
  for (const problem of problems) console.log(formatProblem(problem, display));
  console.log(problems.length === 0 ? `Wrote ${display(out)}: a valid lesson.` : `Wrote ${display(out)}; fix the problems above.`);
  return problems.length === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  let parsed: LessonsCommand;
  try {
    parsed = parseLessonsArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${LESSONS_USAGE}`);
    return 2;
  }
  switch (parsed.command) {
    case "help":
      console.log(LESSONS_USAGE);
      return 0;
    case "check":
      return check(parsed.dir ?? BUILT_IN_LESSONS_DIR);
    case "test":
      return test(parsed);
    case "import-killercoda":
      return importKillercoda(parsed.scenario, parsed.out);
  }
}

// Run only as a script, so the integration test can import the wiring above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    const fix = error instanceof Error && "fix" in error ? `\n  fix: ${String(error.fix)}` : "";
    console.log(`${error instanceof Error ? error.message : String(error)}${fix}`);
    process.exitCode = 1;
  }
}
