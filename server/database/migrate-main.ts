/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, as `npm start` does before it
 * serves (SQLite: `prisma migrate deploy`; PostgreSQL: our runner, server/database/migrate-postgres.ts).
 * Prints one JSON line; exit code 1 on failure.
 */
import "server-only";
import { migrateDatabase } from "../build";
import { logger } from "../log";

migrateDatabase(logger()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
