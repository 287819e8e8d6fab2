// Prisma 7 configuration (read by every `prisma` CLI command run from the repo root).
// The database URL rule lives in prisma/database-url.ts so the CLI, the offline migrator
// (prisma/migrate.ts) and the web app always point at the same database. A postgresql://
// DATABASE_URL selects the PostgreSQL twin (prisma/postgresql/). See prisma/README.md.
import { defineConfig } from "prisma/config";
import { databaseKind, resolveDatabaseUrl } from "./prisma/database-url";

const url = resolveDatabaseUrl();
const folder = databaseKind(url) === "postgresql" ? "prisma/postgresql" : "prisma";

export default defineConfig({
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  datasource: { url },
});
