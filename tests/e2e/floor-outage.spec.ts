import { expect, test } from "@playwright/test";
import { z } from "zod";
import {
  CONTROL,
  openFloor,
  parentPid,
  pidListeningOn,
  signIn,
  startKeptSimulator,
} from "./floor-helpers";

/**
 * The CTI goes away and comes back. The embedded simulator is killed the hard way; a
 * replacement is started on the same ports and lives as long as the dashboard under test.
 */
test("[FLOOR] the link banner appears when the simulator stops and clears when it returns", async ({
  context,
  baseURL,
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(context, baseURL!, "supervisor", "zh-CN");
  await openFloor(page);
  await expect(page.getByTestId("link-banner")).toHaveCount(0);

  const health = z
    .object({ cti: z.object({ url: z.string() }) })
    .parse(await (await context.request.get("/api/health")).json());
  const ctiPort = Number(new URL(health.cti.url.replace(/^ws/, "http")).port);
  const simPid = pidListeningOn(ctiPort);
  expect(simPid, `no process listens on ${ctiPort}`).toBeDefined();
  const dashboardPid = parentPid(simPid!);
  process.kill(simPid!, "SIGKILL");

  const banner = page.getByTestId("link-banner");
  await expect(banner).toBeVisible({ timeout: 5000 });
  await expect(banner).toHaveAttribute("data-kind", "link");
  await expect(banner).toContainText("CTI");
  await expect(page.getByTestId("floor-view")).toHaveAttribute("data-live", "false");
  await expect(page.locator('[data-testid="agent-row"][data-stale="false"]')).toHaveCount(0);

  startKeptSimulator(
    { SIM_PORT: String(ctiPort), SIM_CONTROL_PORT: new URL(CONTROL).port, LOG_LEVEL: "warn" },
    dashboardPid,
  );
  await expect(page.getByTestId("floor-view")).toHaveAttribute("data-live", "true", {
    timeout: 45_000,
  });
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('[data-testid="agent-row"][data-stale="false"]').first()).toBeVisible();
});
