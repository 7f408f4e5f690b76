import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migratedPostgresDatabaseSync, onPostgres } from "./postgres";

/**
 * A fresh database with every migration applied; its URL. SQLite: a file in a temporary folder.
 * PostgreSQL (FW_TEST_DB=postgres): a new database of this run, dropped when the run ends.
 */
export function migratedTempDatabase(prefix = "fw-db-"): string {
  if (onPostgres) return migratedPostgresDatabaseSync(prefix);
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const url = `file:${path.join(dir, "floorwatch.db")}`;
  execFileSync(
    process.execPath,
    [path.join(process.cwd(), "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"],
    { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" },
  );
  return url;
}
