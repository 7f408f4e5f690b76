/**
 * `npm run soak:wall`: the wall left open on a moving floor, watched for growth. Starts the
 * dashboard with its embedded simulator (one company, SOAK_AGENTS agents, SOAK_CALL_RATE calls a
 * minute) on free ports and a temporary database, enrols a display token whose pages rotate every
 * SOAK_ROTATE_SECONDS (so the skills screens, the longest lists and the chart are built and torn
 * down again and again), opens the wall in Chromium at 1920x1080 for SOAK_MINUTES (default 30).
 *
 * Once a minute, the next time the summary is on screen (the same page each time, so the DOM is
 * compared like with like), it forces a garbage collection (DevTools HeapProfiler.collectGarbage)
 * and prints one JSON line: the page's JS heap in use and its DOM nodes (DevTools
 * Performance.getMetrics: JSHeapUsedSize, Nodes, which counts detached nodes still held too), its
 * event listeners and elements in the document. At the end one JSON line judges a least-squares
 * line through the last two thirds of the samples (the first third is start-up: code loaded,
 * caches filled): growth beyond HEAP_SLOPE_LIMIT bytes or NODES_SLOPE_LIMIT nodes a minute fails
 * the soak (exit 2). Not part of CI. SKIP_BUILD=1 uses the existing `.next` build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { chromium, type Page } from "@playwright/test";
import { freePorts } from "../helpers/free-port";
import { judgedTail, linearFit } from "./soak-fit";
import { armDeadline, atMost, BenchExit, missedTargets } from "./targets";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const AGENTS = Number(process.env.SOAK_AGENTS ?? 300);
const CALL_RATE = Number(process.env.SOAK_CALL_RATE ?? 120);
const ROTATE_SECONDS = Number(process.env.SOAK_ROTATE_SECONDS ?? 5);
const COMPANY = "90001";
/**
 * Beyond noise: 64 KiB a minute is 90 MiB a day, which a wall left on for weeks would not
 * survive; below it a run of half an hour cannot tell a leak from the heap's own wobble (a few
 * hundred KiB between samples after a full GC). The summary's DOM has a fixed size: any lasting
 * growth of its nodes is held DOM; 2 nodes a minute allows for one stray text node now and then.
 */
const HEAP_SLOPE_LIMIT = 64 * 1024;
const NODES_SLOPE_LIMIT = 2;

let dashboard: ChildProcess | undefined;
let dataDir: string | undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stopDashboard(): void {
  if (dashboard && dashboard.exitCode === null) dashboard.kill("SIGTERM");
}

function removeDataDir(): void {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

async function waitForHealth(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error("dashboard did not become healthy");
}

/** An admin enrols a display token whose pages rotate every ROTATE_SECONDS; the wall link. */
async function createDisplayLink(page: Page, base: string, adminPassword: string): Promise<string> {
  const signIn = await page.context().request.post("/api/auth/sign-in", {
    data: { username: "admin", password: adminPassword },
    headers: { origin: base },
  });
  if (!signIn.ok()) throw new Error(`admin sign-in ${signIn.status()}`);
  await page.goto("/admin/tokens");
  await page.locator("#token-label").fill(`Soak wall ${Date.now().toString(36)}`);
  await page.locator("#token-rotate").fill(String(ROTATE_SECONDS));
  await page.locator("#token-sound").setChecked(true);
  await page.getByTestId("create-token-submit").click();
  const link = page.getByTestId("wall-link");
  await link.waitFor({ timeout: 30_000 });
  return link.inputValue();
}

type TCdp = Awaited<ReturnType<ReturnType<Page["context"]>["newCDPSession"]>>;

/**
 * One sample, taken while the summary is on screen: it comes round once per rotation. A sample
 * whose page rotated away while it was taken is taken again at the next round.
 */
async function measureOnSummary(
  page: Page,
  cdp: TCdp,
  cycleMs: number,
  minute: number,
  started: number,
): Promise<TSample> {
  const summary = page.locator('[data-testid="wall-live-view"][data-page="summary"]');
  for (;;) {
    await summary.waitFor({ timeout: cycleMs });
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const view = await page.evaluate(() => {
      const wall = document.querySelector('[data-testid="wall-live-view"]');
      return {
        elements: document.getElementsByTagName("*").length,
        live: wall?.getAttribute("data-live") === "true",
        page: wall?.getAttribute("data-page"),
      };
    });
    if (view.page !== "summary") {
      await page.locator('[data-testid="wall-live-view"]:not([data-page="summary"])').waitFor();
      continue;
    }
    return {
      minute,
      elapsedS: Math.round((Date.now() - started) / 1000),
      heapUsedBytes: metric("JSHeapUsedSize"),
      domNodes: metric("Nodes"),
      listeners: metric("JSEventListeners"),
      elements: view.elements,
      live: view.live,
    };
  }
}

interface TSample {
  minute: number;
  elapsedS: number;
  heapUsedBytes: number;
  domNodes: number;
  listeners: number;
  elements: number;
  live: boolean;
}

async function main(): Promise<number> {
  const [appPort, controlPort] = (await freePorts(2)) as [number, number];
  dataDir = mkdtempSync(path.join(tmpdir(), "floorwatch-soak-wall-"));
  const base = `http://127.0.0.1:${appPort}`;
  const adminPassword = randomBytes(12).toString("base64url");
  dashboard = spawn(process.execPath, ["--import", "./server/runtime.mjs", "server/index.ts"], {
    env: {
      ...process.env,
      PORT: String(appPort),
      HOST: "127.0.0.1",
      SIM_PORT: "0",
      SIM_CONTROL_PORT: String(controlPort),
      SIM_COMPANIES: COMPANY,
      SIM_AGENTS: String(AGENTS),
      SIM_CALL_RATE: String(CALL_RATE),
      DATABASE_URL: `file:${path.join(dataDir, "soak.db")}`,
      ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForHealth(base, 300_000);

  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const admin = await browser.newContext({ baseURL: base });
    const link = await createDisplayLink(await admin.newPage(), base, adminPassword);
    await admin.close();

    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      baseURL: base,
    });
    const page = await context.newPage();
    await page.goto(link);
    await page
      .locator('[data-testid="wall-live-view"][data-live="true"][data-config="true"]')
      .waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");

    const samples: TSample[] = [];
    const started = Date.now();
    const cycleMs = 15 * ROTATE_SECONDS * 1000;
    for (let minute = 1; minute <= MINUTES; minute++) {
      await sleep(Math.max(0, started + minute * 60_000 - Date.now()));
      const sample = await measureOnSummary(page, cdp, cycleMs, minute, started);
      samples.push(sample);
      process.stdout.write(`${JSON.stringify(sample)}\n`);
    }

    const tail = judgedTail(samples);
    const xs = tail.map((s) => s.elapsedS / 60);
    const heap = linearFit(
      xs,
      tail.map((s) => s.heapUsedBytes),
    );
    const nodes = linearFit(
      xs,
      tail.map((s) => s.domNodes),
    );
    const round = (value: number | undefined) =>
      value === undefined ? null : Math.round(value * 100) / 100;
    const report = {
      soak: "wall",
      machine: {
        cpus: cpus().length,
        node: process.version,
        browser: `chromium ${browser.version()}`,
      },
      config: {
        minutes: MINUTES,
        agents: AGENTS,
        callsPerMinute: CALL_RATE,
        rotateSeconds: ROTATE_SECONDS,
        judgedSamples: tail.length,
      },
      heapSlopeBytesPerMinute: atMost(round(heap?.slope), HEAP_SLOPE_LIMIT),
      domNodesSlopePerMinute: atMost(round(nodes?.slope), NODES_SLOPE_LIMIT),
      heapFirstLastBytes: [
        samples[0]?.heapUsedBytes ?? null,
        samples.at(-1)?.heapUsedBytes ?? null,
      ],
      domNodesFirstLast: [samples[0]?.domNodes ?? null, samples.at(-1)?.domNodes ?? null],
      notLiveSamples: samples.filter((s) => !s.live).length,
    };
    const missed = missedTargets(report);
    process.stdout.write(`${JSON.stringify({ ...report, targets_missed: missed })}\n`);
    return missed.length === 0 ? BenchExit.OK : BenchExit.TARGET_MISSED;
  } finally {
    await browser.close();
  }
}

armDeadline("soak:wall", MINUTES * 60 + 900, () => {
  stopDashboard();
  removeDataDir();
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopDashboard();
    removeDataDir();
    process.exit(130);
  });
}

/** Lets the dashboard stop (its simulator exits with it) before the database goes. */
function finish(code: number): void {
  const exit = () => {
    removeDataDir();
    process.exit(code);
  };
  if (!dashboard || dashboard.exitCode !== null) return exit();
  dashboard.once("exit", exit);
  stopDashboard();
  setTimeout(exit, 5000).unref();
}

main()
  .then(finish)
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    finish(BenchExit.ERROR);
  });
