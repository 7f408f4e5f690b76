import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { postgresConfig } from "./postgres";

/**
 * Applies prisma/migrations-postgres/* to a PostgreSQL database, in name order, each pending
 * one in a transaction of its own, and records them in `_prisma_migrations` with Prisma's
 * columns, so `prisma migrate status` and any later Prisma tooling see them as applied. We run
 * this instead of `prisma migrate deploy`, which fails on PostgreSQL through the JS schema
 * engine (docs/database.md, "Prisma toolchain" and "Migrations").
 *
 * Several nodes may start at once: the whole run holds a session-level advisory lock (Prisma's
 * own key for migrations), so the others wait, then find nothing pending.
 */

export const POSTGRES_MIGRATIONS = path.join("prisma", "migrations-postgres");

/** The key `prisma migrate` locks with: our runner and Prisma's exclude each other. */
const MIGRATION_LOCK = 72707369;

/** Prisma's own definition of its table (PostgreSQL). */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface TMigrationFile {
  name: string;
  sql: string;
  /** SHA-256 (hex) of the file, as Prisma computes it. */
  checksum: string;
}

/** The migrations of `dir`, in the order they are applied (their names begin with a timestamp). */
export function readMigrations(dir: string = POSTGRES_MIGRATIONS): TMigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

export interface TMigrateResult {
  applied: string[];
  /** Applied earlier, but the file has changed since (Prisma warns about these too). */
  modified: string[];
}

interface TAppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {}

/** Applies every pending migration of `dir` to the database at `url`. */
export async function migratePostgres(
  url: string,
  dir: string = POSTGRES_MIGRATIONS,
): Promise<TMigrateResult> {
  const migrations = readMigrations(dir);
  const client = new pg.Client(postgresConfig(url, "floorwatch-migrate"));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(
  client: pg.Client,
  migrations: TMigrationFile[],
): Promise<TMigrateResult> {
  await client.query(CREATE_TABLE);
  const { rows } = await client.query<TAppliedRow>(
    `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`,
  );
  const unfinished = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (unfinished) {
    throw new MigrationError(
      `migration ${unfinished.migration_name} was started and never finished: check the database by hand, then delete its row from "_prisma_migrations" (or mark it rolled back) and start again`,
    );
  }
  const done = new Map(
    rows.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row.checksum]),
  );
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...done.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this version does not know (${unknown.join(", ")}): it was migrated by a newer Floorwatch`,
    );
  }
  const result: TMigrateResult = { applied: [], modified: [] };
  for (const migration of migrations) {
    const checksum = done.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) result.modified.push(migration.name);
      continue;
    }
    await apply(client, migration);
    result.applied.push(migration.name);
  }
  return result;
}

/**
 * One migration and its record, in one transaction: PostgreSQL's DDL is transactional, so a
 * migration that fails leaves nothing behind (no half-applied schema, no record) and the next
 * start tries it again.
 */
async function apply(client: pg.Client, migration: TMigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    // A failed ROLLBACK (the connection is gone) must not hide why the migration failed.
    await client.query("ROLLBACK").catch(() => undefined);
    throw new MigrationError(
      `migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
