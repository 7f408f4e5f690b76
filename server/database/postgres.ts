import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import type { ClientConfig } from "pg";
import { PrismaClient } from "@/generated/prisma-pg/client";

/**
 * Every connection to PostgreSQL (the app's pool, the migration runner, audit:seed and
 * audit:verify) runs in UTC. Prisma writes DateTime values as UTC text into `timestamp(3)`
 * columns and reads them back as UTC; `DEFAULT CURRENT_TIMESTAMP` and `now()` follow the
 * session's time zone, so a server configured for local time would shift them otherwise.
 */
export function postgresConfig(url: string, applicationName = "floorwatch"): ClientConfig {
  return { connectionString: url, options: "-c TimeZone=UTC", application_name: applicationName };
}

/** Connections per process: appends, reads and sessions share them (pg's default). */
const POOL_SIZE = 10;

/**
 * A Prisma client on PostgreSQL through node-postgres: a pool of connections, each transaction
 * on a connection of its own (no isolation gate as on SQLite's single connection). `onError`
 * hears about connections the server closed while idle; pg opens new ones on the next query.
 */
export function createPostgresPrismaClient(
  url: string,
  onError: (error: Error) => void,
): PrismaClient {
  const adapter = new PrismaPg(
    { ...postgresConfig(url), max: POOL_SIZE },
    { onPoolError: onError, onConnectionError: onError },
  );
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000 } });
}
