import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthReport } from "@/server/health";
import { startTestApp, type TTestApp } from "../helpers/app";
import { startPollOnlyCti, type TPollOnlyCti } from "../helpers/poll-only-cti";
import { waitFor } from "../floor/helpers/wait";

const COMPANY = "92001";
const AGENTS = ["92001_20000", "92001_20001", "92001_20002"];

/**
 * [HEALTH] Against a CTI that pushes agent changes only to each agent's own channel (the real
 * server), the floor is right by polling alone: health must say the floor is moving and count
 * the changes the floor observed, whatever their source, with the pushes shown apart.
 */
describe("[HEALTH] the floor's movement counted against a CTI that never pushes to the monitor", () => {
  let cti: TPollOnlyCti;
  let app: TTestApp;
  let flips = 0;

  beforeAll(async () => {
    // Every get_status answer after the first few flips agents between FREE and BUSY.
    cti = await startPollOnlyCti(
      AGENTS.map((agent_id) => ({ agent_id })),
      () => ({ status: Math.floor(flips++ / AGENTS.length) % 2 === 0 ? "FREE" : "BUSY" }),
    );
    app = await startTestApp({
      ctiPort: cti.port,
      companies: [COMPANY],
      env: { POLL_INTERVAL_MS: "200" },
    });
  });
  afterAll(async () => {
    await app.stop();
    await cti.close();
  });

  it("agent changes come from polls only, and health says the floor is moving", async () => {
    await waitFor(
      () => healthReport()?.cti.companies[0]?.agentChanges ?? 0,
      (n) => n >= 6,
      { what: "agent changes observed" },
    );
    const report = healthReport()!;
    expect(report.cti.floorMoving).toBe(true);
    expect(report.cti.companies[0]).toMatchObject({ companyCode: COMPANY, agentChangePushes: 0 });
    expect(app.services.floor.store(COMPANY)?.agent(AGENTS[0]!)?.via).toBe("poll");
    expect(cti.requests.get("get_status")).toBeGreaterThan(0);
  });
});
