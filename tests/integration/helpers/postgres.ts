import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";

/**
 * PostgreSQL for the integration tests. `FW_TEST_DB=postgres` (npm run test:integration:pg) runs
 * the suite against PostgreSQL: each test file gets a fresh database, copied from a template the
 * run migrated once (tests/integration/helpers/postgres-setup.ts), and every database of the run
 * is dropped at its end. FW_TEST_PG_URL names the server and a user that may CREATE DATABASE.
 */
export const TEST_DIALECT: "sqlite" | "postgresql" =
  process.env.FW_TEST_DB === "postgres" ? "postgresql" : "sqlite";

export const onPostgres = TEST_DIALECT === "postgresql";

export const POSTGRES_ADMIN_URL =
  process.env.FW_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** What a test says when PostgreSQL cannot be reached. */
export function postgresDownMessage(error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return [
    `PostgreSQL is not reachable at ${new URL(POSTGRES_ADMIN_URL).host} (${why}).`,
    "The PostgreSQL tests need a server where this user may CREATE DATABASE:",
    "  start it: service postgresql start   (Debian: apt-get install -y postgresql)",
    "  or point FW_TEST_PG_URL at one: FW_TEST_PG_URL=postgresql://user@host:5432/postgres",
  ].join("\n");
}

/** The URL of database `name` on the test server. */
export function postgresUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** This run's prefix for database names (set by the global setup); every one is dropped at the end. */
export function runPrefix(): string {
  const prefix = process.env.FW_TEST_PG_RUN;
  if (!prefix) {
    throw new Error(
      "FW_TEST_PG_RUN is not set: run PostgreSQL tests through vitest's integration project (npm run test:integration:pg)",
    );
  }
  return prefix;
}

export function templateName(): string {
  return `${runPrefix()}template`;
}

function freshName(label: string): string {
  const clean = label
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()
    .slice(0, 20);
  return `${runPrefix()}${clean}_${randomBytes(4).toString("hex")}`;
}

/** A fresh migrated database (a copy of the run's template), from synchronous code; its URL. */
export function migratedPostgresDatabaseSync(label: string): string {
  const name = freshName(label);
  execFileSync(
    process.execPath,
    [
      path.join("tests", "integration", "helpers", "pg-admin.mjs"),
      POSTGRES_ADMIN_URL,
      name,
      templateName(),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return postgresUrl(name);
}

/** A fresh empty database (no migrations); its URL. */
export async function emptyPostgresDatabase(label: string): Promise<string> {
  const name = freshName(label);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return postgresUrl(name);
}

export async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(postgresDownMessage(error), { cause: error });
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Drops every database whose name starts with `prefix` (closing their connections). */
export async function dropDatabases(prefix: string): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [prefix],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    return rows.map((row) => row.datname);
  });
}
