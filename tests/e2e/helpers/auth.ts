import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { e2ePort } from "./env";

/** The accounts the e2e server seeds (playwright.config.ts sets their passwords). */
export const ACCOUNTS = {
  admin: { username: "admin", password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password" },
  supervisor: { username: "supervisor", password: process.env.DEMO_PASSWORD ?? "floorwatch-demo" },
  viewer: { username: "viewer", password: process.env.DEMO_PASSWORD ?? "floorwatch-demo" },
} as const;
export type TAccount = keyof typeof ACCOUNTS;

/** Signs in through the login page, in the given UI language, and waits for the account menu. */
export async function loginAs(
  page: Page,
  account: TAccount,
  locale: "zh-CN" | "en" = "en",
): Promise<void> {
  await setLocale(page.context(), page, locale);
  await page.goto("/login");
  await fillLogin(page, ACCOUNTS[account].username, ACCOUNTS[account].password);
  await expect(page.getByTestId("account-menu")).toBeVisible({ timeout: 20_000 });
}

export async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel(/^(Username|用户名)$/).fill(username);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByTestId("login-submit").click();
}

export async function setLocale(
  context: BrowserContext,
  page: Page,
  locale: "zh-CN" | "en",
): Promise<void> {
  const base = new URL(
    page.url().startsWith("http")
      ? page.url()
      : (process.env.E2E_BASE_URL ?? `http://127.0.0.1:${e2ePort("E2E_PORT")}`),
  );
  await context.addCookies([{ name: "FW_LOCALE", value: locale, url: base.origin }]);
}

/** An admin creates a display token for `companyCode` through the admin page; returns the wall link. */
export async function createDisplayToken(page: Page, label: string): Promise<string> {
  await page.goto("/admin/tokens");
  await page.getByLabel(/^(Label|名称)$/).fill(label);
  await page.getByTestId("create-token-submit").click();
  const link = page.getByTestId("wall-link");
  await expect(link).toBeVisible({ timeout: 15_000 });
  return link.inputValue();
}

/** A fresh browser context signed in as a wall display through `wallLink`. */
export async function displaySession(
  browser: Browser,
  wallLink: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(wallLink);
  await expect(page.getByTestId("wall")).toBeVisible({ timeout: 15_000 });
  return { context, page };
}
