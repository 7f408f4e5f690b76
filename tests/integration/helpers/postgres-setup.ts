import { randomBytes } from "node:crypto";
import { migratePostgres } from "@/server/database/migrate-postgres";
import { dropDatabases, onPostgres, postgresUrl, templateName, withAdmin } from "./postgres";

/** Databases of runs that ended without their teardown (killed) are dropped after this long. */
const STALE_AFTER_SECONDS = 6 * 3600;
const RUN = /^fwt_([0-9a-z]+)_[0-9a-f]+_/;

/**
 * Vitest global setup of the integration project. On PostgreSQL (FW_TEST_DB=postgres): checks
 * the server is reachable (failing the run with how to start it), names this run's databases,
 * migrates the template every test file's database is copied from, and drops them all at the end.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!onPostgres) return undefined;
  const now = Math.floor(Date.now() / 1000);
  const prefix = `fwt_${now.toString(36)}_${randomBytes(3).toString("hex")}_`;
  process.env.FW_TEST_PG_RUN = prefix;
  await dropStaleRuns(now);
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${templateName()}"`));
  await migratePostgres(postgresUrl(templateName()));
  return async () => {
    await dropDatabases(prefix);
  };
}

async function dropStaleRuns(now: number): Promise<void> {
  const names = await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, 'fwt_')`,
    );
    return rows.map((row) => row.datname);
  });
  const stale = new Set(
    names.flatMap((name) => {
      const match = RUN.exec(name);
      return match && now - parseInt(match[1]!, 36) > STALE_AFTER_SECONDS ? [match[0]] : [];
    }),
  );
  for (const prefix of stale) await dropDatabases(prefix);
}
