import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TAuditEventInput } from "@/lib/audit/events";
import type { TChainedFields } from "@/server/audit/chain";
import type { TVerifyOptions } from "@/server/audit/verify";
import { prepareAuthEnvironment } from "../auth/harness";
import { openRawDatabase } from "../helpers/raw-database";

const url = prepareAuthEnvironment();
/** The database opened directly, as an intruder with a shell would (SQLite's file, or PostgreSQL as its owner). */
const raw = await openRawDatabase(url);

const { configureDatabase, db } = await import("@/server/db");
const { appendAuditEvent } = await import("@/server/audit/log");
const { verifyAuditChain } = await import("@/server/audit/verify");
const { recordVerification } = await import("@/server/audit/verifications");
const { chainHash, hashedTime } = await import("@/server/audit/chain");

const LEGACY = 3;
const CHAINED = 30;

/** A change made directly in the database, with one append-only trigger out of the way. */
function tamper(
  trigger: "AuditEvent_no_update" | "AuditEvent_no_delete",
  sql: string,
  ...params: unknown[]
): Promise<void> {
  return raw.withoutTrigger("AuditEvent", trigger, sql, ...params);
}

async function rowOf(id: number): Promise<Record<string, unknown>> {
  const [row] = await raw.all(`SELECT * FROM "AuditEvent" WHERE "id" = ?`, id);
  return row!;
}

async function reinsert(row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  await raw.run(
    `INSERT INTO "AuditEvent" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ...columns.map((c) => row[c]),
  );
}

interface TScriptRun {
  code: number;
  summary: {
    ok: boolean;
    checked: number;
    firstBad: { id: number | null; problem: string } | null;
    lastId: number;
    lastHash: string;
  };
}

/** `npm run audit:verify`, as an operator runs it. */
function verifyScript(...args: string[]): Promise<TScriptRun> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["run", "--silent", "audit:verify", "--", ...args],
      { env: { ...process.env, DATABASE_URL: url } },
      (error, stdout) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        try {
          resolve({ code, summary: JSON.parse(stdout.trim().split("\n").at(-1) ?? "") });
        } catch {
          reject(error ?? new Error(`no summary: ${stdout}`));
        }
      },
    );
  });
}

/** The walk in one process and split between three must give the same verdict. */
async function verify(options: TVerifyOptions = {}) {
  const [alone, split] = await Promise.all([
    verifyAuditChain(options),
    verifyAuditChain({ ...options, processes: 3 }),
  ]);
  expect({ ...split, durationMs: 0 }).toEqual({ ...alone, durationMs: 0 });
  return alone;
}

const latestRecord = () => db().auditVerification.findFirstOrThrow({ orderBy: { id: "desc" } });

function event(i: number): TAuditEventInput {
  return i % 3 === 0
    ? {
        type: "intervention.acked",
        data: { interventionId: `iv-${i}`, latencyMs: 100 + i },
        actor: { kind: "user", id: "u1", name: "sup1" },
        companyCode: "90001",
        ip: "10.0.0.1",
        userAgent: "vitest",
      }
    : {
        type: "login.failed",
        data: { username: `user${i}`, reason: "invalid_credentials" },
        actor: { kind: "anonymous" },
        companyCode: null,
        ip: "10.0.0.2",
        userAgent: "vitest",
      };
}

beforeAll(async () => {
  // Events from before the chain began: written as the previous version did, without hashes.
  for (let i = 0; i < LEGACY; i++) {
    await raw.run(
      `INSERT INTO "AuditEvent" ("at", "type", "actorKind", "data") VALUES (?, 'logout', 'system', ?)`,
      "2026-01-01T00:00:00.000+00:00",
      JSON.stringify({ userId: `old${i}`, username: "old" }),
    );
  }
  await configureDatabase();
  for (let i = 0; i < CHAINED; i++) await appendAuditEvent(event(i));
});

afterAll(() => raw.close());

describe("[AUDIT] chain verification", { timeout: 90_000 }, () => {
  it("passes on an untouched chain, counting the events from before it, and records the run", async () => {
    expect(await verify()).toMatchObject({
      ok: true,
      checked: LEGACY + CHAINED,
      unchained: LEGACY,
      lastId: LEGACY + CHAINED,
      firstBad: null,
    });
    const run = await verifyScript();
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ ok: true, checked: LEGACY + CHAINED, firstBad: null });
    expect(await latestRecord()).toMatchObject({
      ok: true,
      checked: LEGACY + CHAINED,
      unchained: LEGACY,
      firstBadId: null,
    });
    expect((await latestRecord()).message).toContain(run.summary.lastHash);
  });

  it("names an event changed in the database file, in the function, the script and the record", async () => {
    const id = LEGACY + 11;
    const original = await rowOf(id);
    await tamper(
      "AuditEvent_no_update",
      `UPDATE "AuditEvent" SET "data" = ? WHERE "id" = ?`,
      JSON.stringify({ username: "someone-else", reason: "invalid_credentials" }),
      id,
    );
    expect(await verify()).toMatchObject({
      ok: false,
      checked: id - 1,
      firstBad: { problem: "hash", id, type: "login.failed" },
    });
    const run = await verifyScript();
    expect(run.code).toBe(1);
    expect(run.summary.firstBad).toMatchObject({ problem: "hash", id });
    expect(await latestRecord()).toMatchObject({ ok: false, firstBadId: id });

    // Changed with its hash computed again: the next event's link to it breaks.
    const forged = JSON.stringify({ username: "someone-else", reason: "invalid_credentials" });
    const forgedHash = chainHash(String(original.prevHash), {
      ...(original as unknown as TChainedFields),
      at: hashedTime(String(original.at)),
      data: forged,
    });
    await tamper(
      "AuditEvent_no_update",
      `UPDATE "AuditEvent" SET "data" = ?, "hash" = ? WHERE "id" = ?`,
      forged,
      forgedHash,
      id,
    );
    expect((await verify()).firstBad).toMatchObject({ problem: "prev_hash", id: id + 1 });

    await tamper(
      "AuditEvent_no_update",
      `UPDATE "AuditEvent" SET "data" = ?, "hash" = ? WHERE "id" = ?`,
      original.data,
      original.hash,
      id,
    );
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("detects a deleted event at the event after it", async () => {
    const id = LEGACY + 20;
    const original = await rowOf(id);
    await tamper("AuditEvent_no_delete", `DELETE FROM "AuditEvent" WHERE "id" = ?`, id);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, firstBad: { problem: "prev_hash", id: id + 1 } });
    expect(result.firstBad?.message).toContain(`event ${id - 1}`);
    // The script, split between three processes: the gap falls inside the second range.
    const run = await verifyScript("--processes", "3");
    expect(run.code).toBe(1);
    expect(run.summary.firstBad).toMatchObject({ problem: "prev_hash", id: id + 1 });

    await reinsert(original);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("detects a cut tail after a verification recorded the longer log, and with an anchor", async () => {
    const intact = await verify();
    await recordVerification(intact);
    const last = await rowOf(intact.lastId!);
    await tamper("AuditEvent_no_delete", `DELETE FROM "AuditEvent" WHERE "id" = ?`, intact.lastId);

    // The walk alone cannot tell: every remaining event still links to the one before it.
    expect(await verify()).toMatchObject({
      ok: false,
      checked: intact.checked - 1,
      firstBad: { problem: "shrunk", id: null },
    });
    const run = await verifyScript("--anchor", `${intact.lastId}:${intact.lastHash}`);
    expect(run.code).toBe(1);
    expect(run.summary.firstBad).toMatchObject({ problem: "anchor", id: null });

    await reinsert(last);
    expect(await verify({ anchor: { id: intact.lastId!, hash: intact.lastHash } })).toMatchObject({
      ok: true,
    });
    expect(
      (await verify({ anchor: { id: intact.lastId!, hash: "0".repeat(64) } })).firstBad,
    ).toMatchObject({ problem: "anchor", id: intact.lastId });
  });

  it("refuses an event without a hash after the chain began, and reads in pages", async () => {
    const { insertedId: id } = await raw.run(
      `INSERT INTO "AuditEvent" ("at", "type", "actorKind", "data") VALUES (?, 'logout', 'system', '{}')`,
      new Date().toISOString(),
    );
    expect((await verify({ pageSize: 7 })).firstBad).toMatchObject({
      problem: "unchained",
      id,
    });

    await tamper("AuditEvent_no_delete", `DELETE FROM "AuditEvent" WHERE "id" = ?`, id);
    // The next append follows the last chained event, whatever its id.
    await appendAuditEvent(event(1));
    expect(await verify({ pageSize: 7 })).toMatchObject({
      ok: true,
      checked: LEGACY + CHAINED + 1,
      unchained: LEGACY,
    });
  });
});
