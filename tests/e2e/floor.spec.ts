import { expect, test } from "@playwright/test";
import { COMPANY, control, openFloor, row, signIn } from "./floor-helpers";

const AGENT = `${COMPANY}_20001`;
const CUSTOMER = "13800138000";

const TEXT = {
  "zh-CN": { title: "实时坐席", ringing: "振铃", calling: "通话中", free: "空闲" },
  en: { title: "Live floor", ringing: "Ringing", calling: "On call", free: "Available" },
} as const;

test.afterEach(async () => {
  await control("/control/release", { company_code: COMPANY });
});

for (const locale of ["zh-CN", "en"] as const) {
  test.describe(`[FLOOR] ${locale}`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await signIn(context, baseURL!, "supervisor", locale);
    });

    test("lists the agents of the floor", async ({ page }) => {
      await openFloor(page);
      await expect(page.getByRole("heading", { name: TEXT[locale].title })).toBeVisible();
      const truth = (await control(`/control/agents?company_code=${COMPANY}`)) as {
        agents: { skills: string[] }[];
      };
      const onFloor = truth.agents.filter((a) => a.skills.length > 0).length;
      await expect(page.getByTestId("filter-count")).toContainText(String(onFloor));
      await expect(row(page, `${COMPANY}_20000`)).toBeVisible();
    });

    test("shows a change forced in the simulator within a second", async ({ page }) => {
      await openFloor(page);
      await page.getByTestId("filter-search").fill(AGENT);
      await expect(page.getByTestId("agent-row")).toHaveCount(1);
      await control("/control/scenario", {
        company_code: COMPANY,
        agents: [{ agent_id: AGENT, status: "FREE" }],
      });
      await expect(row(page, AGENT)).toHaveAttribute("data-status", "FREE");

      const ringAt = Date.now();
      await control("/control/scenario", {
        company_code: COMPANY,
        agents: [{ agent_id: AGENT, status: "RINGING", customer_number: CUSTOMER }],
      });
      await expect(row(page, AGENT)).toHaveAttribute("data-status", "RINGING", { timeout: 1000 });
      expect(Date.now() - ringAt).toBeLessThan(1000);
      await expect(row(page, AGENT).getByTestId("agent-status")).toHaveText(
        new RegExp(TEXT[locale].ringing),
      );
      await expect(row(page, AGENT).getByTestId("agent-numbers")).toContainText(CUSTOMER);

      const talkAt = Date.now();
      await control("/control/scenario", {
        company_code: COMPANY,
        agents: [{ agent_id: AGENT, status: "CALLING", customer_number: CUSTOMER }],
      });
      await expect(row(page, AGENT)).toHaveAttribute("data-status", "CALLING", { timeout: 1000 });
      expect(Date.now() - talkAt).toBeLessThan(1000);
      await expect(row(page, AGENT).getByTestId("agent-status")).toHaveText(
        new RegExp(TEXT[locale].calling),
      );
      await expect(row(page, AGENT).getByTestId("agent-freshness")).toHaveText(/●/);
    });

    test("filters by state, searches and sorts", async ({ page }) => {
      await control("/control/scenario", {
        company_code: COMPANY,
        agents: [
          { agent_id: `${COMPANY}_20000`, status: "RINGING", customer_number: CUSTOMER },
          { agent_id: `${COMPANY}_20002`, status: "REST" },
        ],
      });
      await openFloor(page);

      await page.getByTestId("filter-state-RINGING").click();
      await expect(row(page, `${COMPANY}_20000`)).toBeVisible();
      const statuses = await page
        .getByTestId("agent-row")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(["RINGING"]));
      await page.getByTestId("filter-state-RINGING").click();

      const name =
        (await row(page, `${COMPANY}_20002`).locator("[role=gridcell]").first().textContent()) ??
        "";
      await page.getByTestId("filter-search").fill(name);
      await expect(row(page, `${COMPANY}_20002`)).toBeVisible();
      const names = await page
        .getByTestId("agent-row")
        .evaluateAll((rows) =>
          rows.map((r) => r.querySelector("[role=gridcell]")?.textContent ?? ""),
        );
      expect(names.every((n) => n.includes(name))).toBe(true);
      await page.getByTestId("filter-search").fill("");

      await page.getByTestId("filter-sort").selectOption("status");
      await page.getByTestId("filter-descending").check();
      const order = ["OFFLINE", "FREE", "BUSY", "REST", "RINGING", "CALLING", "ARRANGE"];
      await expect(async () => {
        const sorted = await page
          .getByTestId("agent-row")
          .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status") ?? ""));
        const ranks = sorted.map((s) => order.indexOf(s));
        expect(ranks.length).toBeGreaterThan(5);
        expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      }).toPass({ timeout: 3000 });

      await page.getByTestId("filter-sort").selectOption("agentId");
      await page.getByTestId("filter-descending").uncheck();
      const ids = await page
        .getByTestId("agent-row")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-agent-id") ?? ""));
      expect(ids).toEqual([...ids].sort());
    });
  });
}

test("[FLOOR] viewers see customer numbers masked; the calls view lists the call", async ({
  context,
  baseURL,
  page,
}) => {
  await signIn(context, baseURL!, "viewer", "en");
  await control("/control/scenario", {
    company_code: COMPANY,
    agents: [{ agent_id: AGENT, status: "CALLING", customer_number: CUSTOMER }],
  });
  await openFloor(page);
  await page.getByTestId("filter-search").fill(AGENT);
  await expect(row(page, AGENT).getByTestId("agent-numbers")).toHaveText("138****8000");
  await page.goto("/calls");
  const call = page.locator('[data-testid="call-row"]', { hasText: AGENT });
  await expect(call).toBeVisible({ timeout: 10_000 });
  await expect(call.getByTestId("call-customer")).toHaveText("138****8000");
  await expect(call).toHaveAttribute("data-state", "talking");
});
