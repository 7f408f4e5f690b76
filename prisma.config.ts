// The CLI must not try to download engines it does not use (docs/database.md, "Prisma toolchain").
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/nonexistent";
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/nonexistent";
process.env.DATABASE_URL ??= "file:./data/floorwatch.db";

import path from "node:path";
import type { PrismaConfig } from "prisma";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { sqliteFilePath } from "./server/db-url";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: sqliteFilePath(process.env.DATABASE_URL!) });
  },
} satisfies PrismaConfig;
