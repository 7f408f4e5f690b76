// No `server-only` here: the Prisma CLI loads this module (prisma.config.ts) outside Node hooks.
import { mkdirSync } from "node:fs";
import path from "node:path";

/**
 * `file:./data/x.db` → absolute path, resolved against the project root (the working directory
 * of `npm start`), the way Prisma's CLI resolves it for SQLite. The folder is created: SQLite
 * creates the file but not its directory, and a fresh clone has no `data/`.
 */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL (got "${databaseUrl}")`);
  }
  const file = path.resolve(
    /* turbopackIgnore: true */ process.cwd(),
    databaseUrl.slice("file:".length),
  );
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
