/**
 * `npm run audit:seed -- <count> [--append] [--days 90] [--seed 1]`: writes a realistic audit log
 * of exactly <count> events with a valid hash chain (and the Intervention rows its intervention
 * events project) into the database of DATABASE_URL, already migrated. Refuses a database that
 * has events unless --append, which chains on after the last one. Progress on stderr, a one-line
 * JSON summary on stdout. For load tests and the verification's timing; never for production.
 *
 * Raw SQL through better-sqlite3, in transactions of BATCH events: Prisma would take minutes for
 * a million rows. Each transaction takes the write lock first (BEGIN IMMEDIATE) and reads the
 * last hash under it, so a server appending at the same time stays on the same chain.
 */
import "server-only";
import Database from "better-sqlite3";
import { ZAuditEventInput } from "@/lib/audit/events";
import { sqliteFilePath } from "../db-url";
import { chainedFields, chainHash, NO_HASH, storedTime } from "./chain";
import { seedLog, type TSeedIntervention, type TSeedItem } from "./seed-log";

const BATCH = 5_000;
const PROGRESS_EVERY = 100_000;
const USAGE = "usage: npm run audit:seed -- <count> [--append] [--days 90] [--seed 1]";

interface TArgs {
  count: number;
  append: boolean;
  days: number;
  seed: number;
}

function parseArgs(argv: string[]): TArgs {
  const args: TArgs = { count: 0, append: false, days: 90, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--append") args.append = true;
    else if (arg === "--days") args.days = positiveInt(argv[++i]);
    else if (arg === "--seed") args.seed = positiveInt(argv[++i]);
    else args.count = positiveInt(arg);
  }
  if (args.count === 0) throw new UsageError("the number of events is missing");
  return args;
}

class UsageError extends Error {}

function positiveInt(text: string | undefined): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`not a count: ${text}`);
  return value;
}

function open(): Database.Database {
  const file = sqliteFilePath(process.env.DATABASE_URL ?? "file:./data/floorwatch.db");
  const sqlite = new Database(file, { fileMustExist: true, timeout: 5_000 });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  const columns = sqlite.prepare(`SELECT name FROM pragma_table_info('AuditEvent')`).all();
  if (!columns.some((column) => (column as { name: string }).name === "hash")) {
    throw new UsageError(
      `${file} is not migrated: start Floorwatch once, or npx prisma migrate deploy`,
    );
  }
  return sqlite;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const sqlite = open();
  const existing = sqlite
    .prepare(`SELECT count(*) AS n, max("at") AS last FROM "AuditEvent"`)
    .get() as {
    n: number;
    last: string | null;
  };
  if (existing.n > 0 && !args.append) {
    throw new UsageError(
      `the database already has ${existing.n} audit events (--append to add to them)`,
    );
  }
  const to = new Date();
  const from = new Date(
    Math.max(to.getTime() - args.days * 86_400_000, existing.last ? Date.parse(existing.last) : 0),
  );

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
    `INSERT INTO "Intervention" ("id", "companyCode", "operation", "actorId", "actorName",
       "seatAgentId", "targetAgentId", "callUuid", "reason", "stage", "outcome", "code", "message",
       "idempotencyKey", "requestedAt", "updatedAt")
     VALUES (@id, @companyCode, @operation, @actorId, @actorName, @seatAgentId, @targetAgentId,
       @callUuid, @reason, @stage, @outcome, @code, @message, @idempotencyKey, @requestedAt,
       @updatedAt)`,
  );
  let head = "";
  const writeBatch = sqlite.transaction((items: TSeedItem[]) => {
    let prevHash = (lastHash.get() as string | undefined) ?? NO_HASH;
    for (const item of items) {
      if (item.kind === "intervention") {
        insertIntervention.run(interventionParams(item.row));
        continue;
      }
      const fields = chainedFields(ZAuditEventInput.parse(item.event), item.at);
      const hash = chainHash(prevHash, fields);
      insertEvent.run({ ...fields, at: storedTime(fields.at), prevHash, hash });
      prevHash = hash;
    }
    head = prevHash;
  });

  const started = performance.now();
  let events = 0;
  let interventions = 0;
  let batch: TSeedItem[] = [];
  let batchEvents = 0;
  const flush = () => {
    writeBatch.immediate(batch);
    events += batchEvents;
    if (Math.floor(events / PROGRESS_EVERY) > Math.floor((events - batchEvents) / PROGRESS_EVERY)) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `audit:seed: ${events} / ${args.count} events (${Math.round(events / seconds)}/s)\n`,
      );
    }
    batch = [];
    batchEvents = 0;
  };
  for (const item of seedLog({ events: args.count, from, to, seed: args.seed })) {
    batch.push(item);
    if (item.kind === "intervention") interventions++;
    else if (++batchEvents === BATCH) flush();
  }
  if (batch.length > 0) flush();
  sqlite.close();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      events,
      interventions,
      from: from.toISOString(),
      to: to.toISOString(),
      seconds: Number(seconds.toFixed(1)),
      perSecond: Math.round(events / seconds),
      lastHash: head,
    })}\n`,
  );
}

function interventionParams(row: TSeedIntervention) {
  return {
    ...row,
    requestedAt: storedTime(row.requestedAt.toISOString()),
    updatedAt: storedTime(row.updatedAt.toISOString()),
  };
}

try {
  main();
} catch (error) {
  process.stderr.write(`audit:seed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!(error instanceof UsageError)) process.stderr.write(`${String((error as Error).stack)}\n`);
  else process.stderr.write(`${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
