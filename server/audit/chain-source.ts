import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseDialect, sqliteFilePath } from "../db-url";
import { postgresConfig } from "../database/postgres";

/**
 * Reads the audit log for the chain's verification, in id order, a page at a time, rows as
 * arrays: better-sqlite3 on SQLite, node-postgres on PostgreSQL. Both bypass Prisma, which takes
 * about three times as long over a million rows.
 */

/** An event as read: the columns in this order, `at` as stored (SQLite) or as ISO text (PostgreSQL). */
export type TEventRow = [
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

const OTHER_COLUMNS = `"type", "actorKind", "actorId", "actorName", "companyCode", "ip",
  "userAgent", "data", "interventionId", "prevHash", "hash"`;

export interface TEventSource {
  /** At most `limit` events with `after` < id <= `upTo`, in id order. */
  page(after: number, upTo: number, limit: number): Promise<TEventRow[]>;
  /** The largest id (0 when the log is empty). */
  lastId(): Promise<number>;
  close(): Promise<void>;
}

/** Opens the audit log of the database at `url` for reading. */
export async function openEventSource(url: string): Promise<TEventSource> {
  return databaseDialect(url) === "postgresql" ? postgresSource(url) : sqliteSource(url);
}

function sqliteSource(url: string): TEventSource {
  const sqlite = new Database(sqliteFilePath(url), { fileMustExist: true, timeout: 5_000 });
  const page = sqlite
    .prepare(
      `SELECT "id", "at", ${OTHER_COLUMNS} FROM "AuditEvent" WHERE "id" > ? AND "id" <= ? ORDER BY "id" LIMIT ?`,
    )
    .raw();
  return {
    page: async (after, upTo, limit) => page.all(after, upTo, limit) as TEventRow[],
    lastId: async () =>
      (sqlite.prepare(`SELECT max("id") FROM "AuditEvent"`).pluck().get() as number | null) ?? 0,
    close: async () => void sqlite.close(),
  };
}

/** `at` (timestamp(3), UTC) as `Date.toISOString()` writes it: what its hash covers. */
const ISO_AT = `to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function postgresSource(url: string): Promise<TEventSource> {
  const client = new pg.Client(postgresConfig(url, "floorwatch-audit-verify"));
  await client.connect();
  return {
    page: async (after, upTo, limit) => {
      const result = await client.query<TEventRow>({
        text: `SELECT "id", ${ISO_AT}, ${OTHER_COLUMNS} FROM "AuditEvent"
               WHERE "id" > $1 AND "id" <= $2 ORDER BY "id" LIMIT $3`,
        values: [after, upTo, limit],
        rowMode: "array",
      });
      return result.rows;
    },
    lastId: async () => {
      const result = await client.query<{ last: number | null }>(
        `SELECT max("id") AS "last" FROM "AuditEvent"`,
      );
      return result.rows[0]?.last ?? 0;
    },
    close: () => client.end(),
  };
}
