import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { ZFloorSnapshot } from "@/lib/floor/types";
import { ACCOUNTS, createDisplayToken, loginAs } from "./helpers/auth";

/**
 * [AUTH] Every page (and the floor routes) against every kind of caller, over real HTTP: what is
 * allowed renders, the rest is sent to /login, /forbidden or the wall, and nothing crosses companies.
 */
test.describe.configure({ timeout: 120_000 });

type TCaller = "anonymous" | "viewer" | "supervisor" | "admin" | "display" | "otherSupervisor";
const PAGES = [
  "/floor",
  "/calls",
  "/status",
  "/admin/users",
  "/admin/tokens",
  "/admin/audit",
  "/wall",
  "/login",
] as const;

/** Where each caller ends up: "ok" (200) or the path it is redirected to. */
const EXPECTED: Record<TCaller, Record<(typeof PAGES)[number], string>> = {
  anonymous: {
    "/floor": "/login?next=%2Ffloor",
    "/calls": "/login?next=%2Fcalls",
    "/status": "/login?next=%2Fstatus",
    "/admin/users": "/login?next=%2Fadmin%2Fusers",
    "/admin/tokens": "/login?next=%2Fadmin%2Ftokens",
    "/admin/audit": "/login?next=%2Fadmin%2Faudit",
    "/wall": "/login?next=/wall",
    "/login": "ok",
  },
  viewer: {
    "/floor": "ok",
    "/calls": "ok",
    "/status": "ok",
    "/admin/users": "/forbidden?code=forbidden_role",
    "/admin/tokens": "/forbidden?code=forbidden_role",
    "/admin/audit": "/forbidden?code=forbidden_role",
    "/wall": "ok",
    "/login": "/",
  },
  supervisor: {
    "/floor": "ok",
    "/calls": "ok",
    "/status": "ok",
    "/admin/users": "/forbidden?code=forbidden_role",
    "/admin/tokens": "/forbidden?code=forbidden_role",
    "/admin/audit": "/forbidden?code=forbidden_role",
    "/wall": "ok",
    "/login": "/",
  },
  otherSupervisor: {
    "/floor": "ok",
    "/calls": "ok",
    "/status": "ok",
    "/admin/users": "/forbidden?code=forbidden_role",
    "/admin/tokens": "/forbidden?code=forbidden_role",
    "/admin/audit": "/forbidden?code=forbidden_role",
    "/wall": "ok",
    "/login": "/",
  },
  admin: {
    "/floor": "ok",
    "/calls": "ok",
    "/status": "ok",
    "/admin/users": "ok",
    "/admin/tokens": "ok",
    "/admin/audit": "ok",
    "/wall": "ok",
    "/login": "/",
  },
  display: {
    "/floor": "/wall",
    "/calls": "/wall",
    "/status": "/wall",
    "/admin/users": "/wall",
    "/admin/tokens": "/wall",
    "/admin/audit": "/wall",
    "/wall": "ok",
    "/login": "/wall",
  },
};

const callers = {} as Record<TCaller, APIRequestContext>;

test.beforeAll(async ({ browser, baseURL }) => {
  const origin = baseURL ?? "";
  const signedIn = async (username: string, password: string) => {
    const context = await playwrightRequest.newContext({
      baseURL: origin,
      extraHTTPHeaders: { "accept-language": "en" },
    });
    const response = await context.post("/api/auth/sign-in", {
      data: { username, password },
      headers: { origin },
    });
    expect(response.status(), await response.text()).toBe(200);
    return context;
  };
  callers.anonymous = await playwrightRequest.newContext({ baseURL: origin });
  for (const name of ["viewer", "supervisor", "admin"] as const)
    callers[name] = await signedIn(ACCOUNTS[name].username, ACCOUNTS[name].password);

  const page = await (await browser.newContext({ locale: "en-US" })).newPage();
  await loginAs(page, "admin");
  const other = `other${Date.now().toString(36)}`;
  await page.goto("/admin/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("Username").fill(other);
  await form.getByLabel("Initial password").fill("other-company-pass");
  await form.getByLabel("Role").selectOption("supervisor");
  await form.getByLabel("Company").selectOption("90002");
  await form.getByLabel("CTI agent id").fill("90002_20004");
  await form.getByLabel("CTI extension id").fill("90002_20004");
  await page.getByTestId("create-user-submit").click();
  await expect(page.getByTestId("form-success")).toBeVisible({ timeout: 15_000 });
  callers.otherSupervisor = await signedIn(other, "other-company-pass");

  const link = await createDisplayToken(page, `Matrix ${Date.now().toString(36)}`);
  callers.display = await playwrightRequest.newContext({ baseURL: origin });
  const exchange = await callers.display.get(new URL(link).pathname + new URL(link).search, {
    maxRedirects: 0,
  });
  expect(exchange.status()).toBe(303);
  expect(exchange.headers().location).toBe("/wall");
  await page.context().close();
});

test.afterAll(async () => {
  await Promise.all(Object.values(callers).map((c) => c.dispose()));
});

for (const caller of Object.keys(EXPECTED) as TCaller[]) {
  test(`[AUTH] pages as ${caller}`, async () => {
    for (const path of PAGES) {
      const response = await callers[caller].get(path, { maxRedirects: 0 });
      const expected = EXPECTED[caller][path];
      if (expected === "ok") {
        expect(response.status(), `${caller} ${path}`).toBe(200);
      } else {
        expect([303, 307, 308], `${caller} ${path}`).toContain(response.status());
        expect(response.headers().location, `${caller} ${path}`).toBe(expected);
      }
    }
  });
}

test("[AUTH] floor routes are company-scoped and refuse with {code, message}", async () => {
  const snapshot = (caller: TCaller, company: string) =>
    callers[caller].get(`/api/floor/${company}/snapshot`);
  expect((await snapshot("anonymous", "90001")).status()).toBe(401);
  const refused = await snapshot("otherSupervisor", "90001");
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({
    code: "forbidden_company",
    message: "This belongs to a company you have no access to.",
  });
  expect((await snapshot("supervisor", "90002")).status()).toBe(403);
  expect((await snapshot("display", "90002")).status()).toBe(403);
  const allowed: [TCaller, string][] = [
    ["viewer", "90001"],
    ["supervisor", "90001"],
    ["admin", "90001"],
    ["display", "90001"],
    ["otherSupervisor", "90002"],
  ];
  for (const [caller, company] of allowed) {
    const response = await snapshot(caller, company);
    expect(response.status(), `${caller} ${company}: ${await response.text()}`).toBe(200);
    const body = ZFloorSnapshot.safeParse(await response.json());
    expect(body.success, `${caller} ${company}: ${body.error?.message}`).toBe(true);
    expect(body.data?.companyCode, caller).toBe(company);
  }
});
