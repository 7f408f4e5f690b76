import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  expect as baseExpect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from "@playwright/test";
import WebSocket from "ws";
import { COMPANY, control, openFloor, row, signIn } from "./floor-helpers";
import { loginAs, setLocale } from "./helpers/auth";

// Server actions and first renders can take seconds on a cold server.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 180_000 });

/** The demo supervisor's CTI seat and the simulator's password for every agent. */
const SEAT = `${COMPANY}_20004`;
const SECOND_SEAT = `${COMPANY}_20029`;
const CTI_PASSWORD = "Aa123321.";
const HANG_UP_TARGET = `${COMPANY}_20001`;
const TAKE_OVER_TARGET = `${COMPANY}_20002`;
const IDLE = `${COMPANY}_20003`;
const CUSTOMER = "13800138000";
const SECOND = {
  username: `lead${Date.now().toString(36)}`,
  password: "second-supervisor-pass",
};
const VIEWPORT = { width: 1600, height: 900 };
/** Outside test-results: another run of Playwright in this tree empties that folder. */
const SHOTS =
  process.env.INTERVENTIONS_SCREENSHOTS ?? path.join(tmpdir(), "floorwatch-interventions-screens");

const TEXT = {
  "zh-CN": {
    hangUp: "强拆",
    takeOver: "代接",
    confirmed: "已确认",
    seatUnlinked: /请先在右上角接入您的坐席/,
    reasonRequired: "原因(必填)",
  },
  en: {
    hangUp: "Force hang-up",
    takeOver: "Take over",
    confirmed: "Confirmed",
    seatUnlinked: /Link your seat first/,
    reasonRequired: "Reason (required)",
  },
} as const;

function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US" });
  return { context, page: await context.newPage() };
}

/** Shows one agent's row on the (virtualized) grid. */
async function focusAgent(page: Page, agentId: string): Promise<void> {
  await page.getByTestId("filter-search").fill(agentId);
  await expect(page.getByTestId("agent-row")).toHaveCount(1);
}

async function openSeat(page: Page): Promise<void> {
  const seat = page.getByTestId("seat-control");
  if ((await seat.getAttribute("open")) === null) await seat.locator("summary").click();
}

/** Links the supervisor's seat through the header, going through "in use elsewhere" first. */
async function linkSeat(page: Page, screenshot?: string): Promise<void> {
  await openSeat(page);
  await page.getByTestId("seat-link").click();
  const dialog = page.getByTestId("link-seat-dialog");
  await expect(dialog).toBeVisible();
  const password = dialog.getByTestId("seat-password");
  await expect(password).toHaveAttribute("type", "password");
  await expect(password).toHaveAttribute("autocomplete", "off");
  await password.fill("not-the-password");
  await dialog.getByTestId("seat-link-submit").click();
  // The simulator's floor has the seat's agent checked in (the scenario below): in use elsewhere.
  const error = dialog.getByTestId("link-seat-error");
  await expect(error).toHaveAttribute("data-code", "seat_in_use");
  await expect(error).toContainText(SEAT);
  await dialog.getByTestId("seat-link-force").click();
  await expect(error).toHaveAttribute("data-code", "seat_wrong_password");
  await password.fill(CTI_PASSWORD);
  await expect(error).toHaveCount(0);
  await dialog.getByTestId("seat-link-submit").click();
  await expect(error).toHaveAttribute("data-code", "seat_in_use");
  if (screenshot) await shot(page, screenshot);
  await dialog.getByTestId("seat-link-force").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("seat-control")).toHaveAttribute("data-state", "linked");
  await expect(page.getByTestId("seat-control")).toHaveAttribute("data-agent-status", /FREE|BUSY/);
  await expect(page.getByTestId("seat-agent")).toHaveText(SEAT);
}

async function unlinkSeat(page: Page): Promise<void> {
  await openSeat(page);
  await page.getByTestId("seat-unlink").click();
  await expect(page.getByTestId("seat-control")).toHaveAttribute("data-state", "unlinked");
}

/** After a failure too: a seat left linked holds its agent, which the next scenario needs. */
async function unlinkIfLinked(page: Page): Promise<void> {
  if (page.isClosed()) return;
  await page.goto("/status").catch(() => undefined);
  const seat = page.getByTestId("seat-control");
  await expect(seat)
    .not.toHaveAttribute("data-state", "unknown")
    .catch(() => undefined);
  if ((await seat.getAttribute("data-state").catch(() => null)) === "linked")
    await unlinkSeat(page);
}

/**
 * Checks the seat's agent in from another "device" (a WebSocket of this test) and resolves once
 * the CTI answered; the seat in the browser is kicked off. Close the returned socket to check out.
 */
async function checkInElsewhere(page: Page): Promise<WebSocket> {
  const health = (await (await page.request.get("/api/health")).json()) as { cti: { url: string } };
  const handshake = Buffer.from(
    JSON.stringify({ agent_id: SEAT, company_code: COMPANY, os: "e2e-phone" }),
  ).toString("base64url");
  const socket = new WebSocket(`${health.cti.url.replace(/\/+$/, "")}/msg/${handshake}`);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { msg_type?: string; code?: string };
      if (frame.msg_type === "connect")
        socket.send(
          JSON.stringify({
            msg_type: "checkin",
            req_id: "e2e-1",
            company_code: COMPANY,
            agent_id: SEAT,
            ext_id: SEAT,
            agent_pwd: CTI_PASSWORD,
            os: "e2e-phone",
          }),
        );
      else if (frame.msg_type === "checkin") {
        if (frame.code === "0") resolve();
        else reject(new Error(`checkin ${frame.code}`));
      }
    });
  });
  return socket;
}

/** The panel's line for one intervention (earlier runs leave theirs in the list). */
function panelItem(page: Page, id: string) {
  return page
    .getByTestId("interventions-panel")
    .locator(`[data-testid="intervention-item"][data-intervention-id="${id}"]`);
}

/** The agents of this test on calls of their own, driven by the test (not the traffic model). */
async function putOnCalls(): Promise<void> {
  await control("/control/scenario", {
    company_code: COMPANY,
    agents: [
      { agent_id: SEAT, status: "FREE" },
      { agent_id: SECOND_SEAT, status: "OFFLINE" },
      { agent_id: HANG_UP_TARGET, status: "CALLING", customer_number: CUSTOMER },
      { agent_id: TAKE_OVER_TARGET, status: "CALLING", customer_number: CUSTOMER },
      { agent_id: IDLE, status: "FREE" },
    ],
  });
}

interface TSimCall {
  uuid: string;
  legs: { agent_id: string; purpose: string }[];
}
async function simCalls(): Promise<TSimCall[]> {
  const body = (await control(`/control/calls?company_code=${COMPANY}`)) as { calls: TSimCall[] };
  return body.calls;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  // A second supervisor with a CTI agent of their own, created the way an admin would.
  const { context, page } = await newPage(browser);
  await loginAs(page, "admin");
  await page.goto("/admin/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("Username").fill(SECOND.username);
  await form.getByLabel("Initial password").fill(SECOND.password);
  await form.getByLabel("Role").selectOption("supervisor");
  await form.getByLabel("Company").selectOption(COMPANY);
  await form.getByLabel("CTI agent id").fill(SECOND_SEAT);
  await form.getByLabel("CTI extension id").fill(SECOND_SEAT);
  await page.getByTestId("create-user-submit").click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await context.close();
});

test.afterEach(async () => {
  await control("/control/clock", { frozen: false });
  await control("/control/release", { company_code: COMPANY });
});

for (const locale of ["zh-CN", "en"] as const) {
  test(`[INTERVENTIONS] ${locale}: link the seat, force hang-up, take over; a second supervisor sees both live`, async ({
    browser,
    baseURL,
  }) => {
    const text = TEXT[locale];
    await putOnCalls();
    const calls = await simCalls();
    const callOf = (agentId: string) =>
      calls.find((c) => c.legs.some((l) => l.agent_id === agentId))?.uuid ?? "";
    const hangUpCall = callOf(HANG_UP_TARGET);
    const takeOverCall = callOf(TAKE_OVER_TARGET);
    expect(hangUpCall).toMatch(/^call-/);
    expect(takeOverCall).toMatch(/^call-/);

    const first = await newPage(browser);
    await signIn(first.context, baseURL!, "supervisor", locale);
    const page = first.page;
    const second = await newPage(browser);
    const response = await second.context.request.post("/api/auth/sign-in", {
      data: SECOND,
      headers: { origin: baseURL! },
    });
    expect(response.status()).toBe(200);
    await second.context.addCookies([{ name: "FW_LOCALE", value: locale, url: baseURL! }]);
    const watcher = second.page;

    try {
      await test.step("before the seat is linked, the buttons say why they are disabled", async () => {
        await openFloor(page);
        await openFloor(watcher);
        await expect(page.getByTestId("interventions-panel")).toBeVisible();
        await focusAgent(page, HANG_UP_TARGET);
        const hangUp = row(page, HANG_UP_TARGET).getByTestId("intervene-interrupt_call");
        await expect(hangUp).toHaveAttribute("aria-disabled", "true");
        await expect(page.getByTestId("seat-control")).not.toHaveAttribute("data-state", "unknown");
        const why = await hangUp.getAttribute("aria-describedby");
        await expect(page.locator(`[id="${why}"]`)).toHaveText(text.seatUnlinked);
        await expect(hangUp).toHaveAttribute("title", text.seatUnlinked);
      });

      await test.step("link the seat", async () => {
        await linkSeat(page, `${locale}-0-link-seat-in-use`);
        await page.keyboard.press("Escape");
        await expect(page.getByTestId("seat-control")).not.toHaveAttribute("open");
        await expect(
          row(page, HANG_UP_TARGET).getByTestId("intervene-interrupt_call"),
        ).toHaveAttribute("data-enabled", "true");
        // An idle agent's buttons stay disabled, and a click does nothing.
        await focusAgent(page, IDLE);
        const idle = row(page, IDLE).getByTestId("intervene-interrupt_call");
        await expect(idle).toHaveAttribute("aria-disabled", "true");
        await idle.click({ force: true });
        await expect(page.getByTestId("intervention-dialog")).toHaveCount(0);
        await focusAgent(page, HANG_UP_TARGET);
        await shot(page, `${locale}-1-floor-seat-linked`);
        // A 1440-pixel screen: the grid, its buttons and the side column fit side by side.
        await page.setViewportSize({ width: 1440, height: 900 });
        const grid = page.getByTestId("agent-grid");
        const takeOverButton = row(page, HANG_UP_TARGET).getByTestId("intervene-substitute");
        await expect
          .poll(async () => {
            const [box, button] = [await grid.boundingBox(), await takeOverButton.boundingBox()];
            return box && button ? box.x + box.width - (button.x + button.width) : -1;
          })
          .toBeGreaterThanOrEqual(0);
        await shot(page, `${locale}-1a-floor-1440`);
        // Narrower than xl, the panel sits under the grid.
        await page.setViewportSize({ width: 1200, height: 800 });
        await expect(page.getByTestId("interventions-panel")).toBeVisible();
        await expect(page.getByTestId("live-feed")).toBeHidden();
        await shot(page, `${locale}-1b-floor-1200`);
        await page.setViewportSize(VIEWPORT);
        // The drawer has the same buttons, with their full names.
        await row(page, HANG_UP_TARGET).click();
        const drawer = page.getByTestId("agent-drawer");
        await expect(drawer.getByTestId("intervene-interrupt_call")).toHaveAttribute(
          "data-enabled",
          "true",
        );
        await shot(page, `${locale}-1c-drawer`);
        await drawer.getByRole("button", { name: /^(Close|关闭)$/ }).click();
        await expect(drawer).toBeHidden();
      });

      const dialog = page.getByTestId("intervention-dialog");
      const hangUpId = await test.step("force hang-up, from the keyboard", async () => {
        const hangUp = row(page, HANG_UP_TARGET).getByTestId("intervene-interrupt_call");
        await hangUp.click();
        await expect(dialog).toBeVisible();
        await page.keyboard.press("Escape");
        await expect(dialog).toBeHidden();
        await expect(page.getByTestId("agent-row")).toHaveCount(1);

        await hangUp.click();
        await expect(dialog).toBeVisible();
        await expect(dialog.getByRole("heading")).toHaveText(text.hangUp);
        await expect(dialog.getByTestId("dialog-agent")).toContainText(HANG_UP_TARGET);
        await expect(dialog.getByTestId("dialog-call")).toHaveText(hangUpCall);
        await expect(dialog.getByTestId("dialog-numbers")).toContainText(CUSTOMER);
        const before = await dialog.getByTestId("dialog-duration").textContent();
        await expect(dialog.getByTestId("dialog-duration")).not.toHaveText(before ?? "", {
          timeout: 3000,
        });
        const reason = dialog.getByTestId("dialog-reason");
        await expect(reason).toBeFocused();
        await reason.fill("e2e: customer abusive");
        // Tab stays inside the dialog.
        for (let i = 0; i < 4; i += 1) {
          await page.keyboard.press("Tab");
          await expect(dialog.locator(":focus")).toHaveCount(1);
        }
        await reason.focus();
        await shot(page, `${locale}-2-dialog-hang-up`);
        await page.keyboard.press("Control+Enter");
        const result = dialog.getByTestId("dialog-result");
        await expect(result).toHaveAttribute("data-stage", "confirmed");
        await expect(result).toContainText(text.confirmed);
        await expect(row(page, HANG_UP_TARGET)).not.toHaveAttribute("data-status", "CALLING");
        await shot(page, `${locale}-3-dialog-hang-up-confirmed`);
        const id = (await result.getAttribute("data-intervention-id")) ?? "";
        await page.keyboard.press("Escape");
        await expect(dialog).toBeHidden();
        return id;
      });

      await test.step("both supervisors see the hang-up confirmed; the call is gone", async () => {
        await expect(panelItem(page, hangUpId)).toHaveAttribute("data-stage", "confirmed");
        const seen = panelItem(watcher, hangUpId);
        await expect(seen).toHaveAttribute("data-stage", "confirmed");
        await expect(seen).toHaveAttribute("data-operation", "interrupt_call");
        await expect(seen).toHaveAttribute("data-target", HANG_UP_TARGET);
        await expect(seen).toHaveAttribute("data-actor", "supervisor");
        expect((await simCalls()).some((c) => c.uuid === hangUpCall)).toBe(false);
      });

      const takeOverId =
        await test.step("take over, held in progress by a frozen simulator clock", async () => {
          await focusAgent(page, TAKE_OVER_TARGET);
          await focusAgent(watcher, TAKE_OVER_TARGET);
          const takeOver = row(page, TAKE_OVER_TARGET).getByTestId("intervene-substitute");
          await expect(takeOver).toHaveAttribute("data-enabled", "true");
          // The second supervisor's seat is not linked: their buttons say so.
          await expect(
            row(watcher, TAKE_OVER_TARGET).getByTestId("intervene-substitute"),
          ).toHaveAttribute("aria-disabled", "true");
          await takeOver.click();
          await expect(dialog).toBeVisible();
          await expect(dialog.getByRole("heading")).toHaveText(text.takeOver);
          await dialog.getByTestId("dialog-reason").fill("e2e: take over");
          // The supervisor's phone answers after a delay: frozen, the take over waits for it.
          await control("/control/clock", { frozen: true });
          // Two clicks before React can disable the button: two submits, one idempotency key.
          const sentKeys: string[] = [];
          const onRequest = (request: Request) => {
            if (request.method() !== "POST" || !request.headers()["next-action"]) return;
            const key = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/.exec(
              request.postData() ?? "",
            );
            if (key) sentKeys.push(key[0]);
          };
          page.on("request", onRequest);
          await dialog.getByTestId("dialog-confirm").evaluate((button: HTMLButtonElement) => {
            button.click();
            button.click();
          });
          await expect.poll(() => sentKeys.length).toBe(2);
          page.off("request", onRequest);
          expect(new Set(sentKeys).size).toBe(1);
          const result = dialog.getByTestId("dialog-result");
          await expect(result).toHaveAttribute("data-stage", /acked|sent/);
          const id = (await result.getAttribute("data-intervention-id")) ?? "";
          await shot(page, `${locale}-4-dialog-take-over-acked`);
          await page.keyboard.press("Escape");
          for (const p of [page, watcher]) {
            const badge = row(p, TAKE_OVER_TARGET).getByTestId("intervention-badge");
            await expect(badge).toHaveAttribute("data-operation", "substitute");
            await expect(badge).toContainText("supervisor");
            await expect(badge).toContainText(text.takeOver);
            await expect(panelItem(p, id)).toHaveAttribute("data-stage", /acked|sent/);
          }
          await shot(page, `${locale}-5-floor-take-over-in-progress`);
          await shot(watcher, `${locale}-6-second-supervisor-in-progress`);
          await control("/control/clock", { frozen: false });
          return id;
        });

      await test.step("the take over is confirmed: the supervisor is on the call, the agent is not", async () => {
        for (const p of [page, watcher])
          await expect(panelItem(p, takeOverId)).toHaveAttribute("data-stage", "confirmed", {
            timeout: 20_000,
          });
        // One intervention for the double click.
        await expect(
          page
            .getByTestId("interventions-panel")
            .locator(`[data-testid="intervention-item"][data-call="${takeOverCall}"]`),
        ).toHaveCount(1);
        await expect(row(page, TAKE_OVER_TARGET)).not.toHaveAttribute("data-status", "CALLING");
        await expect(row(watcher, TAKE_OVER_TARGET).getByTestId("intervention-badge")).toHaveCount(
          0,
        );
        const after = await simCalls();
        const bridged = after.find((c) => c.legs.some((l) => l.agent_id === SEAT));
        expect(bridged, JSON.stringify(after)).toBeDefined();
        expect(bridged!.legs.some((l) => l.agent_id === TAKE_OVER_TARGET)).toBe(false);
        await focusAgent(page, SEAT);
        await expect(row(page, SEAT)).toHaveAttribute("data-status", "CALLING");
        await expect(page.getByTestId("seat-control")).toHaveAttribute(
          "data-agent-status",
          "CALLING",
        );
        await shot(page, `${locale}-7-floor-after`);
        await shot(watcher, `${locale}-8-second-supervisor-after`);
      });

      await test.step("the calls page has the same controls", async () => {
        await page.goto("/calls");
        const seatCall = page.locator(`[data-testid="call-row"]`, { hasText: SEAT });
        await expect(seatCall.getByTestId("call-actions")).toBeVisible();
        // The supervisor's own agent is on a call: every button says the seat is not ready.
        await expect(seatCall.getByTestId("intervene-interrupt_call").first()).toHaveAttribute(
          "aria-disabled",
          "true",
        );
        await shot(page, `${locale}-9-calls`);
        await unlinkSeat(page);
      });
    } finally {
      await unlinkIfLinked(page).catch(() => undefined);
      await first.context.close();
      await second.context.close();
    }
  });
}

test("[INTERVENTIONS] a reason the company requires is asked for; admins set it", async ({
  browser,
  baseURL,
}) => {
  const admin = await newPage(browser);
  const supervisor = await newPage(browser);
  try {
    await loginAs(admin.page, "admin");
    await admin.page.goto("/admin/interventions");
    const toggle = admin.page
      .getByTestId(`intervention-settings-${COMPANY}`)
      .getByTestId("reason-required");
    await expect(toggle).not.toBeChecked();

    await putOnCalls();
    await signIn(supervisor.context, baseURL!, "supervisor", "en");
    const page = supervisor.page;
    await openFloor(page);
    await linkSeat(page);
    await page.keyboard.press("Escape");

    // Set after the supervisor's page loaded: the server refuses, the dialog then asks for it.
    await toggle.check();
    await expect(admin.page.getByTestId("form-success")).toBeVisible();
    await expect(toggle).toBeChecked();
    await shot(admin.page, "en-10-admin-settings");

    await focusAgent(page, HANG_UP_TARGET);
    await row(page, HANG_UP_TARGET).getByTestId("intervene-interrupt_call").click();
    const dialog = page.getByTestId("intervention-dialog");
    await page.keyboard.press("Control+Enter");
    await expect(dialog.getByTestId("form-error")).toHaveText(
      "A reason is required for interventions in this company.",
    );
    await expect(dialog.getByText(TEXT.en.reasonRequired)).toBeVisible();
    await page.keyboard.press("Control+Enter");
    await expect(dialog.getByText("Enter a reason: this company requires one.")).toBeVisible();
    await dialog.getByTestId("dialog-reason").fill("required reason");
    await page.keyboard.press("Control+Enter");
    await expect(dialog.getByTestId("dialog-result")).toHaveAttribute("data-stage", "confirmed");
    await page.keyboard.press("Escape");

    // Checked in on another device: the seat is lost, and the header says why.
    const phone = await checkInElsewhere(page);
    try {
      const seat = page.getByTestId("seat-control");
      await expect(seat).toHaveAttribute("data-state", "lost");
      await expect(seat.locator("summary")).toHaveAttribute("title", /checked in elsewhere/);
      await openSeat(page);
      await expect(page.getByTestId("seat-reason")).toHaveAttribute("data-reason", "kicked_off");
      await expect(page.getByTestId("seat-link")).toBeVisible();
      await shot(page, "en-11-seat-kicked-off");
    } finally {
      phone.close();
    }
  } finally {
    // Cleanup must not hide the test's own failure.
    await unlinkIfLinked(supervisor.page).catch(() => undefined);
    await admin.page.goto("/admin/interventions");
    const toggle = admin.page
      .getByTestId(`intervention-settings-${COMPANY}`)
      .getByTestId("reason-required");
    if (await toggle.isChecked().catch(() => false)) {
      await toggle.uncheck().catch(() => undefined);
      await expect(admin.page.getByTestId("form-success"))
        .toBeVisible()
        .catch(() => undefined);
    }
    await admin.context.close();
    await supervisor.context.close();
  }
});

test("[INTERVENTIONS] viewers see no intervention control at all", async ({
  context,
  baseURL,
  page,
}) => {
  await control("/control/scenario", {
    company_code: COMPANY,
    agents: [{ agent_id: HANG_UP_TARGET, status: "CALLING", customer_number: CUSTOMER }],
  });
  await signIn(context, baseURL!, "viewer", "zh-CN");
  await setLocale(context, page, "zh-CN");
  await openFloor(page);
  await focusAgent(page, HANG_UP_TARGET);
  await expect(row(page, HANG_UP_TARGET)).toHaveAttribute("data-status", "CALLING");
  await expect(page.getByTestId("seat-control")).toHaveCount(0);
  await expect(page.getByTestId("agent-actions")).toHaveCount(0);
  await expect(page.getByTestId("intervention-buttons")).toHaveCount(0);
  await expect(page.getByTestId("interventions-panel")).toHaveCount(0);
  await row(page, HANG_UP_TARGET).click();
  await expect(page.getByTestId("agent-drawer")).toBeVisible();
  await expect(page.getByTestId("intervention-buttons")).toHaveCount(0);
  await page.goto("/calls");
  await expect(page.getByTestId("call-row").first()).toBeVisible();
  await expect(page.getByTestId("call-actions")).toHaveCount(0);
  await expect(page.locator("[data-testid^='intervene-']")).toHaveCount(0);
});
