import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A fresh SQLite file in a temporary folder, with every migration applied; its URL. */
export function migratedTempDatabase(prefix = "fw-db-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const url = `file:${path.join(dir, "floorwatch.db")}`;
  execFileSync(
    process.execPath,
    [path.join(process.cwd(), "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"],
    { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" },
  );
  return url;
}
