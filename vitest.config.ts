import { defineConfig } from "vitest/config";

/**
 * Two projects: "unit" (pure logic, fast, no Docker) and "integration"
 * (real Docker engine, real sandboxes, real socket.io; needs `npm run provision`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,packages,prisma,scripts,deploy,test-support}/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.integration.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["{apps,packages,prisma,scripts,deploy,test-support}/**/*.integration.test.ts"],
          globalSetup: ["scripts/leak-check.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
