import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2ePort } from "./tests/e2e/helpers/env";
import { freePortsSync } from "./tests/helpers/free-port";

/** Debian's Chromium by default; PLAYWRIGHT_CHROMIUM_PATH points elsewhere (e.g. Playwright's own build). */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Free ports and a fresh database per run, so two runs on one machine never meet. The config is
 * evaluated again in every worker: the values are chosen once, in the runner, and kept in
 * process.env, which the workers inherit (tests/e2e helpers read the same variables).
 */
if (!process.env.E2E_PORT || !process.env.E2E_SIM_CONTROL_PORT) {
  const [appPort, controlPort] = freePortsSync(2);
  process.env.E2E_PORT ||= String(appPort);
  process.env.E2E_SIM_CONTROL_PORT ||= String(controlPort);
}
if (!process.env.E2E_DATABASE_FILE) {
  process.env.E2E_TMP_DIR = mkdtempSync(path.join(tmpdir(), "floorwatch-e2e-"));
  process.env.E2E_DATABASE_FILE = path.join(process.env.E2E_TMP_DIR, "e2e.db");
}
const port = e2ePort("E2E_PORT");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  globalTeardown: "./tests/e2e/global-teardown.ts",
  webServer: {
    command: "node --import ./server/runtime.mjs server/index.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      SIM_PORT: "0",
      SIM_CONTROL_PORT: String(e2ePort("E2E_SIM_CONTROL_PORT")),
      DATABASE_URL: `file:${process.env.E2E_DATABASE_FILE}`,
      LOG_LEVEL: "warn",
      // Seeded accounts for tests/e2e/helpers/auth.ts (the admin's only on a fresh database).
      ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
      DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? "floorwatch-demo",
      // Every request of every spec comes from 127.0.0.1: with the default 30 failures per address
      // per 15 minutes, the failed sign-ins and refused display links of earlier tests (and of
      // retries or --repeat-each) would make a later test's sign-in "rate_limited". The account
      // lockout (5 per account and address) keeps its default; tests/unit and tests/integration
      // cover the address limit.
      AUTH_IP_MAX_FAILURES: "10000",
    },
  },
});
