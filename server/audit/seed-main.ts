/**
 * `npm run audit:seed -- <count> [--append] [--days 90] [--seed 1]`: writes a realistic audit log
 * of exactly <count> events with a valid hash chain (and the Intervention rows its intervention
 * events project) into the database of DATABASE_URL, already migrated. Refuses a database that
 * has events unless --append, which chains on after the last one. Progress on stderr, a one-line
 * JSON summary on stdout. For load tests and the verification's timing; never for production.
 *
 * Raw SQL (better-sqlite3 on SQLite, node-postgres on PostgreSQL; server/audit/seed-store.ts), in
 * transactions of BATCH events: Prisma would take minutes for a million rows. Each transaction
 * takes the chain's lock first and reads the last hash under it, so a server appending at the
 * same time stays on the same chain.
 */
import "server-only";
import { databaseUrl } from "../db-url";
import { seedLog, type TSeedItem } from "./seed-log";
import { NotMigratedError, openSeedStore, type TSeedStore } from "./seed-store";

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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const store = await openSeedStore(databaseUrl());
  try {
    await seed(args, store);
  } finally {
    await store.close();
  }
}

async function seed(args: TArgs, store: TSeedStore): Promise<void> {
  const existing = await store.existing();
  if (existing.count > 0 && !args.append) {
    throw new UsageError(
      `the database already has ${existing.count} audit events (--append to add to them)`,
    );
  }
  const to = new Date();
  const from = new Date(
    Math.max(to.getTime() - args.days * 86_400_000, existing.last?.getTime() ?? 0),
  );

  const started = performance.now();
  let head = "";
  let events = 0;
  let interventions = 0;
  let batch: TSeedItem[] = [];
  let batchEvents = 0;
  const flush = async () => {
    head = await store.writeBatch(batch);
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
    else if (++batchEvents === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
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

main().catch((error: unknown) => {
  const usage = error instanceof UsageError || error instanceof NotMigratedError;
  process.stderr.write(`audit:seed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!usage) process.stderr.write(`${String((error as Error).stack)}\n`);
  else if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = usage ? 2 : 1;
});
