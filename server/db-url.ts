import path from "node:path";

/**
 * `file:./data/x.db` → absolute path, resolved against the project root (the working directory
 * of `npm start`), the way Prisma's CLI resolves it for SQLite.
 */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL (got "${databaseUrl}")`);
  }
  const file = databaseUrl.slice("file:".length);
  return path.resolve(process.cwd(), file);
}
