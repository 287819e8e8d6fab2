import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

export interface InstructorAccount {
  name: string;
  email: string;
  password: string;
}

/**
 * An instructor account made as an operator makes it: `npm run admin --
 * create-instructor …` against the given database, the password piped in.
 * Resolves to the command's output; rejects with its message (e.g. the e-mail is taken).
 */
export function createInstructorWithAdminCommand(databaseUrl: string, account: InstructorAccount): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "scripts/admin.ts", "create-instructor", "--email", account.email, "--name", account.name, "--password-stdin"],
      { cwd: join(import.meta.dirname, ".."), env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => (error ? reject(new Error(`npm run admin -- create-instructor failed: ${stderr}`)) : resolve(stdout)),
    );
    child.stdin?.end(`${account.password}\n`);
  });
}

/** Signs in on the sign-in page as a person would, and waits for the instructor's home. */
export async function signInAsInstructor(page: Page, base: string, account: InstructorAccount): Promise<void> {
  await page.goto(`${base}/instructor/login`);
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`Signed in as ${account.name}`)).toBeVisible();
}
