// Prisma 7 configuration (read by every `prisma` CLI command run from the repo root).
// The database URL rule lives in prisma/database-url.ts so the CLI, the offline migrator
// (prisma/migrate.ts) and the web app always point at the same file. See prisma/README.md.
import { defineConfig } from "prisma/config";
import { resolveDatabaseUrl } from "./prisma/database-url";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: resolveDatabaseUrl() },
});
