import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3600";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
for (const locale of ["zh-CN", "en"]) {
  const ctx = await browser.newContext({ locale, viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: { "accept-language": locale } });
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.screenshot({ path: `/tmp/shots/login-${locale}.png` });
  await page.locator("input").nth(0).fill("supervisor");
  await page.locator("input[type=password]").fill("floorwatch-demo");
  await page.keyboard.press("Enter");
  await page.waitForURL(/floor/, { timeout: 15000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `/tmp/shots/floor-${locale}.png` });
  await page.goto(base + "/calls");
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/shots/calls-${locale}.png` });
  await page.goto(base + "/status");
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/shots/status-${locale}.png` });
  await ctx.close();
}
await browser.close();
