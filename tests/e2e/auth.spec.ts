import { expect as baseExpect, test, type Page } from "@playwright/test";
import { createDisplayToken, displaySession, fillLogin, loginAs, setLocale } from "./helpers/auth";

// Server actions and first renders can take seconds on a cold (or dev-mode) server.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

/**
 * Submits the login form and waits until this attempt is answered and the form is ready again.
 * A failure leaves its message up while the next attempt runs, and repeated failures show the
 * same words: without this, an assertion reads the previous attempt's message (and the next
 * step races the attempt still on its way).
 */
async function signInAttempt(page: Page, username: string, password: string): Promise<void> {
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === "POST" &&
      response.request().headers()["next-action"] !== undefined,
  );
  await fillLogin(page, username, password);
  await answered;
  await expect(page.getByTestId("login-submit")).toBeEnabled();
}

test.describe("[AUTH] sign-in", () => {
  test("anonymous visitors are sent to the login page", async ({ page }) => {
    await page.goto("/floor");
    await expect(page).toHaveURL(/\/login\?next=%2Ffloor$/);
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers$/);
  });

  test("log in, see role and company, log out", async ({ page }) => {
    await loginAs(page, "supervisor", "zh-CN");
    await expect(page.getByTestId("account-name")).toHaveText("supervisor");
    await expect(page.getByTestId("account-role")).toHaveText("班长");
    await expect(page.getByTestId("account-company")).toHaveText("90001");
    await page.getByTestId("account-menu").locator("summary").click();
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login\?signedOut=1$/);
    await expect(page.getByTestId("form-success")).toHaveText("您已退出登录。");
    await page.goto("/floor");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a wrong password shows a clear message", async ({ page }) => {
    await setLocale(page.context(), page, "en");
    await page.goto("/login");
    await fillLogin(page, "viewer", "not-the-password");
    await expect(page.getByTestId("form-error")).toHaveText("Wrong username or password.");
    await fillLogin(page, "", "");
    await expect(page.getByTestId("error-username")).toHaveText("Required.");
  });

  test("a viewer is refused the admin pages", async ({ page }) => {
    await loginAs(page, "viewer");
    await expect(page.getByTestId("account-role")).toHaveText("Viewer");
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/forbidden\?code=forbidden_role$/);
    await expect(page.getByTestId("forbidden-reason")).toHaveText("Your role does not allow this.");
  });
});

test.describe("[AUTH] admin", () => {
  test("an admin creates a supervisor who can then log in; repeated failures lock them out", async ({
    page,
    browser,
  }) => {
    const username = `sup${Date.now().toString(36)}`;
    const password = "new-supervisor-pass";
    await loginAs(page, "admin");
    await expect(page.getByTestId("account-company")).toHaveText("All companies");
    await page.goto("/admin/users");
    const form = page.getByTestId("create-user-form");
    await form.getByLabel("Username").fill("bad name!");
    await form.getByLabel("Initial password").fill("short");
    await page.getByTestId("create-user-submit").click();
    await expect(form.getByTestId("error-username")).toHaveText(
      "Letters, digits, “_” and “.” only.",
    );
    await expect(form.getByTestId("error-password")).toHaveText("At least 10 characters.");
    await form.getByLabel("Username").fill(username);
    await form.getByLabel("Initial password").fill(password);
    await form.getByLabel("Role").selectOption("supervisor");
    await page.getByTestId("create-user-submit").click();
    await expect(form.getByTestId("error-ctiAgentId")).toHaveText(
      "Supervisors need their CTI agent and extension.",
    );
    await form.getByLabel("CTI agent id").fill("90001_20029");
    await form.getByLabel("CTI extension id").fill("90001_20029");
    await page.getByTestId("create-user-submit").click();
    await expect(page.getByTestId("form-success")).toHaveText(`User ${username} was created.`);
    await expect(page.getByTestId(`user-${username}`)).toContainText("Supervisor");

    const other = await browser.newContext({ locale: "en-US" });
    const second = await other.newPage();
    await setLocale(other, second, "en");
    await second.goto("/login");
    for (let i = 0; i < 4; i += 1) {
      await signInAttempt(second, username, `wrong-${i}-password`);
      await expect(second.getByTestId("form-error")).toHaveText("Wrong username or password.");
    }
    await signInAttempt(second, username, "wrong-again-password");
    await expect(second.getByTestId("form-error")).toContainText("Too many failed sign-ins");
    // Locked: the right password is refused too, and says so.
    await signInAttempt(second, username, password);
    await expect(second.getByTestId("form-error")).toContainText("Too many failed sign-ins");

    await page.reload();
    await page
      .getByTestId(`user-${username}`)
      .getByRole("button", { name: "Reset password" })
      .click();
    await page.getByLabel("New password").fill(password);
    await page
      .getByTestId(`user-${username}`)
      .getByRole("button", { name: "Reset password" })
      .last()
      .click();
    await expect(page.getByTestId(`user-${username}`).getByTestId("form-success")).toBeVisible();

    await fillLogin(second, username, password);
    await expect(second.getByTestId("account-name")).toHaveText(username);
    await expect(second.getByTestId("account-role")).toHaveText("Supervisor");
    await other.close();
  });

  test("a revoked display token stops working", async ({ page, browser }) => {
    await loginAs(page, "admin");
    const label = `Wall ${Date.now().toString(36)}`;
    const link = await createDisplayToken(page, label);
    expect(link).toMatch(/\/wall\?token=fwd_/);

    const wall = await displaySession(browser, link);
    await expect(wall.page).toHaveURL(/\/wall$/);
    await expect(wall.page.getByTestId("wall-label")).toHaveText(label);
    await expect(wall.page.getByTestId("wall-company")).toHaveText("90001");
    const session = await wall.context.request.get("/api/auth/session");
    expect(((await session.json()) as { viewer: { role: string } }).viewer.role).toBe("display");
    await wall.page.goto("/floor");
    await expect(wall.page).toHaveURL(/\/wall$/);

    await page.goto("/admin/tokens");
    await page.getByTestId(`token-${label}`).getByTestId("revoke").click();
    await page.getByTestId(`token-${label}`).getByTestId("revoke-confirm").click();
    await expect(page.getByTestId(`token-${label}`).getByTestId("token-status")).toHaveText(
      "Revoked",
    );

    await wall.page.reload();
    await expect(wall.page).toHaveURL(/\/login/);
    expect((await wall.context.request.get("/api/auth/session")).status()).toBe(401);
    await wall.page.goto(link);
    await expect(wall.page.getByTestId("wall-error")).toHaveAttribute("data-code", "token_invalid");
    await wall.context.close();
  });
});
