/**
 * The host's package cache (drydock-apt-cache, apt-cacher-ng) as a room
 * prepares it: warmed with the packages the lessons install, and carried as a
 * file to a room with no internet. Used by `npm run cache` (scripts/cache.ts).
 */
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";

/** Where the cache lives: scripts/provision.sh's names, or a test's own. */
export interface PackageCacheStore {
  container: string;
  volume: string;
  network: string;
  image: string;
}

export const PROVISIONED_CACHE: PackageCacheStore = {
  container: "drydock-apt-cache",
  volume: "drydock-apt-cache-data",
  network: "drydock-apt-cache-net",
  image: "drydock/apt-cache:latest",
};

/** The image the lessons' packages are installed for (the lessons build FROM bookworm). */
const WARM_IMAGE = "debian:bookworm-slim";
const CACHE_PORT = 3142;
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/**
 * The packages a lesson folder installs with apt-get: in its steps' commands
 * and in its files (Dockerfiles), wherever `apt-get install` appears. Flags
 * and what follows the command (`&&`, a backtick, a comment) are not names.
 */
export function packagesInstalledBy(text: string): string[] {
  const names = new Set<string>();
  const joined = text.replace(/\\\r?\n/g, " ");
  for (const match of joined.matchAll(/apt(?:-get)? +install\b([^\n&;|`#)]*)/g)) {
    for (const word of (match[1] ?? "").trim().split(/\s+/)) {
      if (!word.startsWith("-") && PACKAGE_NAME.test(word)) names.add(word);
    }
  }
  return [...names].sort();
}

/** Every package the lessons under DIR install (files of any depth). */
export async function lessonPackages(dir: string): Promise<string[]> {
  const names = new Set<string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await stat(path)).size > 1024 * 1024) continue;
    for (const name of packagesInstalledBy(await readFile(path, "utf8"))) names.add(name);
  }
  return [...names].sort();
}

/**
 * Downloads PACKAGES (with their dependencies and recommendations: a
 * superset of what `--no-install-recommends` fetches) through the cache, in a
 * throwaway container on the cache's own network, so the cache holds them
 * and today's package indexes.
 */
export async function warmCache(packages: string[], store: PackageCacheStore = PROVISIONED_CACHE): Promise<void> {
  const bad = packages.filter((name) => !PACKAGE_NAME.test(name));
  if (bad.length > 0) throw new Error(`Not Debian package names: ${bad.join(", ")}.`);
  const proxy = `http://${store.container}:${CACHE_PORT}`;
  await docker(
    [
      "run",
      "--rm",
      "--network",
      store.network,
      "--label",
      "io.drydock.managed=true",
      "--label",
      "io.drydock.role=cache-warm",
      "-e",
      `http_proxy=${proxy}`,
      WARM_IMAGE,
      "sh",
      "-c",
      `apt-get update && apt-get install -y --download-only ${packages.join(" ")}`,
    ],
    `warming the package cache (${store.container}) with ${packages.join(", ")}`,
  );
}

/** Writes the whole cache as a gzipped tar to FILE. */
export async function exportCache(file: string, store: PackageCacheStore = PROVISIONED_CACHE): Promise<void> {
  const out = createWriteStream(file);
  await docker(
    ["run", "--rm", "--user", "0", "--entrypoint", "tar", "-v", `${store.volume}:/cache:ro`, store.image, "-C", "/cache", "-czf", "-", "."],
    `exporting ${store.volume} to ${file}`,
    { stdout: out },
  );
  out.end();
  await finished(out);
}

/**
 * Adds FILE (an export) to the cache: the cache container is stopped while
 * the files go in and started again after; what it held stays.
 */
export async function importCache(file: string, store: PackageCacheStore = PROVISIONED_CACHE): Promise<void> {
  const size = await stat(file).then(
    (info) => info.size,
    () => undefined,
  );
  if (size === undefined) throw new Error(`${file} does not exist: give the file \`npm run cache -- export FILE\` wrote.`);
  const running = await containerRunning(store.container);
  if (running) await docker(["stop", store.container], `stopping ${store.container}`);
  try {
    await docker(
      [
        "run",
        "--rm",
        "-i",
        "--user",
        "0",
        "--entrypoint",
        "sh",
        "-v",
        `${store.volume}:/cache`,
        store.image,
        "-c",
        "tar -C /cache -xzf - && chown -R apt-cacher-ng:apt-cacher-ng /cache",
      ],
      `importing ${file} into ${store.volume} (is it a file \`npm run cache -- export\` wrote?)`,
      { stdin: createReadStream(file) },
    );
  } finally {
    if (running) await docker(["start", store.container], `starting ${store.container} again`);
  }
}

async function containerRunning(name: string): Promise<boolean> {
  const output = await docker(["container", "inspect", "-f", "{{.State.Running}}", name], `finding ${name}`).catch(() => {
    throw new Error(`There is no container ${name}: run \`npm run provision\` first.`);
  });
  return output.trim() === "true";
}

/** Runs the docker CLI; a failure says what was being done and the end of docker's own words. */
function docker(
  args: string[],
  doing: string,
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { stdio: [io.stdin ? "pipe" : "ignore", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    if (io.stdout) child.stdout?.pipe(io.stdout, { end: false });
    else child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    if (io.stdin && child.stdin) {
      io.stdin.pipe(child.stdin);
      child.stdin.on("error", () => {});
    }
    child.on("error", (error) => reject(new Error(`${doing}: cannot run docker (${error.message}).`)));
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${doing} failed (docker exited ${code}):\n${errors.trim().split("\n").slice(-8).join("\n")}`));
    });
  });
}
