import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { databaseDialect, redactDatabaseUrl, sqliteFilePath } from "@/server/db-url";

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

  it("refuses a URL that is not a SQLite file, without showing its password", () => {
    expect(() => sqliteFilePath("postgres://localhost/db")).toThrow(/SQLite file/);
    expect(() => sqliteFilePath("postgres://fw:hunter2@db/fw")).not.toThrow(/hunter2/);
  });
});

describe("databaseDialect", () => {
  it("is SQLite for file: URLs and PostgreSQL for postgres:// and postgresql://", () => {
    expect(databaseDialect("file:./data/floorwatch.db")).toBe("sqlite");
    expect(databaseDialect("postgres://fw@db:5432/floorwatch")).toBe("postgresql");
    expect(databaseDialect("postgresql://fw@db/floorwatch?sslmode=require")).toBe("postgresql");
  });

  it("refuses anything else, naming the URL without its password", () => {
    expect(() => databaseDialect("mysql://root:hunter2@db/fw")).toThrow(/postgres:\/\/ URL/);
    expect(() => databaseDialect("mysql://root:hunter2@db/fw")).not.toThrow(/hunter2/);
  });
});

describe("redactDatabaseUrl", () => {
  it("hides the password in the user part and in the query, and keeps the rest", () => {
    expect(redactDatabaseUrl("postgres://fw:hunter2@db.internal:5432/floorwatch")).toBe(
      "postgres://fw:***@db.internal:5432/floorwatch",
    );
    expect(
      redactDatabaseUrl("postgresql://fw@db/floorwatch?password=hunter2&sslmode=require"),
    ).toBe("postgresql://fw@db/floorwatch?password=***&sslmode=require");
    expect(redactDatabaseUrl("postgres://fw@db/floorwatch")).toBe("postgres://fw@db/floorwatch");
    expect(redactDatabaseUrl("file:./data/floorwatch.db")).toBe("file:./data/floorwatch.db");
  });

  it("shows only the scheme of what it cannot parse", () => {
    expect(redactDatabaseUrl("postgres://fw:hun ter2@[db/x")).toBe("postgres:…");
  });
});
