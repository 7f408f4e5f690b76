import Database from "better-sqlite3";
import pg from "pg";
import { databaseDialect, sqliteFilePath } from "@/server/db-url";

/**
 * The database as someone with direct access sees it, outside Floorwatch: better-sqlite3 on the
 * SQLite file, a node-postgres connection on PostgreSQL. Statements use `?` parameter markers (turned
 * into $1, $2… for PostgreSQL) and quoted identifiers, so one test reads the same on both.
 * Times come back as stored: SQLite's text, PostgreSQL's timestamps as ISO text in UTC.
 */
export interface TRawDatabase {
  all(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement; the id of the row it inserted, if it inserted one (RETURNING "id" on PostgreSQL). */
  run(sql: string, ...params: unknown[]): Promise<{ insertedId?: number }>;
  /**
   * Runs `sql` with the append-only trigger `trigger` of `table` out of the way, as an intruder
   * with the database's owner rights would: SQLite drops and recreates it, PostgreSQL disables
   * and enables it in one transaction.
   */
  withoutTrigger(table: string, trigger: string, sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openRawDatabase(url: string): Promise<TRawDatabase> {
  return databaseDialect(url) === "postgresql" ? postgres(url) : sqlite(url);
}

function sqlite(url: string): TRawDatabase {
  const db = new Database(sqliteFilePath(url));
  db.pragma("busy_timeout = 5000");
  return {
    all: async (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    run: async (sql, ...params) => {
      const { lastInsertRowid, changes } = db.prepare(sql).run(...params);
      return changes > 0 && /^\s*insert/i.test(sql) ? { insertedId: Number(lastInsertRowid) } : {};
    },
    withoutTrigger: async (_table, trigger, sql, ...params) => {
      const definition = db
        .prepare(`SELECT "sql" FROM sqlite_master WHERE type = 'trigger' AND name = ?`)
        .pluck()
        .get(trigger) as string;
      db.exec(`DROP TRIGGER "${trigger}"`);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.exec(definition);
      }
    },
    close: async () => void db.close(),
  };
}

const TIMESTAMP = 1114;
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function postgres(url: string): Promise<TRawDatabase> {
  const types = new pg.TypeOverrides();
  types.setTypeParser(TIMESTAMP, (text: string) => `${text.replace(" ", "T")}Z`);
  const client = new pg.Client({ connectionString: url, types, options: "-c TimeZone=UTC" });
  await client.connect();
  return {
    all: async (sql, ...params) => (await client.query(numbered(sql), params)).rows,
    run: async (sql, ...params) => {
      const insert = /^\s*insert/i.test(sql);
      const result = await client.query(numbered(insert ? `${sql} RETURNING "id"` : sql), params);
      const id = insert ? (result.rows[0] as { id?: number } | undefined)?.id : undefined;
      return id === undefined ? {} : { insertedId: id };
    },
    withoutTrigger: async (table, trigger, sql, ...params) => {
      await client.query("BEGIN");
      try {
        await client.query(`ALTER TABLE "${table}" DISABLE TRIGGER "${trigger}"`);
        await client.query(numbered(sql), params);
        await client.query(`ALTER TABLE "${table}" ENABLE TRIGGER "${trigger}"`);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    close: () => client.end(),
  };
}
