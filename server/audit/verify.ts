import "server-only";
import Database from "better-sqlite3";
import { db } from "../db";
import { sqliteFilePath } from "../db-url";
import { chainHash, hashedTime, NO_HASH } from "./chain";

/**
 * The audit chain's verification (npm run audit:verify; docs/audit.md): every event's hash is
 * computed again from its fields and the hash of the event before it, in id order, in pages.
 */

/** What went wrong at the first event that does not match. */
export type TChainProblem =
  /** Its fields do not give its hash: it was changed after it was written. */
  | "hash"
  /** Its prevHash is not the hash of the event before it: an event was deleted or inserted. */
  | "prev_hash"
  /** It has no hash although an earlier event has one: written outside the chain, or erased. */
  | "unchained"
  /** The event given as an anchor is missing or has another hash (the log was cut or rewritten). */
  | "anchor"
  /** The log has fewer events than an earlier successful verification checked: its tail was cut. */
  | "shrunk";

export interface TChainBreak {
  problem: TChainProblem;
  /** The event that does not match (null when the problem is a missing tail). */
  id: number | null;
  type: string | null;
  at: string | null;
  message: string;
}

export interface TVerifyResult {
  ok: boolean;
  /** Events checked: those that existed when the walk began. */
  checked: number;
  /** Of those, events written before the chain began (no hash); accepted only as a prefix. */
  unchained: number;
  /**
   * The last event checked and its hash. Kept somewhere an attacker cannot write, they let a
   * later run prove that nothing up to that event changed (--anchor id:hash).
   */
  lastId: number | null;
  lastHash: string;
  firstBad: TChainBreak | null;
  durationMs: number;
}

export interface TVerifyOptions {
  /** Rows read at a time; memory stays bounded by this. */
  pageSize?: number;
  /** An event and the hash it had at an earlier verification. */
  anchor?: { id: number; hash: string };
}

/** A row as read: the columns in the order of COLUMNS. */
type TRow = [
  id: number,
  at: string,
  type: string,
  actorKind: string,
  actorId: string | null,
  actorName: string | null,
  companyCode: string | null,
  ip: string | null,
  userAgent: string | null,
  data: string,
  interventionId: string | null,
  prevHash: string,
  hash: string,
];
const COLUMNS = `"id", "at", "type", "actorKind", "actorId", "actorName", "companyCode", "ip",
  "userAgent", "data", "interventionId", "prevHash", "hash"`;

/**
 * Reads with better-sqlite3 directly, rows as arrays: through Prisma a million rows take about
 * three times as long (a PostgreSQL deployment would read with a cursor instead).
 */
export async function verifyAuditChain(options: TVerifyOptions = {}): Promise<TVerifyResult> {
  const started = performance.now();
  const pageSize = options.pageSize ?? 5_000;
  const sqlite = new Database(
    sqliteFilePath(process.env.DATABASE_URL ?? "file:./data/floorwatch.db"),
    { fileMustExist: true, timeout: 5_000 },
  );
  const walk = new ChainWalk(options.anchor);
  try {
    // Events appended during the walk are left to the next run.
    const end =
      (sqlite.prepare(`SELECT max("id") FROM "AuditEvent"`).pluck().get() as number | null) ?? 0;
    const page = sqlite
      .prepare(
        `SELECT ${COLUMNS} FROM "AuditEvent" WHERE "id" > ? AND "id" <= ? ORDER BY "id" LIMIT ?`,
      )
      .raw();
    let after = 0;
    while (after < end && !walk.broken) {
      const rows = page.all(after, end, pageSize) as TRow[];
      if (rows.length === 0) break;
      for (const row of rows) if (!walk.next(row)) break;
      after = rows.at(-1)![0];
    }
  } finally {
    sqlite.close();
  }
  if (!walk.broken) walk.finish(await largestVerifiedCount());
  return {
    ok: walk.broken === null,
    checked: walk.checked,
    unchained: walk.unchained,
    lastId: walk.lastId,
    lastHash: walk.lastHash,
    firstBad: walk.broken,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The most events a successful verification ever checked (the log only grows). */
async function largestVerifiedCount(): Promise<number> {
  const best = await db().auditVerification.aggregate({
    where: { ok: true },
    _max: { checked: true },
  });
  return best._max.checked ?? 0;
}

class ChainWalk {
  checked = 0;
  unchained = 0;
  lastId: number | null = null;
  lastHash = NO_HASH;
  broken: TChainBreak | null = null;
  private anchorSeen = false;

  constructor(private readonly anchor: TVerifyOptions["anchor"]) {}

  /** Checks the next event in id order; false once the chain is broken. */
  next(row: TRow): boolean {
    const [
      id,
      storedAt,
      type,
      actorKind,
      actorId,
      actorName,
      companyCode,
      ip,
      userAgent,
      data,
      interventionId,
      prevHash,
      hash,
    ] = row;
    if (hash === NO_HASH) {
      if (this.lastHash !== NO_HASH || prevHash !== NO_HASH) {
        return this.fail(row, "unchained", "has no hash, but the chain began before it");
      }
      this.unchained++;
    } else {
      let expected: string;
      try {
        expected = chainHash(prevHash, {
          at: hashedTime(storedAt),
          type,
          actorKind,
          actorId,
          actorName,
          companyCode,
          ip,
          userAgent,
          data,
          interventionId,
        });
      } catch {
        return this.fail(row, "hash", "its data is not JSON: it was changed after it was written");
      }
      if (expected !== hash) {
        return this.fail(
          row,
          "hash",
          "its fields do not match its hash: it was changed after it was written",
        );
      }
      if (prevHash !== this.lastHash) {
        return this.fail(
          row,
          "prev_hash",
          this.lastId === null
            ? "its prevHash names an event that is not in the log: earlier events were deleted"
            : `its prevHash is not the hash of event ${this.lastId} before it: events between them were deleted or inserted, or event ${this.lastId} was rewritten`,
        );
      }
    }
    if (this.anchor && id === this.anchor.id) {
      this.anchorSeen = true;
      if (hash !== this.anchor.hash) {
        return this.fail(
          row,
          "anchor",
          `its hash is not the anchor's ${this.anchor.hash}: the log was rewritten`,
        );
      }
    }
    this.checked++;
    this.lastId = id;
    this.lastHash = hash;
    return true;
  }

  private fail(row: TRow, problem: TChainProblem, why: string): false {
    const [id, storedAt, type] = row;
    const at = new Date(storedAt);
    const when = Number.isNaN(at.getTime()) ? storedAt : at.toISOString();
    this.broken = {
      problem,
      id,
      type,
      at: when,
      message: `event ${id} (${type}, ${when}): ${why}`,
    };
    return false;
  }

  /** After the last event: the checks that need the whole walk. */
  finish(largestVerified: number): void {
    const missing = (problem: TChainProblem, message: string) => {
      this.broken = { problem, id: null, type: null, at: null, message };
    };
    if (this.anchor && !this.anchorSeen) {
      missing(
        "anchor",
        `the anchor event ${this.anchor.id} is not in the log (last event ${this.lastId ?? "none"}): the log was cut`,
      );
    } else if (this.checked < largestVerified) {
      missing(
        "shrunk",
        `the log has ${this.checked} events but an earlier verification checked ${largestVerified}: events at its end were deleted`,
      );
    }
  }
}

/** Records a run in AuditVerification (append-only), for the admin pages. */
export async function recordVerification(result: TVerifyResult): Promise<void> {
  await db().auditVerification.create({
    data: {
      ok: result.ok,
      checked: result.checked,
      unchained: result.unchained,
      firstBadId: result.firstBad?.id ?? null,
      message:
        result.firstBad?.message ??
        `intact up to event ${result.lastId ?? "none"}, hash ${result.lastHash || "none"}`,
      durationMs: result.durationMs,
    },
  });
}

/** The latest verification, for the admin pages; null before the first. */
export async function latestVerification() {
  return db().auditVerification.findFirst({ orderBy: { id: "desc" } });
}
