/**
 * `npm run cache -- <command>`: the host's package cache (drydock-apt-cache),
 * for a room of learners.
 *
 *   warm           download every package the built-in lessons install through the cache
 *                  (running the lessons warms it too)
 *   export FILE    write the cache to FILE (a gzipped tar), to carry to a room with no internet
 *   import FILE    add FILE's packages to this host's cache
 *
 * Exit status 0 on success, 1 on failure (the reason on stderr), 2 on bad usage.
 */
import { BUILT_IN_LESSONS_DIR } from "@drydock/lessons";
import { exportCache, importCache, lessonPackages, warmCache } from "./cache-store";

const USAGE = `usage: npm run cache -- warm
       npm run cache -- export FILE
       npm run cache -- import FILE`;

async function main(argv: string[]): Promise<number> {
  const [command, file, ...extra] = argv;
  const needsFile = command === "export" || command === "import";
  if (command === "-h" || command === "--help" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (!(command === "warm" || needsFile) || (needsFile && !file) || extra.length > 0 || (command === "warm" && file)) {
    console.error(command ? `Unknown or incomplete command: ${argv.join(" ")}` : "Name a command: warm, export or import.");
    console.error(USAGE);
    return 2;
  }
  const started = performance.now();
  const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (command === "warm") {
    const packages = await lessonPackages(BUILT_IN_LESSONS_DIR);
    console.error(`Warming the package cache with what the lessons install: ${packages.join(", ")}`);
    await warmCache(packages);
    console.log(`The package cache holds the lessons' packages (${took()}).`);
  } else if (command === "export" && file) {
    await exportCache(file);
    console.log(`Exported the package cache to ${file} (${took()}). On the room's host: npm run cache -- import ${file}`);
  } else if (file) {
    await importCache(file);
    console.log(
      `Imported ${file} into the package cache (${took()}). With no internet at all, provision with DRYDOCK_APT_CACHE_OFFLINE=1 so it never asks Debian's archive.`,
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
