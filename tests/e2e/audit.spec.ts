import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { AUDIT_TIME_ZONE, zonedInputValue } from "@/lib/audit/filters";
import { loginAs } from "./helpers/auth";

/**
 * [AUDIT] The audit page as an auditor uses it, in real Chromium against the real server: a
 * supervisor filters their company's interventions, opens one's timeline with the keyboard and
 * downloads the CSV; an admin switches to sign-ins and admin, in Chinese; viewers never get in.
 * The interventions are written into the e2e database the way the pipeline records them.
 */
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

const VIEWPORT = { width: 1440, height: 900 };
const SHOTS = path.join("test-results", "audit-screens");
const RUN = Date.now().toString(36);
const NOW = Date.now();
const call = (name: string) => `e2e-${RUN}-${name}`;
/** Other specs may record interventions in the same database: count only this run's. */
const MINE = `e2e-${RUN}-`;

interface TSeed {
  name: string;
  companyCode: string;
  operation: "interrupt_call" | "substitute";
  target: string;
  reason: string;
  minutesAgo: number;
  outcome: "confirmed" | "failed" | null;
}

const SEEDS: TSeed[] = [
  {
    name: "taken",
    companyCode: "90001",
    operation: "substitute",
    target: "90001_20001",
    reason: "客户投诉：坐席态度恶劣",
    minutesAgo: 3,
    outcome: "confirmed",
  },
  {
    name: "refused",
    companyCode: "90001",
    operation: "interrupt_call",
    target: "90001_20002",
    reason: "通话超时",
    minutesAgo: 2,
    outcome: "failed",
  },
  {
    name: "open",
    companyCode: "90001",
    operation: "interrupt_call",
    // An agent no other spec drives: an open intervention shows on its floor row as in progress.
    target: "90001_29003",
    reason: "",
    minutesAgo: 1,
    outcome: null,
  },
  {
    name: "elsewhere",
    companyCode: "90002",
    operation: "interrupt_call",
    target: "90002_20001",
    reason: "其他企业",
    minutesAgo: 1,
    outcome: "confirmed",
  },
];

/** Rows and events as server/interventions records them (times as Prisma stores them). */
function seed(): void {
  const file = process.env.E2E_DATABASE_FILE;
  if (!file) throw new Error("E2E_DATABASE_FILE is not set: run through playwright.config.ts");
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  const supervisor = db.prepare("SELECT id FROM User WHERE username = 'supervisor'").get() as {
    id: string;
  };
  const insertIntervention = db.prepare(`INSERT INTO Intervention (id, companyCode, operation,
    actorId, actorName, seatAgentId, targetAgentId, callUuid, reason, stage, outcome, code, message,
    idempotencyKey, requestedAt, updatedAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insertEvent = db.prepare(`INSERT INTO AuditEvent (at, type, actorKind, actorId, actorName,
    companyCode, ip, userAgent, data, interventionId) VALUES (?,?,'user',?,?,?,'127.0.0.1','e2e',?,?)`);
  db.transaction(() => {
    for (const s of SEEDS) {
      const id = `${call(s.name)}-iv`;
      const [actorId, actorName] =
        s.companyCode === "90001" ? [supervisor.id, "supervisor"] : [`other-${RUN}`, "other.lead"];
      const t0 = NOW - s.minutesAgo * 60_000;
      const failed = s.outcome === "failed";
      insertIntervention.run(
        id,
        s.companyCode,
        s.operation,
        actorId,
        actorName,
        `${s.companyCode}_20004`,
        s.target,
        call(s.name),
        s.reason,
        s.outcome ?? "acked",
        s.outcome,
        failed ? "4016" : null,
        failed ? "坐席不在通话中" : null,
        `key-${id}`,
        iso(t0),
        iso(t0 + 1200),
      );
      const event = (offset: number, type: string, data: Record<string, unknown>) =>
        insertEvent.run(
          iso(t0 + offset),
          `intervention.${type}`,
          actorId,
          actorName,
          s.companyCode,
          JSON.stringify({ interventionId: id, ...data }),
          id,
        );
      event(0, "requested", {
        operation: s.operation,
        seatAgentId: `${s.companyCode}_20004`,
        targetAgentId: s.target,
        callUuid: call(s.name),
        reason: s.reason,
      });
      event(20, "sent", {});
      if (failed) {
        event(200, "failed", { cause: "cti", code: "4016", msg: "坐席不在通话中", latencyMs: 180 });
        continue;
      }
      event(150, "acked", { latencyMs: 130 });
      if (s.outcome === null) continue;
      event(600, "phone", { event: "callin" });
      event(900, "phone", { event: "start_call", uuid: `leg-${RUN}` });
      event(1200, "confirmed", { latencyMs: 1050 });
    }
  })();
  db.close();
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The downloaded CSV: its first bytes and its lines. */
async function download(page: Page): Promise<{ head: number[]; lines: string[] }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("audit-export").click(),
  ]);
  const bytes = readFileSync(await file.path());
  return {
    head: [...bytes.subarray(0, 3)],
    lines: bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean),
  };
}

test.beforeAll(() => seed());

test.describe("[AUDIT] audit page", () => {
  test.use({ viewport: VIEWPORT });

  test("a supervisor filters, opens a timeline by keyboard and downloads the CSV (en)", async ({
    page,
  }) => {
    await loginAs(page, "supervisor", "en");
    await page.getByTestId("nav-audit").click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole("heading", { name: "Audit", exact: true })).toBeVisible();
    // This run's interventions: from five minutes ago on the pages' clock.
    await page
      .getByLabel("From", { exact: true })
      .fill(zonedInputValue(new Date(NOW - 5 * 60_000 - 60_000), AUDIT_TIME_ZONE).slice(0, 16));
    await page.getByTestId("audit-apply").click();
    await expect(page).toHaveURL(/from=/);
    const rows = page.getByTestId("audit-intervention").filter({ hasText: MINE });
    await expect(rows).toHaveCount(3);
    // Newest first; another company's intervention is not there.
    await expect(rows.nth(0)).toContainText(call("open"));
    await expect(rows.nth(0).getByTestId("audit-outcome")).toContainText("In progress");
    await expect(rows.nth(2)).toContainText("客户投诉：坐席态度恶劣");
    await expect(page.getByText(call("elsewhere"))).toHaveCount(0);
    await shot(page, "supervisor-en-list");

    await page.getByLabel("Outcome", { exact: true }).selectOption("failed");
    await page.getByTestId("audit-apply").click();
    await expect(page).toHaveURL(/outcome=failed/);
    await expect(rows).toHaveCount(1);
    const refused = rows.first();
    await expect(refused).toContainText(call("refused"));
    await expect(refused).toContainText("Force hang-up");
    await expect(refused.getByTestId("audit-outcome")).toHaveText("Failed");

    const open = refused.getByTestId("audit-open-timeline");
    await open.focus();
    await page.keyboard.press("Enter");
    await expect(open).toHaveAttribute("aria-expanded", "true");
    const timeline = page.locator(`#timeline-${call("refused")}-iv`);
    await expect(timeline).toBeVisible();
    const steps = timeline.getByTestId("audit-step");
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0)).toContainText("Requested");
    await expect(steps.nth(1)).toContainText("Sent");
    await expect(steps.nth(1)).toContainText("+20 ms");
    await expect(steps.nth(2)).toContainText("Failed");
    await expect(steps.nth(2)).toContainText("+180 ms");
    await expect(steps.nth(2)).toContainText("4016 · 坐席不在通话中");
    await shot(page, "supervisor-en-timeline");
    await page.keyboard.press("Space");
    await expect(open).toHaveAttribute("aria-expanded", "false");
    await expect(timeline).toBeHidden();

    // The filtered view is its URL: opened again, it shows the same.
    const shared = page.url();
    await page.goto("/floor");
    await page.goto(shared);
    await expect(rows).toHaveCount(1);

    const csv = await download(page);
    expect(csv.head).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.lines[0]).toMatch(/^Requested at \(Asia\/Shanghai\),ID,Company,Supervisor,/);
    const mine = csv.lines.filter((line) => line.includes(MINE));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(`,${call("refused")}-iv,90001,supervisor,`);
    expect(mine[0]).toContain(",Failed,4016,坐席不在通话中,");
    expect(csv.lines.slice(1).every((line) => line.includes(",Failed,"))).toBe(true);
  });

  test("an admin reads it in Chinese, every company, and the sign-ins and admin view", async ({
    page,
  }) => {
    await loginAs(page, "admin", "zh-CN");
    await page.getByTestId("nav-audit").click();
    await expect(page.getByRole("heading", { name: "审计", exact: true })).toBeVisible();
    await page
      .getByLabel("开始时间", { exact: true })
      .fill(zonedInputValue(new Date(NOW - 6 * 60_000), AUDIT_TIME_ZONE).slice(0, 16));
    await page.getByTestId("audit-apply").click();
    const rows = page.getByTestId("audit-intervention").filter({ hasText: MINE });
    await expect(rows).toHaveCount(4);
    await expect(page.getByText(call("elsewhere"))).toBeVisible();
    await expect(rows.filter({ hasText: call("taken") })).toContainText("代接");
    await expect(rows.filter({ hasText: call("taken") }).getByTestId("audit-outcome")).toHaveText(
      "已确认",
    );
    await rows
      .filter({ hasText: call("taken") })
      .getByTestId("audit-open-timeline")
      .click();
    const steps = page.locator(`#timeline-${call("taken")}-iv`).getByTestId("audit-step");
    await expect(steps).toHaveCount(6);
    await expect(steps.nth(3)).toContainText("班长话机振铃");
    await expect(steps.nth(5)).toContainText("已确认");
    await expect(steps.nth(5)).toContainText("+300 毫秒");
    await shot(page, "admin-zh-list-timeline");

    const csv = await download(page);
    expect(csv.head).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.lines[0]).toMatch(/^请求时间\(Asia\/Shanghai\),编号,企业,班长,/);
    expect(csv.lines.filter((line) => line.includes(MINE))).toHaveLength(4);
    const taken = csv.lines.find((line) => line.includes(`,${call("taken")}-iv,`));
    expect(taken).toContain(",代接,90001_20001,");
    expect(taken).toContain(",客户投诉：坐席态度恶劣,已确认,");

    await page.getByTestId("audit-kind-events").click();
    await expect(page).toHaveURL(/kind=events/);
    await expect(page.getByLabel("开始时间", { exact: true })).not.toHaveValue("");
    await page.getByLabel("开始时间", { exact: true }).fill("");
    await page.getByLabel("事件", { exact: true }).selectOption("login.succeeded");
    await page.getByTestId("audit-apply").click();
    const events = page.getByTestId("audit-event");
    await expect(events.first()).toBeVisible();
    await expect(events.first()).toContainText("登录成功");
    await expect(page.getByTestId("audit-intervention")).toHaveCount(0);
    await shot(page, "admin-zh-events");
    const eventsCsv = await download(page);
    expect(eventsCsv.head).toEqual([0xef, 0xbb, 0xbf]);
    expect(eventsCsv.lines[0]).toMatch(/^时间\(Asia\/Shanghai\),编号,事件,事件代码,/);
    expect(eventsCsv.lines.length).toBeGreaterThan(1);
    expect(
      eventsCsv.lines.slice(1).every((line) => line.includes(",登录成功,login.succeeded,")),
    ).toBe(true);

    await page.goto("/audit?outcome=won&from=yesterday");
    await expect(page.getByTestId("form-error")).toHaveText(
      "地址中的以下筛选条件无效：开始时间和结果。请修改或清除。",
    );
    await expect(page.getByTestId("audit-export")).toHaveCount(0);
    await shot(page, "admin-zh-invalid");

    await page.goto("/admin/audit?kind=interventions&outcome=in_progress");
    await expect(page.getByTestId("nav-admin-users")).toBeVisible();
    await expect(page.getByText(call("open"))).toBeVisible();
  });

  test("viewers have no audit page and no link to it", async ({ page }) => {
    await loginAs(page, "viewer", "en");
    await expect(page.getByTestId("nav-audit")).toHaveCount(0);
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/forbidden\?code=forbidden_role$/);
    const response = await page.request.get("/api/audit/export");
    expect(response.status()).toBe(403);
  });
});
