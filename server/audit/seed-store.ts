import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import { ZAuditEventInput } from "@/lib/audit/events";
import { databaseDialect, redactDatabaseUrl, sqliteFilePath } from "../db-url";
import { postgresConfig } from "../database/postgres";
import { AUDIT_CHAIN_LOCK } from "../database/sql";
import { chainedFields, chainHash, NO_HASH, storedTime, type TChainedFields } from "./chain";
import type { TSeedIntervention, TSeedItem } from "./seed-log";

/**
 * Where audit:seed writes (server/audit/seed-main.ts): raw SQL, one transaction per batch, which
 * takes the chain's lock first and reads the last hash under it, so a server appending at the
 * same time stays on the same chain. SQLite through better-sqlite3 (BEGIN IMMEDIATE);
 * PostgreSQL through node-postgres (the appends' advisory lock, rows sent as arrays).
 */
export interface TSeedStore {
  /** Events already in the log, and the time of the newest. */
  existing(): Promise<{ count: number; last: Date | null }>;
  /** Writes a batch after the last event, chained; resolves with the new last hash. */
  writeBatch(items: TSeedItem[]): Promise<string>;
  close(): Promise<void>;
}

export class NotMigratedError extends Error {}

export async function openSeedStore(url: string): Promise<TSeedStore> {
  return databaseDialect(url) === "postgresql" ? postgresStore(url) : sqliteStore(url);
}

/** The events of a batch chained after `prevHash`, in order, and the interventions among them. */
function chainBatch(items: TSeedItem[], prevHash: string) {
  const events: (TChainedFields & { prevHash: string; hash: string })[] = [];
  const interventions: TSeedIntervention[] = [];
  for (const item of items) {
    if (item.kind === "intervention") {
      interventions.push(item.row);
      continue;
    }
    const fields = chainedFields(ZAuditEventInput.parse(item.event), item.at);
    const hash = chainHash(prevHash, fields);
    events.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return { events, interventions, head: prevHash };
}

function sqliteStore(url: string): TSeedStore {
  const file = sqliteFilePath(url);
  const sqlite = new Database(file, { fileMustExist: true, timeout: 5_000 });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  const columns = sqlite.prepare(`SELECT name FROM pragma_table_info('AuditEvent')`).all();
  if (!columns.some((column) => (column as { name: string }).name === "hash")) {
    sqlite.close();
    throw new NotMigratedError(
      `${file} is not migrated: start Floorwatch once, or npm run db:migrate`,
    );
  }
  const lastHash = sqlite
    .prepare(`SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1`)
    .pluck();
  const insertEvent = sqlite.prepare(
    `INSERT INTO "AuditEvent" ("at", "type", "actorKind", "actorId", "actorName", "companyCode",
       "ip", "userAgent", "data", "interventionId", "prevHash", "hash")
     VALUES (@at, @type, @actorKind, @actorId, @actorName, @companyCode, @ip, @userAgent, @data,
       @interventionId, @prevHash, @hash)`,
  );
  const insertIntervention = sqlite.prepare(
    `INSERT INTO "Intervention" (${INTERVENTION_COLUMNS.map((c) => `"${c}"`).join(", ")})
     VALUES (${INTERVENTION_COLUMNS.map((c) => `@${c}`).join(", ")})`,
  );
  const write = sqlite.transaction((items: TSeedItem[]) => {
    const batch = chainBatch(items, (lastHash.get() as string | undefined) ?? NO_HASH);
    for (const row of batch.interventions) {
      insertIntervention.run({
        ...row,
        requestedAt: storedTime(row.requestedAt.toISOString()),
        updatedAt: storedTime(row.updatedAt.toISOString()),
      });
    }
    for (const event of batch.events) insertEvent.run({ ...event, at: storedTime(event.at) });
    return batch.head;
  });
  return {
    existing: async () => {
      const row = sqlite
        .prepare(`SELECT count(*) AS n, max("at") AS last FROM "AuditEvent"`)
        .get() as { n: number; last: string | null };
      return { count: row.n, last: row.last === null ? null : new Date(row.last) };
    },
    writeBatch: async (items) => write.immediate(items),
    close: async () => void sqlite.close(),
  };
}

const INTERVENTION_COLUMNS = [
  "id",
  "companyCode",
  "operation",
  "actorId",
  "actorName",
  "seatAgentId",
  "targetAgentId",
  "callUuid",
  "reason",
  "stage",
  "outcome",
  "code",
  "message",
  "idempotencyKey",
  "requestedAt",
  "updatedAt",
] as const;

const EVENT_COLUMNS = [
  "at",
  "type",
  "actorKind",
  "actorId",
  "actorName",
  "companyCode",
  "ip",
  "userAgent",
  "data",
  "interventionId",
  "prevHash",
  "hash",
] as const;

/**
 * `INSERT … SELECT FROM unnest($1::type[], …)`: a whole batch as one array per column, one
 * statement and a dozen parameters for thousands of rows. WITH ORDINALITY keeps the rows in
 * array order, so the sequence gives ids in chain order.
 */
function unnestInsert(table: string, columns: readonly string[], times: readonly string[]): string {
  const arrays = columns.map(
    (column, i) => `$${i + 1}::${times.includes(column) ? "timestamp(3)" : "text"}[]`,
  );
  const names = columns.map((c) => `"${c}"`).join(", ");
  return `INSERT INTO "${table}" (${names})
    SELECT ${names} FROM unnest(${arrays.join(", ")}) WITH ORDINALITY AS t(${names}, "n")
    ORDER BY "n"`;
}

async function postgresStore(url: string): Promise<TSeedStore> {
  const client = new pg.Client(postgresConfig(url, "floorwatch-audit-seed"));
  await client.connect();
  const migrated = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'AuditEvent' AND column_name = 'hash'`,
  );
  if (migrated.rowCount === 0) {
    await client.end();
    throw new NotMigratedError(
      `${redactDatabaseUrl(url)} is not migrated: start Floorwatch once, or npm run db:migrate`,
    );
  }
  const insertEvents = unnestInsert("AuditEvent", EVENT_COLUMNS, ["at"]);
  const insertInterventions = unnestInsert("Intervention", INTERVENTION_COLUMNS, [
    "requestedAt",
    "updatedAt",
  ]);
  const columnsOf = <T extends object>(rows: T[], columns: readonly (keyof T & string)[]) =>
    columns.map((column) =>
      rows.map((row) => {
        const value = row[column];
        return value instanceof Date ? value.toISOString() : value;
      }),
    );
  return {
    existing: async () => {
      const { rows } = await client.query<{ n: string; last: string | null }>(
        `SELECT count(*) AS "n", to_char(max("at"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "last" FROM "AuditEvent"`,
      );
      const row = rows[0]!;
      return { count: Number(row.n), last: row.last === null ? null : new Date(row.last) };
    },
    writeBatch: async (items) => {
      await client.query("BEGIN");
      try {
        await client.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
        const last = await client.query<{ hash: string }>(
          `SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1`,
        );
        const batch = chainBatch(items, last.rows[0]?.hash ?? NO_HASH);
        if (batch.interventions.length > 0) {
          await client.query(
            insertInterventions,
            columnsOf(batch.interventions, INTERVENTION_COLUMNS),
          );
        }
        if (batch.events.length > 0) {
          await client.query(insertEvents, columnsOf(batch.events, EVENT_COLUMNS));
        }
        await client.query("COMMIT");
        return batch.head;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}
