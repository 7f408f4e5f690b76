import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migratePostgres, POSTGRES_MIGRATIONS } from "@/server/database/migrate-postgres";
import { POSTGRES_SCHEMA } from "@/server/database/postgres-schema";
import { emptyPostgresDatabase, onPostgres } from "../helpers/postgres";

/**
 * [DATABASE] The PostgreSQL migration runner (server/database/migrate-postgres.ts) and the
 * migrations it applies. PostgreSQL suite only (npm run test:integration:pg): on SQLite, Prisma's
 * own `migrate deploy` applies prisma/migrations and every other test runs on what it made.
 */
const run = promisify(execFile);
const names = readdirSync(POSTGRES_MIGRATIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}
const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end()));
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

interface TRecord {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
  id: string;
}

async function records(url: string): Promise<TRecord[]> {
  const client = await connect(url);
  const { rows } = await client.query<TRecord>(
    `SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"`,
  );
  return rows;
}

/** `npm run db:migrate` in a process of its own, as a node starting would. */
function migrateProcess(url: string) {
  return run(
    process.execPath,
    ["--import", "./server/runtime.mjs", "server/database/migrate-main.ts"],
    { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "info" } },
  );
}

/** Tables, columns, indexes and constraints of the public schema, comparable across databases. */
async function catalog(url: string): Promise<Record<string, string[]>> {
  const client = await connect(url);
  const list = async (sql: string) =>
    (await client.query<{ line: string }>(sql)).rows.map((row) => row.line).sort();
  return {
    columns: await list(
      `SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || datetime_precision || ')', '')
         || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    ),
    indexes: await list(
      `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    ),
    constraints: await list(
      `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         AND conrelid::regclass::text <> '_prisma_migrations'`,
    ),
  };
}

describe.skipIf(!onPostgres)("[DATABASE] PostgreSQL migrations", () => {
  it("applies every migration to an empty database and records each as Prisma does", async () => {
    const url = await emptyPostgresDatabase("migrate");
    const first = await migratePostgres(url);
    expect(first).toEqual({ applied: names, modified: [] });
    const rows = await records(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      expect(row.checksum).toBe(
        sha256(path.join(POSTGRES_MIGRATIONS, row.migration_name, "migration.sql")),
      );
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
    }

    // A second start finds nothing to do and changes nothing.
    expect(await migratePostgres(url)).toEqual({ applied: [], modified: [] });
    expect(await records(url)).toEqual(rows);
  });

  it("applies each migration once when several nodes start at once", async () => {
    const url = await emptyPostgresDatabase("concurrent");
    const outputs = await Promise.all([
      migrateProcess(url),
      migrateProcess(url),
      migrateProcess(url),
    ]);
    const applied = outputs.flatMap(({ stdout }) =>
      stdout
        .split("\n")
        .filter((line) => line.includes('"applied"'))
        .flatMap((line) => (JSON.parse(line) as { applied: string[] }).applied),
    );
    expect(applied.sort()).toEqual(names);
    expect((await records(url)).map((row) => row.migration_name)).toEqual(names);
  }, 60_000);

  it("rolls a failing migration back whole and records nothing, so the next start retries it", async () => {
    const url = await emptyPostgresDatabase("failing");
    const dir = mkdtempSync(path.join(tmpdir(), "fw-migrations-"));
    scratch.push(dir);
    cpSync(POSTGRES_MIGRATIONS, dir, { recursive: true });
    const broken = path.join(dir, "29990101000000_broken");
    cpSync(path.join(dir, names[0]!), broken, { recursive: true });
    writeFileSync(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Half" ("id" INTEGER);\nSELECT no_such_function();\n`,
    );
    await expect(migratePostgres(url, dir)).rejects.toThrow(
      /migration 29990101000000_broken failed and was rolled back: .*no_such_function/,
    );
    const client = await connect(url);
    expect((await client.query(`SELECT to_regclass('"Half"') AS t`)).rows[0].t).toBeNull();
    expect((await records(url)).map((row) => row.migration_name)).toEqual(names);

    writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "Half" ("id" INTEGER);\n`);
    expect(await migratePostgres(url, dir)).toEqual({
      applied: ["29990101000000_broken"],
      modified: [],
    });
  });

  it("reports an applied migration whose file changed, and refuses a database migrated by a newer version", async () => {
    const url = await emptyPostgresDatabase("drifted");
    const dir = mkdtempSync(path.join(tmpdir(), "fw-migrations-"));
    scratch.push(dir);
    cpSync(POSTGRES_MIGRATIONS, dir, { recursive: true });
    await migratePostgres(url, dir);
    const first = path.join(dir, names[0]!, "migration.sql");
    writeFileSync(first, `${readFileSync(first, "utf8")}\n-- edited after it was applied\n`);
    expect(await migratePostgres(url, dir)).toEqual({ applied: [], modified: [names[0]] });

    rmSync(path.join(dir, names.at(-1)!), { recursive: true });
    await expect(migratePostgres(url, dir)).rejects.toThrow(/migrated by a newer Floorwatch/);
  });

  it("makes the schema prisma/postgres/schema.prisma describes, with the append-only triggers", async () => {
    const migrated = await emptyPostgresDatabase("schema");
    await migratePostgres(migrated);
    // What Prisma would create from the schema in one step (offline: migrate diff needs no database).
    const fromSchema = await emptyPostgresDatabase("datamodel");
    const script = execFileSync(
      process.execPath,
      [
        path.join("node_modules", "prisma", "build", "index.js"),
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema-datamodel",
        POSTGRES_SCHEMA,
        "--script",
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    await (await connect(fromSchema)).query(script);
    expect(
      await catalog(migrated),
      "prisma/migrations-postgres does not produce prisma/postgres/schema.prisma: a migration is missing or wrong (docs/database.md)",
    ).toEqual(await catalog(fromSchema));

    const client = await connect(migrated);
    await client.query(
      `INSERT INTO "AuditEvent" ("type", "actorKind", "data") VALUES ('logout', 'system', '{}')`,
    );
    await client.query(
      `INSERT INTO "AuditVerification" ("ok", "checked", "unchained", "durationMs") VALUES (true, 1, 0, 1)`,
    );
    for (const [table, message] of [
      ["AuditEvent", "audit log is append-only"],
      ["AuditVerification", "audit verifications are append-only"],
    ] as const) {
      const column = table === "AuditEvent" ? `"type" = 'x'` : `"ok" = false`;
      await expect(client.query(`UPDATE "${table}" SET ${column}`)).rejects.toThrow(message);
      await expect(client.query(`DELETE FROM "${table}"`)).rejects.toThrow(message);
      await expect(client.query(`TRUNCATE "${table}"`)).rejects.toThrow(message);
      expect((await client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n).toBe(1);
    }
  }, 60_000);
});
