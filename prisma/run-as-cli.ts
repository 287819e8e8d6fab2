import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs `main` when the module is the process's entry point (`tsx prisma/x.ts`),
 * not when it is imported: exits with its code, or prints the error's message
 * and exits 1.
 */
export function runAsCli(moduleUrl: string, main: (args: string[]) => Promise<number>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
