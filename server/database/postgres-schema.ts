// No `server-only`: a development tool (npm run db:postgres-schema) and its drift test load it.
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * prisma/schema.prisma (SQLite) is the one schema source. The PostgreSQL schema is derived from
 * it: the same models, another datasource provider, its own generated client (a client embeds its
 * provider and query compiler, so one client cannot serve both). Prisma's default PostgreSQL types
 * for our scalars (text, integer, boolean, timestamp(3), serial ids) hold the same values as
 * SQLite's, so no model line changes.
 */
export const SQLITE_SCHEMA = path.join("prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join("prisma", "postgres", "schema.prisma");

const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:postgres-schema\`: do not edit.
// Change prisma/schema.prisma, run the script, and add the PostgreSQL migration
// (docs/database.md, "Changing the schema").

`;

/** Replaces the one occurrence of `from` in `text`; a schema that no longer has it is an error. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`${SQLITE_SCHEMA}: expected exactly one ${JSON.stringify(from)}`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The PostgreSQL schema for a SQLite schema's text. */
export function postgresSchema(sqliteSchema: string): string {
  let schema = replaceOnce(sqliteSchema, 'provider = "sqlite"', 'provider = "postgresql"');
  schema = replaceOnce(
    schema,
    'output     = "../generated/prisma"',
    'output     = "../../generated/prisma-pg"',
  );
  return HEADER + schema;
}

/** The PostgreSQL schema the repository's SQLite schema gives. */
export function expectedPostgresSchema(root: string = process.cwd()): string {
  return postgresSchema(readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
}
