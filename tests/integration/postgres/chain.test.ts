import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { TAuditEventInput } from "@/lib/audit/events";
import { prepareAuthEnvironment } from "../auth/harness";
import { onPostgres } from "../helpers/postgres";

/**
 * [AUDIT] On PostgreSQL the audit chain is serialised by the database: every append takes
 * pg_advisory_xact_lock first in its transaction, and ids come from the sequence under it. Here
 * the test holds the lock with an event of its own not yet committed while two writer processes
 * append: they must wait, and chain after it once it commits. Without the lock they would read
 * the last committed hash and fork the chain, every time. PostgreSQL suite only: SQLite's write
 * lock is pinned by tests/integration/audit/chain.test.ts.
 */
const url = onPostgres ? prepareAuthEnvironment() : "";
const run = promisify(execFile);

const { db } = await import("@/server/db");
const { appendAuditEvent } = await import("@/server/audit/log");
const { verifyAuditChain } = await import("@/server/audit/verify");
const { chainedFields, chainHash, NO_HASH } = await import("@/server/audit/chain");
const { AUDIT_CHAIN_LOCK } = await import("@/server/database/sql");

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

function worker(label: string) {
  return run(
    process.execPath,
    [
      "--import",
      "./server/runtime.mjs",
      path.join("tests", "integration", "audit", "append-worker.ts"),
      label,
      "5",
      "20",
    ],
    { env: { ...process.env, DATABASE_URL: url } },
  );
}

describe.skipIf(!onPostgres)("[AUDIT] hash chain on PostgreSQL: several writers", () => {
  it("writer processes wait for the chain's lock and chain after the holder's event", async () => {
    for (let i = 0; i < 10; i++) await appendAuditEvent(logout("before", i));

    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const last = await holder.query<{ hash: string }>(
      `SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1`,
    );
    const fields = chainedFields(logout("holder", 0), new Date());
    const prevHash = last.rows[0]?.hash ?? NO_HASH;
    const inserted = await holder.query<{ id: number }>(
      `INSERT INTO "AuditEvent" ("at", "type", "actorKind", "actorId", "actorName", "companyCode",
         "ip", "userAgent", "data", "interventionId", "prevHash", "hash")
       VALUES ($1::timestamptz AT TIME ZONE 'UTC', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING "id"`,
      [
        fields.at,
        fields.type,
        fields.actorKind,
        fields.actorId,
        fields.actorName,
        fields.companyCode,
        fields.ip,
        fields.userAgent,
        fields.data,
        fields.interventionId,
        prevHash,
        chainHash(prevHash, fields),
      ],
    );
    const holderId = inserted.rows[0]!.id;

    const writers = Promise.all([worker("w1"), worker("w2")]);
    let finished = false;
    void writers.finally(() => (finished = true)).catch(() => undefined);
    // Both writers are waiting for the lock (or, if they do not take it, already done).
    for (let waited = 0; !finished && waited < 20_000; waited += 100) {
      const waiting = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
      );
      if (waiting.rows[0]!.n >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await holder.query("COMMIT");
    await holder.end();
    await writers;

    const written = await db().auditEvent.findMany({
      where: { actorName: { in: ["w1", "w2"] } },
      select: { id: true },
    });
    expect(written).toHaveLength(200);
    // Their ids were drawn under the lock, after the holder's.
    expect(Math.min(...written.map((row) => row.id))).toBeGreaterThan(holderId);
    const verdict = await verifyAuditChain();
    expect(verdict.firstBad).toBeNull();
    expect(verdict).toMatchObject({ ok: true, checked: 211, unchained: 0 });
  }, 60_000);
});
