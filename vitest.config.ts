import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * FW_TEST_DB=postgres (npm run test:integration:pg) runs the integration tests on PostgreSQL. Those
 * that never open Floorwatch's database (the simulator, the CTI channel and seat, the poll burst,
 * the benchmarks' own harness on its SQLite file) would run the same code again: the SQLite run
 * has them.
 */
const DATABASE_FREE = [
  "tests/integration/sim/**",
  "tests/integration/cti-channel/**",
  "tests/integration/bench/**",
  "tests/integration/cti/seat.test.ts",
  "tests/integration/floor/poll-burst.test.ts",
];
const onPostgres = process.env.FW_TEST_DB === "postgres";

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
          exclude: [...configDefaults.exclude, ...(onPostgres ? DATABASE_FREE : [])],
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
