import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  expectedPostgresSchema,
  POSTGRES_SCHEMA,
  postgresSchema,
} from "@/server/database/postgres-schema";

/**
 * prisma/schema.prisma is the one schema source: the PostgreSQL schema is generated from it, and
 * every migration exists for both dialects under the same name (docs/database.md).
 */
const migrations = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe("the PostgreSQL schema", () => {
  it("is prisma/schema.prisma with PostgreSQL's provider and client (npm run db:postgres-schema)", () => {
    expect(
      readFileSync(POSTGRES_SCHEMA, "utf8"),
      "prisma/postgres/schema.prisma is out of date: run npm run db:postgres-schema",
    ).toBe(expectedPostgresSchema());
  });

  it("refuses a SQLite schema whose provider or client output it cannot find", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    expect(() => postgresSchema(schema.replace('provider = "sqlite"', ""))).toThrow(/provider/);
    expect(() => postgresSchema(schema.replace("../generated/prisma", "elsewhere"))).toThrow(
      /output/,
    );
  });

  it("has a PostgreSQL migration for every SQLite migration, under the same name, and no other", () => {
    expect(
      migrations("prisma/migrations-postgres"),
      "each prisma/migrations/<name> needs prisma/migrations-postgres/<name> (docs/database.md, Changing the schema)",
    ).toEqual(migrations("prisma/migrations"));
  });
});
