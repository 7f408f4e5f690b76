import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Outside Next.js, `server-only` is its empty build (server/runtime.mjs does the same for Node).
      "server-only": `${root}node_modules/server-only/empty.js`,
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Real sockets and timers: two cores, so do not oversubscribe.
          maxWorkers: 2,
          // FW_TEST_DB=postgres: a migrated template database for the run, dropped at its end.
          globalSetup: ["tests/integration/helpers/postgres-setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
