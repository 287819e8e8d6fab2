import { existsSync } from "node:fs";

/**
 * Where a program from Debian's packages is (the environment variable
 * `override` may point elsewhere); a missing one is an error that says which
 * package brings it.
 */
export function debianProgram(override: string, path: string, debianPackage: string): string {
  const command = process.env[override] ?? path;
  if (!existsSync(command))
    throw new Error(
      `${command} is missing: install Debian's package (apt-get install -y ${debianPackage}; npm test's provisioning does) or set ${override}.`,
    );
  return command;
}
