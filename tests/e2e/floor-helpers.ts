import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { e2ePort } from "./helpers/env";

/** The simulator's control API of the e2e server (playwright.config.ts webServer). */
export const CONTROL = `http://127.0.0.1:${e2ePort("E2E_SIM_CONTROL_PORT")}`;
export const COMPANY = "90001";
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "floorwatch-demo";

/** Signs in through the JSON sign-in route (same session cookie as the login form) and picks the UI language. */
export async function signIn(
  context: BrowserContext,
  baseURL: string,
  username: "supervisor" | "viewer",
  locale: "zh-CN" | "en",
): Promise<void> {
  const response = await context.request.post("/api/auth/sign-in", {
    data: { username, password: DEMO_PASSWORD },
    headers: { origin: baseURL },
  });
  expect(response.status(), await response.text()).toBe(200);
  await context.addCookies([{ name: "FW_LOCALE", value: locale, url: baseURL }]);
}

export async function control(pathName: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${CONTROL}${pathName}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathName}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Waits until the floor grid shows live rows. */
export async function openFloor(page: Page): Promise<void> {
  await page.goto("/floor");
  await expect(page.getByTestId("floor-view")).toHaveAttribute("data-live", "true", {
    timeout: 20_000,
  });
  await expect(page.getByTestId("agent-row").first()).toBeVisible();
}

export function row(page: Page, agentId: string) {
  return page.locator(`[data-testid="agent-row"][data-agent-id="${agentId}"]`);
}

/** The pid listening on a TCP port (the embedded simulator), found through /proc. */
export function pidListeningOn(port: number): number | undefined {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex) && cols[3] === "0A" && cols[9]) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        // The fd closed meanwhile.
      }
    }
  }
  return undefined;
}

/**
 * Starts a simulator on the given ports that lives exactly as long as `ownerPid` (the dashboard
 * under test): a small keeper process watches the owner and takes the simulator down with it.
 */
export function startKeptSimulator(env: Record<string, string>, ownerPid: number): void {
  const keeper = `
    const { spawn } = require("node:child_process");
    const sim = spawn(process.execPath, ["--import", "tsx", ${JSON.stringify(path.join(process.cwd(), "server/sim/main.ts"))}], { stdio: "ignore", env: process.env });
    const timer = setInterval(() => {
      try { process.kill(${ownerPid}, 0); } catch { sim.kill("SIGKILL"); clearInterval(timer); process.exit(0); }
    }, 1000);
    sim.on("exit", () => process.exit(0));
  `;
  const child = spawn(process.execPath, ["-e", keeper], {
    env: { ...process.env, ...env },
    stdio: "ignore",
    detached: true,
  });
  child.unref();
}

/** The parent pid of a process (the dashboard that spawned the embedded simulator). */
export function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(afterName[1]);
}
