import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./database-url";
import { twinSchema } from "./postgresql-schema";

const original = fs.readFileSync(path.join(repoRoot, "prisma/schema.prisma"), "utf8");

describe("twinSchema", () => {
  it("is prisma/schema.prisma for PostgreSQL, its client generated beside the SQLite one, marked as generated", () => {
    const twin = twinSchema(original);
    expect(twin).toMatch(/^\/\/ GENERATED from prisma\/schema.prisma/);
    expect(twin).toMatch(/datasource db \{\s*provider = "postgresql"\s*\}/);
    expect(twin).toContain('output   = "../../apps/web/generated/prisma-postgresql"');
    expect(twin).not.toContain('"sqlite"');
    // everything else, every model and comment, unchanged
    const strip = (text: string) =>
      text
        .replace(/^\/\/ GENERATED.*\n.*\n\n/, "")
        .replace(/provider = "\w+"/, "")
        .replace(/output\s*=.*/, "");
    expect(strip(twin)).toBe(strip(original));
  });

  it("refuses a schema whose datasource or client output it cannot place, saying which", () => {
    expect(() => twinSchema(original.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(
      /datasource `provider = "sqlite"`.*found 0/,
    );
    expect(() => twinSchema(original.replace('output   = "../apps/web/generated/prisma"', 'output = "elsewhere"'))).toThrow(
      /client `output`/,
    );
  });
});
