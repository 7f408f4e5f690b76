import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { Mutex } from "async-mutex";
import { PrismaClient, type Prisma } from "@/generated/prisma/client";
import type { Prisma as PgPrisma } from "@/generated/prisma-pg/client";
import { processGlobals } from "./globals";
import {
  databaseDialect,
  databaseUrl,
  redactDatabaseUrl,
  sqliteFilePath,
  type TDialect,
} from "./db-url";
import { createPostgresPrismaClient } from "./database/postgres";
import { logger } from "./log";

type TAdapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type TTransaction = Awaited<ReturnType<TAdapter["startTransaction"]>>;

/**
 * The better-sqlite3 adapter has one connection. It runs one transaction at a time, but a query
 * made outside any transaction runs on that same connection while a transaction is open: it
 * reads the transaction's uncommitted rows, and its writes become part of that transaction
 * (undone with it on a rollback). This gate makes every statement outside a transaction wait
 * until the open transaction has committed or rolled back, as separate connections would.
 */
export function isolatedAdapter(adapter: TAdapter): TAdapter {
  const gate = new Mutex();
  const wrapTransaction = (tx: TTransaction, release: () => void): TTransaction => {
    let released = false;
    const end = async (finish: () => Promise<void>) => {
      try {
        await finish();
      } finally {
        if (!released) {
          released = true;
          release();
        }
      }
    };
    return {
      provider: tx.provider,
      adapterName: tx.adapterName,
      options: tx.options,
      queryRaw: (query) => tx.queryRaw(query),
      executeRaw: (query) => tx.executeRaw(query),
      commit: () => end(() => tx.commit()),
      rollback: () => end(() => tx.rollback()),
    };
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => gate.runExclusive(() => adapter.queryRaw(query)),
    executeRaw: (query) => gate.runExclusive(() => adapter.executeRaw(query)),
    executeScript: (script) => gate.runExclusive(() => adapter.executeScript(script)),
    startTransaction: async (isolationLevel) => {
      const release = await gate.acquire();
      try {
        return wrapTransaction(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

/** The adapter factory Prisma connects through: better-sqlite3 behind the isolation gate. */
function isolatedFactory(url: string) {
  const factory = new PrismaBetterSQLite3({ url: sqliteFilePath(url) });
  return {
    provider: "sqlite" as const,
    adapterName: factory.adapterName,
    connect: async () => isolatedAdapter(await factory.connect()),
  };
}

/**
 * A Prisma client on the database at `url`: SQLite (a `file:` URL) or PostgreSQL
 * (`postgres://`). Both are typed as the SQLite client. The PostgreSQL client is generated from
 * the same models (prisma/postgres/schema.prisma is derived from prisma/schema.prisma), so their
 * results are the same types (`TSameModels` below proves it at compile time), and what the
 * SQLite client's types accept (no `mode` on string filters, only Serializable transactions) is
 * a subset of what the PostgreSQL client accepts.
 */
export function createPrismaClient(url: string): PrismaClient {
  if (databaseDialect(url) === "sqlite") return new PrismaClient({ adapter: isolatedFactory(url) });
  const where = redactDatabaseUrl(url);
  const client = createPostgresPrismaClient(url, (error) =>
    logger().warn({ database: where, err: error.message }, "postgresql connection lost"),
  );
  // A checked assertion (no `unknown` in between): TypeScript cannot relate the two generated
  // clients' generic signatures (`aggregate`, the `$transaction` overloads) to each other, but it
  // does check that the two client types are comparable, and TSameModels checks the rows.
  return client as PrismaClient;
}

type TSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type TExpect<T extends true> = T;
type TRows<TMap extends { model: Record<string, { payload: { scalars: unknown } }> }> = {
  [M in keyof TMap["model"]]: TMap["model"][M]["payload"]["scalars"];
};
/** Fails to compile when the two clients' models or their columns' types differ. */
export type TSameModels = [
  TExpect<TSame<Prisma.ModelName, PgPrisma.ModelName>>,
  TExpect<TSame<TRows<Prisma.TypeMap>, TRows<PgPrisma.TypeMap>>>,
];

/** The dialect of the process's database (DATABASE_URL). */
export function dialect(): TDialect {
  return databaseDialect(databaseUrl());
}

/**
 * One Prisma client per process. SQLite in WAL mode with synchronous=FULL: the audit log must
 * survive a power cut, and WAL lets readers go on while one writer commits. PostgreSQL commits
 * durably by default (synchronous_commit=on).
 */
export function db(): PrismaClient {
  const globals = processGlobals();
  globals.db ??= createPrismaClient(databaseUrl());
  return globals.db;
}

/**
 * Applies SQLite's pragmas once at start-up (they persist per connection / per file). PostgreSQL
 * needs nothing here: its sessions are set up as the pool opens them (server/database/postgres.ts).
 */
export async function configureDatabase(client: PrismaClient = db()): Promise<void> {
  if (dialect() !== "sqlite") return;
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
}
