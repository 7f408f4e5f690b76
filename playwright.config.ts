import { defineConfig } from "@playwright/test";

/** Debian's Chromium by default; PLAYWRIGHT_CHROMIUM_PATH points elsewhere (e.g. Playwright's own build). */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3210);

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
  webServer: {
    command: "node --import tsx server/index.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      SIM_PORT: "0",
      SIM_CONTROL_PORT: String(Number(process.env.E2E_SIM_CONTROL_PORT ?? 3211)),
      DATABASE_URL: "file:./data/e2e.db",
      LOG_LEVEL: "warn",
      // Seeded accounts for tests/e2e/helpers/auth.ts (the admin's only on a fresh e2e.db).
      ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
      DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? "floorwatch-demo",
    },
  },
});
