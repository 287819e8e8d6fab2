import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from "./password";

const ann = { email: "ann.lee@example.org", name: "Ann Lee" };

describe("passwordProblem", () => {
  it("accepts a long password of varied characters", () => {
    expect(passwordProblem("correct horse battery", ann)).toBeUndefined();
  });

  it("refuses an empty, short, monotonous or too long password, saying what to choose", () => {
    expect(passwordProblem("", ann)).toMatch(/empty/);
    expect(passwordProblem("   ", ann)).toMatch(/empty/);
    expect(passwordProblem("abc123", ann)).toMatch(/too short \(6 characters\).*at least 10/);
    expect(passwordProblem("aaaaaaaaaaaaaa", ann)).toMatch(/at least 5 different/);
    expect(passwordProblem(`${"x".repeat(150)}abcdefghijklmnopqrstuvwxyz1234567890`, ann)).toBeUndefined();
    expect(passwordProblem(`${"ab".repeat(101)}cdefg`, ann)).toMatch(/too long/);
  });

  it("refuses a password that contains the account's name or mailbox", () => {
    expect(passwordProblem("ann.lee-2026!", ann)).toMatch(/name or e-mail/);
    expect(passwordProblem("my ANN LEE password", ann)).toMatch(/name or e-mail/);
  });
});

describe("hashPassword", () => {
  it("makes an argon2id PHC string with a fresh salt that verifies only the same password", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword(first, "correct horse battery")).toBe(true);
    expect(await verifyPassword(first, "correct horse battery!")).toBe(false);
  });

  it("never matches a malformed hash, nor the decoy", async () => {
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
    expect(await verifyAgainstDecoy("decoy password nobody has")).toBe(false);
  });
});
