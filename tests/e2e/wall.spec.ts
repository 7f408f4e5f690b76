import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  expect as baseExpect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { z } from "zod";
import { freePorts } from "../helpers/free-port";
import { COMPANY, CONTROL, control, pidListeningOn, startKeptSimulator } from "./floor-helpers";
import { loginAs } from "./helpers/auth";

// Server actions and first renders can take seconds on a cold server.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ mode: "serial", timeout: 180_000 });

/** Outside test-results: another run of Playwright in this tree empties that folder. */
const SHOTS = process.env.WALL_SCREENSHOTS ?? path.join(tmpdir(), "floorwatch-wall-screens");
const SIZES = [
  { name: "1920", viewport: { width: 1920, height: 1080 } },
  { name: "3840", viewport: { width: 3840, height: 2160 } },
] as const;
const LOCALES = ["zh-CN", "en"] as const;
type TLocale = (typeof LOCALES)[number];

/** Agents no other spec drives (interventions use 20001-20004 and 20029, audit 20003). */
const RINGER = `${COMPANY}_20141`;
const SECOND_RINGER = `${COMPANY}_20142`;
const SHOT_RINGER = `${COMPANY}_20143`;

/**
 * Counts the oscillators the page starts (each alert tone is two), and keeps audio suspended
 * until the page has had a trusted click or key press, as an ordinary browser does. Headless
 * Chromium starts audio without one, and Playwright's own evaluations count as activations.
 */
const AUDIO = `
  let gesture = false;
  for (const type of ["pointerdown", "keydown"])
    window.addEventListener(type, (event) => { if (event.isTrusted) gesture = true; }, true);
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    constructor(...args) {
      super(...args);
      if (!gesture) void super.suspend();
    }
    resume() {
      return gesture ? super.resume() : Promise.resolve();
    }
  };
  window.__wallTones = 0;
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__wallTones += 1;
    return create.call(this);
  };
`;

function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

function tones(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __wallTones: number }).__wallTones);
}

/** An admin creates a display token with these wall settings; returns the wall link. */
async function createToken(
  page: Page,
  label: string,
  settings: { rotateSeconds: number; sound: boolean },
): Promise<string> {
  await page.goto("/admin/tokens");
  await page.getByLabel(/^(Label|名称)$/).fill(label);
  await page.locator("#token-rotate").fill(String(settings.rotateSeconds));
  await page.locator("#token-sound").setChecked(settings.sound);
  await page.getByTestId("create-token-submit").click();
  const link = page.getByTestId("wall-link");
  await expect(link).toBeVisible();
  return link.inputValue();
}

/** Sets company 90001's wall thresholds on /admin/wall. */
async function setThresholds(
  page: Page,
  values: Partial<
    Record<"ringAmberS" | "ringRedS" | "talkAmberS" | "talkRedS" | "restMin", number>
  >,
): Promise<void> {
  await page.goto("/admin/wall");
  const form = page.getByTestId(`wall-thresholds-${COMPANY}`);
  for (const [field, value] of Object.entries(values))
    await form.locator(`[id="${COMPANY}-${field}"]`).fill(String(value));
  await form.getByTestId("wall-thresholds-save").click();
  await expect(form.getByTestId("form-success")).toBeVisible();
}

/** Waits until the wall shows a live floor with its config loaded. */
async function waitLive(page: Page, timeout = 30_000): Promise<void> {
  await expect(page.getByTestId("wall-live-view")).toHaveAttribute("data-live", "true", {
    timeout,
  });
  await expect(page.getByTestId("wall-live-view")).toHaveAttribute("data-config", "true", {
    timeout,
  });
}

/** A wall display's browser, enrolled through `link`, in `locale`. */
async function openDisplay(
  browser: Browser,
  baseURL: string,
  link: string,
  locale: TLocale,
  viewport: { width: number; height: number } = SIZES[0].viewport,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: "en-US" });
  await context.addCookies([{ name: "FW_LOCALE", value: locale, url: baseURL }]);
  await context.addInitScript({ content: AUDIO });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/wall$/);
  await waitLive(page);
  return { context, page };
}

async function ring(agentId: string): Promise<void> {
  await control("/control/scenario", {
    company_code: COMPANY,
    agents: [{ agent_id: agentId, status: "RINGING", customer_number: "13912345678" }],
  });
}

/** Ends the agent's test call and hands it back to the traffic model. */
async function release(...agentIds: string[]): Promise<void> {
  await control("/control/scenario", {
    company_code: COMPANY,
    agents: agentIds.map((agent_id) => ({ agent_id, status: "FREE" })),
  });
  await control("/control/release", { company_code: COMPANY, agent_ids: agentIds });
}

/** Whether this spec left the simulator's clock frozen (POST /control/clock). */
let clockFrozen = false;

async function freezeClock(frozen: boolean): Promise<void> {
  await control("/control/clock", { frozen });
  clockFrozen = frozen;
}

/**
 * Rings `agentId` as the one ring of the company's floor, and keeps it the one: the simulator's
 * clock is frozen (no call arrives, no phone starts or stops ringing, `POST /control/clock`) at a
 * moment when no agent of the company rings, and the wall has seen that. The longest-ring tile
 * sums up the whole floor: a ring already older than the test's (the traffic model's answer delay
 * has a long tail; an agent another spec released while ringing rings until the model adopts it,
 * up to a minute) turns the tile amber at once, then ok when it ends, then amber again 20 s into
 * the test's ring, whose red then comes more than 60 s after the first amber. Returns when it
 * rang; call `freezeClock(false)` after `release`.
 */
async function ringAlone(wall: Page, agentId: string): Promise<number> {
  await expect(async () => {
    await freezeClock(true);
    const floor = z
      .object({ agents: z.array(z.object({ agent_id: z.string(), status: z.string() })) })
      .parse(await control(`/control/agents?company_code=${COMPANY}`));
    const ringing = floor.agents.filter((a) => a.status === "RINGING").map((a) => a.agent_id);
    if (ringing.length > 0) {
      await freezeClock(false);
      throw new Error(`ringing on the floor: ${ringing.join(", ")}`);
    }
  }).toPass({ intervals: [500, 1000], timeout: 60_000 });
  const ringingAgents = wall.getByTestId("wall-tile-RINGING").getByTestId("tile-figure");
  await expect(ringingAgents).toHaveText("0");
  await ring(agentId);
  const rangAt = Date.now();
  await expect(ringingAgents).toHaveText("1");
  return rangAt;
}

test.describe("[WALL] the wall display", () => {
  // A test that fails or times out with the simulator's clock frozen must not leave it frozen.
  test.afterEach(async () => {
    if (clockFrozen) await freezeClock(false);
  });

  test("a ring past 60 s turns the longest-ring tile red and sounds the alert, after one click allows sound", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    await loginAs(page, "admin", "en");
    const link = await createToken(page, `Ring wall ${Date.now().toString(36)}`, {
      rotateSeconds: 0,
      sound: true,
    });
    const wall = await openDisplay(browser, baseURL!, link, "en");
    const tile = wall.page.getByTestId("wall-tile-longest-ring");
    await expect(tile).toContainText("amber from 20 s · red from 1 min");
    // No rotation: the summary alone, no page indicator.
    await expect(wall.page.getByTestId("wall-page-tab")).toHaveCount(0);

    // Browsers sound only after a gesture: one click, then a visible "sound on".
    await expect(wall.page.getByTestId("wall-sound-on")).toHaveCount(0);
    await wall.page.getByTestId("wall-sound-enable").click();
    await expect(wall.page.getByTestId("wall-sound-on")).toBeVisible();
    await expect.poll(() => tones(wall.page)).toBe(2);

    try {
      const rangAt = await ringAlone(wall.page, RINGER);
      await expect(tile).toHaveAttribute("data-level", "amber", { timeout: 30_000 });
      await expect(tile.getByTestId("tile-level")).toHaveText("▲ Warning");
      const beforeRed = await tones(wall.page);
      await expect(tile).toHaveAttribute("data-level", "red", { timeout: 60_000 });
      expect(Date.now() - rangAt).toBeGreaterThanOrEqual(59_000);
      await expect(tile.getByTestId("tile-level")).toHaveText("⬣ Alert");
      const alert = wall.page.getByTestId("wall-alert");
      await expect(alert).toBeVisible();
      await expect(alert).toContainText("Longest ring");
      await expect.poll(() => tones(wall.page)).toBeGreaterThanOrEqual(beforeRed + 2);
      await shot(wall.page, "en-1920-alert-ring-red");
    } finally {
      try {
        await release(RINGER);
      } finally {
        await freezeClock(false);
      }
    }
    await expect(tile).toHaveAttribute("data-level", "ok", { timeout: 10_000 });
    await wall.context.close();
  });

  test("thresholds changed by an admin reach an open wall at once, without a reload", async ({
    page,
    browser,
    baseURL,
  }) => {
    await loginAs(page, "admin", "zh-CN");
    const link = await createToken(page, `Threshold wall ${Date.now().toString(36)}`, {
      rotateSeconds: 0,
      sound: false,
    });
    const wall = await openDisplay(browser, baseURL!, link, "zh-CN", SIZES[1].viewport);
    // display.sound=false: no button, never a tone.
    await expect(wall.page.getByTestId("wall-sound-enable")).toHaveCount(0);
    await expect(wall.page.getByTestId("wall-sound-on")).toHaveCount(0);
    const tile = wall.page.getByTestId("wall-tile-longest-ring");
    await expect(tile).toContainText("20 秒起黄色 · 1 分钟起红色");
    await wall.page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    try {
      // Its own ring alone: an older ring elsewhere on the floor would make the tile amber now.
      await ringAlone(wall.page, SECOND_RINGER);
      await expect(tile).toHaveAttribute("data-level", "ok");
      await setThresholds(page, { ringAmberS: 2, ringRedS: 4, restMin: 30 });
      await expect(tile).toContainText("2 秒起黄色 · 4 秒起红色", { timeout: 5000 });
      await expect(tile).toHaveAttribute("data-level", "red", { timeout: 5000 });
      await expect(wall.page.getByTestId("wall-tile-rest-over")).toContainText("小休超过 30 分钟");
      await expect(wall.page.getByTestId("wall-alert")).toContainText("最长振铃");
      await shot(wall.page, "zh-CN-3840-thresholds-lowered-live");
      expect(
        await wall.page.evaluate(
          () => (window as unknown as { __sameDocument?: boolean }).__sameDocument,
        ),
      ).toBe(true);
      expect(await tones(wall.page)).toBe(0);
    } finally {
      try {
        await setThresholds(page, { ringAmberS: 20, ringRedS: 60, restMin: 15 });
        await release(SECOND_RINGER);
      } finally {
        await freezeClock(false);
      }
    }
    await expect(tile).toContainText("20 秒起黄色 · 1 分钟起红色", { timeout: 5000 });
    await wall.context.close();
  });

  test("revoking its display token ends the wall within seconds, and it stops reconnecting", async ({
    page,
    browser,
    baseURL,
  }) => {
    await loginAs(page, "admin", "en");
    const label = `Revoked wall ${Date.now().toString(36)}`;
    const link = await createToken(page, label, { rotateSeconds: 20, sound: true });
    const wall = await openDisplay(browser, baseURL!, link, "en");
    await expect(wall.page.getByTestId("wall-label")).toHaveText(label);
    await expect(wall.page.getByTestId("wall-company")).toHaveText(COMPANY);
    let sockets = 0;
    wall.page.on("websocket", () => {
      sockets += 1;
    });

    await page.goto("/admin/tokens");
    await page.getByTestId(`token-${label}`).getByTestId("revoke").click();
    await page.getByTestId(`token-${label}`).getByTestId("revoke-confirm").click();
    const revokedAt = Date.now();
    await expect(wall.page.getByTestId("wall-revoked")).toBeVisible({ timeout: 5000 });
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    await expect(wall.page.getByTestId("wall-revoked")).toContainText(
      "This wall display has been revoked",
    );
    // The floor has left the page, and nothing comes back.
    await expect(wall.page.getByTestId("wall-live-view")).toHaveCount(0);
    await expect(wall.page.getByTestId("wall-tile-FREE")).toHaveCount(0);
    await wall.page.waitForTimeout(6000);
    expect(sockets).toBe(0);
    await expect(wall.page.getByTestId("wall-live-view")).toHaveCount(0);
    await shot(wall.page, "en-1920-revoked");
    await wall.context.close();
  });

  test("a CTI outage under an open wall says since when and why it is not live, and it comes back by itself", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await loginAs(page, "admin", "en");
    const link = await createToken(page, `Outage wall ${Date.now().toString(36)}`, {
      rotateSeconds: 0,
      sound: true,
    });
    const wall = await openDisplay(browser, baseURL!, link, "en");
    const health = z
      .object({ cti: z.object({ url: z.string() }) })
      .parse(await (await page.request.get("/api/health")).json());
    const ctiPort = Number(new URL(health.cti.url.replace(/^ws/, "http")).port);
    const simPid = pidListeningOn(ctiPort);
    expect(simPid, `no process listens on ${ctiPort}`).toBeDefined();
    // The simulator's owner is the dashboard, not the simulator's parent: after
    // floor-outage.spec.ts that parent is the keeper of a replacement, which exits with it.
    const dashboardPid = pidListeningOn(Number(new URL(baseURL!).port));
    expect(dashboardPid, "no process listens on the dashboard's port").toBeDefined();
    process.kill(simPid!, "SIGKILL");

    const mark = wall.page.getByTestId("wall-live");
    await expect(mark).toHaveAttribute("data-live", "false", { timeout: 10_000 });
    await expect(mark).toContainText(/Not live since \d\d:\d\d:\d\d/);
    await expect(wall.page.getByTestId("wall-not-live")).toContainText("CTI");
    await shot(wall.page, "en-1920-cti-down");

    startKeptSimulator(
      { SIM_PORT: String(ctiPort), SIM_CONTROL_PORT: new URL(CONTROL).port, LOG_LEVEL: "warn" },
      dashboardPid!,
    );
    await waitLive(wall.page, 60_000);
    await expect(wall.page.getByTestId("wall-not-live")).toHaveCount(0);
    await expect(mark).toHaveText("● Live");
    await wall.context.close();
  });

  test("the server restarted under an open wall comes back by itself, and the chart keeps the history from before", async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    const server = await SecondServer.start();
    try {
      const base = server.base;
      const context = await browser.newContext({ viewport: SIZES[0].viewport, baseURL: base });
      const signIn = await context.request.post("/api/auth/sign-in", {
        data: { username: "supervisor", password: process.env.DEMO_PASSWORD ?? "floorwatch-demo" },
        headers: { origin: base },
      });
      expect(signIn.status(), await signIn.text()).toBe(200);
      await context.addCookies([{ name: "FW_LOCALE", value: "en", url: base }]);

      // The history recorder writes one row a minute; wait for the first.
      const history = async () =>
        ZHistoryAnswer.parse(
          await (await context.request.get(`/api/wall/${COMPANY}/history?hours=1`)).json(),
        ).points.map((p) => p.minute);
      await expect.poll(history, { timeout: 80_000, intervals: [2000] }).not.toEqual([]);
      const before = await history();

      const page = await context.newPage();
      await page.goto("/wall?page=history");
      await waitLive(page);
      await expect(page.getByTestId("wall-live-view")).toHaveAttribute("data-page", "history");
      const chart = page.getByTestId("wall-history-chart");
      await expect(chart.locator("canvas")).toBeVisible();
      expect(Number(await chart.getAttribute("data-from"))).toBeLessThanOrEqual(before[0]!);

      await server.stop();
      const mark = page.getByTestId("wall-live");
      await expect(mark).toHaveAttribute("data-live", "false", { timeout: 10_000 });
      await expect(mark).toContainText(/Not live since \d\d:\d\d:\d\d/);
      await expect(page.getByTestId("wall-not-live")).toBeVisible();
      await shot(page, "en-1920-server-down");

      const refetched = page.waitForResponse(
        (r) => r.url().includes(`/api/wall/${COMPANY}/history`) && r.status() === 200,
        { timeout: 120_000 },
      );
      await server.restart();
      // No touch: the same page finds the server again, goes live and asks for the history.
      await waitLive(page, 120_000);
      await expect(mark).toHaveAttribute("data-live", "true");
      await refetched;
      await expect(chart.locator("canvas")).toBeVisible();
      await expect
        .poll(async () => Number(await chart.getAttribute("data-from")))
        .toBeLessThanOrEqual(before[0]!);
      await context.close();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  test("every page at 1080p and 4K in zh-CN and en, read-only, numbers masked for a display and absent for a user", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    await loginAs(page, "admin", "en");
    // The chart needs recorded minutes: on a fresh run the recorder has written few yet.
    await expect
      .poll(
        async () =>
          ZHistoryAnswer.parse(
            await (await page.request.get(`/api/wall/${COMPANY}/history?hours=8`)).json(),
          ).points.length,
        { timeout: 130_000, intervals: [5000] },
      )
      .toBeGreaterThanOrEqual(2);
    // An admin of every company picks one first; the address keeps it.
    await page.goto("/wall");
    const choices = page.getByTestId("wall-companies").getByRole("link");
    await expect(choices).toHaveText([COMPANY, "90002"]);
    await choices.first().click();
    await expect(page).toHaveURL(new RegExp(`/wall\\?company=${COMPANY}$`));
    await waitLive(page);
    const link = await createToken(page, `Floor 3 wall ${Date.now().toString(36)}`, {
      rotateSeconds: 60,
      sound: true,
    });
    await ring(SHOT_RINGER);
    try {
      const wall = await openDisplay(browser, baseURL!, link, "en");
      // Read-only: the one control is the sound button, which changes nothing on the server.
      await expect(wall.page.locator("button, input, select, textarea, form, a[href]")).toHaveCount(
        1,
      );
      await expect(wall.page.getByTestId("wall-sound-enable")).toBeVisible();
      for (const locale of LOCALES) {
        await wall.context.addCookies([{ name: "FW_LOCALE", value: locale, url: baseURL! }]);
        for (const size of SIZES) {
          await wall.page.setViewportSize(size.viewport);
          for (const kind of ["summary", "skills", "longest", "history"] as const) {
            await wall.page.goto(`/wall?page=${kind}`);
            await waitLive(wall.page);
            const view = wall.page.getByTestId("wall-live-view");
            await expect(view).toHaveAttribute("data-page", kind);
            await expect(
              wall.page.locator(`[data-testid="wall-page-tab"][aria-current="page"]`),
            ).toHaveAttribute("data-page", kind);
            if (kind === "history")
              await expect(
                wall.page.getByTestId("wall-history-chart").locator("canvas"),
              ).toBeVisible();
            if (kind === "skills")
              await expect(wall.page.getByTestId("wall-agent").first()).toBeVisible();
            if (kind === "longest") {
              await expect(
                wall.page.locator(`[data-testid="wall-long-ring"][data-agent-id="${SHOT_RINGER}"]`),
              ).toBeVisible();
              const text = await wall.page.getByTestId("wall-longest").innerText();
              expect(text).not.toMatch(/\d{11}/);
            }
            await shot(wall.page, `${locale}-${size.name}-${kind}`);
          }
        }
      }
      await wall.context.close();

      // A signed-in user's wall shows no customer number at all, masked or not.
      const user = await browser.newContext({ viewport: SIZES[0].viewport });
      const userPage = await user.newPage();
      await loginAs(userPage, "supervisor", "en");
      await userPage.goto("/wall?page=longest");
      await waitLive(userPage);
      await expect(
        userPage.locator(`[data-testid="wall-long-ring"][data-agent-id="${SHOT_RINGER}"]`),
      ).toBeVisible();
      const longest = await userPage.getByTestId("wall-longest").innerText();
      expect(longest).not.toMatch(/\d{3}\*+\d{2,4}|\d{11}|13912345678/);
      await user.close();
    } finally {
      await release(SHOT_RINGER);
    }
  });
});

const ZHistoryAnswer = z.object({ points: z.array(z.object({ minute: z.number() })) });

/**
 * A second dashboard with its embedded simulator, on ports and a database of its own, that the
 * spec can stop and start again (the one playwright.config.ts starts must stay up for the others).
 */
class SecondServer {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly port: number,
    private readonly controlPort: number,
    private readonly dataDir: string,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SecondServer> {
    const [port, controlPort] = (await freePorts(2)) as [number, number];
    const server = new SecondServer(
      port,
      controlPort,
      mkdtempSync(path.join(tmpdir(), "floorwatch-wall-restart-")),
    );
    await server.restart();
    return server;
  }

  /** Starts the dashboard (again) on the same ports and database, and waits until it is healthy. */
  async restart(): Promise<void> {
    this.child = spawn(process.execPath, ["--import", "./server/runtime.mjs", "server/index.ts"], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        SIM_PORT: "0",
        SIM_CONTROL_PORT: String(this.controlPort),
        SIM_COMPANIES: COMPANY,
        DATABASE_URL: `file:${path.join(this.dataDir, "wall.db")}`,
        LOG_LEVEL: "warn",
        // playwright.config.ts's server built .next for this tree.
        SKIP_BUILD: "1",
        DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? "floorwatch-demo",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.base}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error("the second dashboard did not become healthy");
  }

  /** SIGTERM: the dashboard stops its simulator and closes its sockets, as on a restart. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
