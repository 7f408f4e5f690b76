/**
 * `npm run db:postgres-schema`: writes prisma/postgres/schema.prisma from prisma/schema.prisma,
 * and when the models changed, the PostgreSQL migration of the newest SQLite migration that has
 * none yet: `prisma migrate diff` from the previous PostgreSQL schema to the new one (offline).
 * Then generate both clients (`npm run db:generate`). docs/database.md, "Changing the schema".
 */
import "server-only";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { POSTGRES_MIGRATIONS } from "./migrate-postgres";
import { expectedPostgresSchema, POSTGRES_SCHEMA } from "./postgres-schema";

const SQLITE_MIGRATIONS = path.join("prisma", "migrations");

function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The SQL that takes a database from the `from` schema (a file) to the `to` schema. */
function diff(from: string, to: string): string {
  return execFileSync(
    process.execPath,
    [
      path.join("node_modules", "prisma", "build", "index.js"),
      "migrate",
      "diff",
      "--from-schema-datamodel",
      from,
      "--to-schema-datamodel",
      to,
      "--script",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
}

function main(): void {
  const previous = readFileSync(POSTGRES_SCHEMA, "utf8");
  const next = expectedPostgresSchema();
  const known = new Set(migrationNames(POSTGRES_MIGRATIONS));
  const missing = migrationNames(SQLITE_MIGRATIONS).filter((name) => !known.has(name));
  if (missing.length > 1) {
    throw new Error(
      `several SQLite migrations have no PostgreSQL migration (${missing.join(", ")}): add them one at a time (docs/database.md)`,
    );
  }
  const name = missing[0];
  if (name === undefined) {
    if (previous !== next) {
      throw new Error(
        "prisma/schema.prisma changed but every SQLite migration already has its PostgreSQL migration: create the SQLite migration first (docs/database.md)",
      );
    }
    process.stdout.write(`${POSTGRES_SCHEMA} is up to date\n`);
    return;
  }
  const scratch = mkdtempSync(path.join(tmpdir(), "fw-postgres-schema-"));
  try {
    const from = path.join(scratch, "previous.prisma");
    writeFileSync(from, previous);
    writeFileSync(POSTGRES_SCHEMA, next);
    const sql = diff(from, POSTGRES_SCHEMA);
    const dir = path.join(POSTGRES_MIGRATIONS, name);
    if (!existsSync(dir)) mkdirSync(dir);
    writeFileSync(path.join(dir, "migration.sql"), sql);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `wrote ${POSTGRES_SCHEMA} and ${path.join(POSTGRES_MIGRATIONS, name, "migration.sql")}`,
      `now read ${path.join(SQLITE_MIGRATIONS, name, "migration.sql")}: its hand-written SQL (triggers, data changes) needs its PostgreSQL form in the new file`,
      "",
    ].join("\n"),
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `db:postgres-schema: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
