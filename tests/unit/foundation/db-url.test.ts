import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteFilePath } from "@/server/db-url";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("sqliteFilePath", () => {
  it("resolves against the working directory and creates the missing folder (a fresh clone has no data/)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "fw-db-"));
    made.push(root);
    const absolute = path.join(root, "nested", "deeper", "x.db");
    expect(sqliteFilePath(`file:${absolute}`)).toBe(absolute);
    expect(existsSync(path.dirname(absolute))).toBe(true);
    expect(sqliteFilePath("file:./data/y.db")).toBe(path.resolve(process.cwd(), "data/y.db"));
  });

  it("refuses a URL that is not a SQLite file", () => {
    expect(() => sqliteFilePath("postgres://localhost/db")).toThrow(/SQLite file/);
  });
});
