// No `server-only` here: the Prisma CLI loads this module (prisma.config.ts) outside Node hooks.
import { mkdirSync } from "node:fs";
import path from "node:path";

/** The databases Floorwatch runs on: SQLite by default, PostgreSQL for several nodes. */
export type TDialect = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/floorwatch.db";

/** `file:…` is SQLite, `postgres://…` or `postgresql://…` is PostgreSQL; anything else is refused. */
export function databaseDialect(databaseUrl: string): TDialect {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(
    `DATABASE_URL must be a SQLite file: URL or a postgres:// URL (got "${redactDatabaseUrl(databaseUrl)}")`,
  );
}

/** The process's database URL (DATABASE_URL, SQLite's file by default). */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/**
 * The URL without its password (and without a password in its query, `?password=`): what may
 * appear in logs, errors and health reports.
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    // Not a URL a password could be read from: show only its scheme.
    return databaseUrl.startsWith("file:") ? databaseUrl : `${databaseUrl.split(":")[0]}:…`;
  }
  if (parsed.protocol === "file:") return databaseUrl;
  if (parsed.password) parsed.password = "***";
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, "***");
  }
  return parsed.toString();
}

/**
 * `file:./data/x.db` → absolute path, resolved against the project root (the working directory
 * of `npm start`), the way Prisma's CLI resolves it for SQLite. The folder is created: SQLite
 * creates the file but not its directory, and a fresh clone has no `data/`.
 */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(
      `DATABASE_URL must be a SQLite file: URL (got "${redactDatabaseUrl(databaseUrl)}")`,
    );
  }
  const file = path.resolve(
    /* turbopackIgnore: true */ process.cwd(),
    databaseUrl.slice("file:".length),
  );
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
