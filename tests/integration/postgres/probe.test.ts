import { afterEach, describe, expect, it } from "vitest";
import { DatabaseProbe } from "@/server/database/probe";
import { healthReport } from "@/server/health";
import { installServices, uninstallServices, type TServices } from "@/server/services";
import { freePorts } from "../../helpers/free-port";
import { emptyPostgresDatabase, onPostgres } from "../helpers/postgres";

/**
 * [DATABASE] PostgreSQL's reachability in /api/health: the probe's report, and the status it
 * makes. PostgreSQL suite only (SQLite deployments report no database).
 */
let installed: TServices | undefined;
afterEach(() => {
  if (installed) uninstallServices(installed);
  installed = undefined;
});

/** The health report of a process whose CTI link is up and whose database probe is `probe`. */
function healthWith(probe: DatabaseProbe) {
  if (installed) uninstallServices(installed);
  installed = {
    process: { startedAt: Date.now(), version: "test", mode: "external-cti" },
    cti: { status: () => ({ url: "ws://cti", state: "up", companies: [] }) },
    databaseProbe: probe,
  } as unknown as TServices;
  installServices(installed);
  return healthReport();
}

describe.skipIf(!onPostgres)("[DATABASE] PostgreSQL reachability", () => {
  it("is up with the check's latency when the server answers", async () => {
    const probe = new DatabaseProbe(await emptyPostgresDatabase("probe"));
    await probe.start();
    await probe.stop();
    expect(probe.status()).toMatchObject({
      dialect: "postgresql",
      state: "up",
      latencyMs: expect.any(Number),
    });
    expect(healthWith(probe)).toMatchObject({ status: "ok", database: { state: "up" } });
  });

  it("is down with the driver's reason, never the password, and makes the status degraded", async () => {
    const [closed] = (await freePorts(1)) as [number];
    const url = `postgresql://floorwatch:probe-secret-77@127.0.0.1:${closed}/floorwatch`;
    const probe = new DatabaseProbe(url, { timeoutMs: 1_000 });
    await probe.probe();
    const down = probe.status();
    expect(down).toMatchObject({ dialect: "postgresql", state: "down" });
    expect(down?.reason).toContain(`127.0.0.1:${closed}`);
    expect(JSON.stringify(down)).not.toContain("probe-secret-77");
    expect(healthWith(probe)).toMatchObject({ status: "degraded", database: { state: "down" } });

    // The state's start stays while it lasts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await probe.probe();
    expect(probe.status()?.since).toBe(down?.since);
    expect(probe.status()!.checkedAt).toBeGreaterThan(down!.checkedAt!);
  });
});
