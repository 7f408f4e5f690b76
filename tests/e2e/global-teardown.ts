import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Removes the run's temporary database folder, and only one playwright.config.ts made. */
export default function globalTeardown(): void {
  const dir = process.env.E2E_TMP_DIR;
  if (!dir) return;
  if (path.dirname(dir) !== tmpdir() || !path.basename(dir).startsWith("floorwatch-e2e-")) return;
  rmSync(dir, { recursive: true, force: true });
}
