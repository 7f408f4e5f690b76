import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { storedTime } from "../audit/chain";
import { databaseDialect, sqliteFilePath } from "../db-url";
import { postgresConfig } from "./postgres";

/**
 * Reads rows of the SQL Prisma builds (`Prisma.sql`) with the database's own driver:
 * better-sqlite3 on a read-only connection of its own, node-postgres on a client of its own.
 * For reads of a whole table, the audit's CSV export: through Prisma every row is converted twice
 * (driver → engine → JavaScript), which over a million rows costs about five times the time and
 * lets the process grow by tens of megabytes of garbage outside the JavaScript heap.
 *
 * Rows come back as Prisma's raw queries give them: times as `Date` (on SQLite, which stores
 * them as text, the columns named `timeColumns`; on PostgreSQL, every `timestamp`), numbers and
 * text as stored. A Date given as a value is written as Prisma writes it. On SQLite the
 * connection reads what is committed (WAL), never another connection's open transaction.
 */
export interface TRawReader {
  rows<TRow>(sql: Prisma.Sql): Promise<TRow[]>;
  close(): Promise<void>;
}

export async function openRawReader(url: string, timeColumns: string[]): Promise<TRawReader> {
  return databaseDialect(url) === "postgresql"
    ? postgresReader(url)
    : sqliteReader(url, new Set(timeColumns));
}

function sqliteReader(url: string, times: Set<string>): TRawReader {
  const sqlite = new Database(sqliteFilePath(url), {
    readonly: true,
    fileMustExist: true,
    timeout: 5_000,
  });
  const statements = new Map<string, Database.Statement>();
  return {
    rows: async <TRow>(sql: Prisma.Sql) => {
      let statement = statements.get(sql.sql);
      if (!statement) {
        statement = sqlite.prepare(sql.sql);
        statements.set(sql.sql, statement);
      }
      const values = sql.values.map((value) =>
        value instanceof Date ? storedTime(value.toISOString()) : value,
      );
      const rows = statement.all(...values) as Record<string, unknown>[];
      for (const row of rows)
        for (const column of times)
          if (typeof row[column] === "string") row[column] = new Date(row[column]);
      return rows as TRow[];
    },
    close: async () => void sqlite.close(),
  };
}

/** PostgreSQL's `timestamp` (without time zone): Floorwatch stores UTC in it. */
const TIMESTAMP_OID = 1114;

async function postgresReader(url: string): Promise<TRawReader> {
  const client = new pg.Client({
    ...postgresConfig(url, "floorwatch-audit-export"),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === TIMESTAMP_OID
          ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  return {
    rows: async <TRow>(sql: Prisma.Sql) => {
      const values = sql.values.map((value) =>
        value instanceof Date ? value.toISOString() : value,
      );
      const result = await client.query({ text: sql.text, values });
      return result.rows as TRow[];
    },
    close: () => client.end(),
  };
}
