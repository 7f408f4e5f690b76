import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { processGlobals } from "./globals";
import { sqliteFilePath } from "./db-url";

/**
 * One Prisma client per process. SQLite in WAL mode with synchronous=FULL: the audit log must
 * survive a power cut, and WAL lets readers go on while one writer commits.
 */
export function db(): PrismaClient {
  const globals = processGlobals();
  if (!globals.db) {
    const url = process.env.DATABASE_URL ?? "file:./data/floorwatch.db";
    const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(url) });
    globals.db = new PrismaClient({ adapter });
  }
  return globals.db;
}

/** Applies the pragmas once at start-up (they persist per connection / per file). */
export async function configureDatabase(client: PrismaClient = db()): Promise<void> {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
}
