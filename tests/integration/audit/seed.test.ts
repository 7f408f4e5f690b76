import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ZAuditEvent } from "@/lib/audit/events";
import { prepareAuthEnvironment } from "../auth/harness";

const url = prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { verifyAuditChain } = await import("@/server/audit/verify");

function seed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", "audit:seed", "--", ...args],
      { env: { ...process.env, DATABASE_URL: url } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("[AUDIT] npm run audit:seed", () => {
  it("writes exactly the events asked for, valid on read, in one chain, with their interventions", async () => {
    const run = await seed("3000", "--days", "30");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ events: 3000 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 3000, unchained: 0 });

    const rows = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
    const invalid = rows.filter(
      (row) =>
        !ZAuditEvent.safeParse({
          id: row.id,
          at: row.at,
          type: row.type,
          actor: {
            kind: row.actorKind,
            ...(row.actorId === null ? {} : { id: row.actorId }),
            ...(row.actorName === null ? {} : { name: row.actorName }),
          },
          companyCode: row.companyCode,
          ip: row.ip,
          userAgent: row.userAgent,
          data: JSON.parse(row.data),
        }).success,
    );
    expect(invalid.map((row) => row.id)).toEqual([]);
    const types = new Set(rows.map((row) => row.type));
    for (const type of [
      "login.succeeded",
      "login.failed",
      "user.updated",
      "intervention.requested",
      "intervention.confirmed",
      "intervention.phone",
    ]) {
      expect(types, type).toContain(type);
    }
    // Time order follows id order, inside the period.
    const times = rows.map((row) => row.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Date.now() - times[0]!).toBeLessThanOrEqual(30 * 86_400_000);
    expect(new Set(rows.map((row) => row.companyCode)).size).toBeGreaterThan(3);

    // Every Intervention row is the projection of its events: requested first, its final stage last.
    const interventions = await db().intervention.findMany();
    expect(interventions.length).toBeGreaterThan(50);
    for (const intervention of interventions.slice(0, 200)) {
      const timeline = rows.filter((row) => row.interventionId === intervention.id);
      expect(timeline[0]?.type).toBe("intervention.requested");
      const stages = timeline.map((row) => row.type).filter((t) => t !== "intervention.phone");
      expect(stages.at(-1)).toBe(`intervention.${intervention.stage}`);
      expect(intervention.outcome).toBe(intervention.stage);
    }
  }, 120_000);

  it("refuses a database with events, and --append chains on", async () => {
    const refused = await seed("10");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already has 3000 audit events");

    const appended = await seed("500", "--append", "--seed", "2");
    expect(appended.code, appended.stderr).toBe(0);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 3500 });
  }, 120_000);
});
