import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { TAuditEventInput } from "@/lib/audit/events";
import { prepareAuthEnvironment } from "../auth/harness";
import { openRawDatabase } from "../helpers/raw-database";

const url = prepareAuthEnvironment();

const { configureDatabase, db } = await import("@/server/db");
const { appendAuditEvent, auditedChange } = await import("@/server/audit/log");
const { verifyAuditChain } = await import("@/server/audit/verify");

const run = promisify(execFile);

function logout(label: string, i: number): TAuditEventInput {
  return {
    type: "logout",
    data: { userId: `${label}-${i}`, username: label },
    actor: { kind: "system", name: label },
    companyCode: "90001",
    ip: null,
    userAgent: null,
  };
}

/** Every event follows the one before it by id, and the walk agrees. */
async function expectOneChain(count: number): Promise<void> {
  const rows = await db().auditEvent.findMany({
    orderBy: { id: "asc" },
    select: { id: true, prevHash: true, hash: true },
  });
  expect(rows).toHaveLength(count);
  rows.forEach((row, i) => {
    expect(row.hash, `event ${row.id}`).toMatch(/^[0-9a-f]{64}$/);
    expect(row.prevHash, `event ${row.id}`).toBe(i === 0 ? "" : rows[i - 1]!.hash);
  });
  expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: count, unchained: 0 });
}

beforeAll(async () => {
  await configureDatabase();
});

describe("[AUDIT] hash chain: appends", () => {
  it("200 concurrent appends each resolve once committed, with their own row, in one chain", async () => {
    // Another connection, as another process would read: it sees a row only once committed.
    // (The read starts when the promise resolves: at once on SQLite, the query sent on PostgreSQL.)
    const reader = await openRawDatabase(url);
    const visibleAtResolve: boolean[] = [];
    const written = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        appendAuditEvent(logout("burst", i)).then(async (row) => {
          const [seen] = await reader.all(`SELECT "data" FROM "AuditEvent" WHERE "id" = ?`, row.id);
          const data = seen?.data as string | undefined;
          visibleAtResolve.push(data !== undefined && JSON.parse(data).userId === `burst-${i}`);
          return row;
        }),
      ),
    );
    await reader.close();
    expect(visibleAtResolve).toHaveLength(200);
    expect(visibleAtResolve.every(Boolean)).toBe(true);
    expect(new Set(written.map((row) => row.id)).size).toBe(200);
    await expectOneChain(200);
  });

  it("events in callers' transactions and group-committed ones share the chain; a rolled-back change leaves no event", async () => {
    const before = await db().auditEvent.count();
    const failing = auditedChange(logout("rolled-back", 0), async (tx) => {
      await tx.setting.create({ data: { key: "chain-test", value: "1" } });
      throw new Error("the change fails");
    });
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        auditedChange(logout("tx", i), (tx) =>
          tx.setting.upsert({
            where: { key: `k${i % 5}` },
            create: { key: `k${i % 5}`, value: String(i) },
            update: { value: String(i) },
          }),
        ),
      ),
      ...Array.from({ length: 100 }, (_, i) => appendAuditEvent(logout("queued", i))),
      expect(failing).rejects.toThrow("the change fails"),
    ]);
    expect(await db().auditEvent.count({ where: { actorName: "rolled-back" } })).toBe(0);
    await expectOneChain(before + 140);
  });

  it("appends from several processes at once make one chain (the database serialises them)", async () => {
    const before = await db().auditEvent.count();
    const worker = (label: string) =>
      run(
        process.execPath,
        [
          "--import",
          "./server/runtime.mjs",
          path.join("tests", "integration", "audit", "append-worker.ts"),
          label,
          "10",
          "20",
        ],
        { env: { ...process.env, DATABASE_URL: url } },
      );
    const here = (async () => {
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => appendAuditEvent(logout("here", i))),
        );
      }
    })();
    await Promise.all([worker("w1"), worker("w2"), here]);
    expect(await db().auditEvent.count({ where: { actorName: { in: ["w1", "w2"] } } })).toBe(400);
    await expectOneChain(before + 600);
  }, 60_000);

  it("an intervention's events carry its id in the interventionId column", async () => {
    const { id } = await appendAuditEvent({
      type: "intervention.sent",
      data: { interventionId: "iv-7" },
      actor: { kind: "user", id: "u1", name: "sup1" },
      companyCode: "90001",
      ip: "10.0.0.1",
      userAgent: "vitest",
    });
    const row = await db().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row.interventionId).toBe("iv-7");
    const other = await db().auditEvent.findFirstOrThrow({ where: { type: "logout" } });
    expect(other.interventionId).toBeNull();
  });
});
