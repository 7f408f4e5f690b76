// No `server-only`: npm's postinstall runs this with plain tsx (no server/runtime.mjs hook), where
// the package's default entry throws.
/**
 * `prisma generate` for both schemas (npm's postinstall, npm run db:postgres-schema):
 * generated/prisma (SQLite) and generated/prisma-pg (PostgreSQL). The CLI checks the datasource
 * URL's form against the schema's provider even though the clients connect through driver
 * adapters, so each run gets a URL of its own dialect when DATABASE_URL is of the other one.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { databaseDialect } from "../db-url";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA } from "./postgres-schema";

const cli = path.join("node_modules", "prisma", "build", "index.js");
const current = process.env.DATABASE_URL;
// `prisma generate` only reads the URL's scheme (no connection is made): without a
// DATABASE_URL of that dialect, each client is generated with its default URL.
const runs = [
  { schema: SQLITE_SCHEMA, dialect: "sqlite", generateUrl: "file:./data/floorwatch.db" },
  {
    schema: POSTGRES_SCHEMA,
    dialect: "postgresql",
    generateUrl: "postgresql://localhost/floorwatch",
  },
] as const;

for (const run of runs) {
  const url = current && databaseDialect(current) === run.dialect ? current : run.generateUrl;
  execFileSync(process.execPath, [cli, "generate", "--schema", run.schema], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url },
  });
}
