import "server-only";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { databaseDialect, databaseUrl, redactDatabaseUrl } from "./db-url";
import { migratePostgres } from "./database/migrate-postgres";

/** What `next build` reads: a change to any of these makes the build stale. */
const SOURCES = [
  "app",
  "components",
  "lib",
  "server",
  "public",
  "proxy.ts",
  "prisma/schema.prisma",
  "next.config.ts",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
const STAMP = path.join(".next", "floorwatch-build-stamp");

function walk(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

/** A hash of every build input's path, size and mtime: cheap, and changes on any edit or pull. */
export function sourceFingerprint(root: string = process.cwd()): string {
  const entries: string[] = [];
  for (const source of SOURCES) walk(path.join(root, source), entries);
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

/**
 * The version the process reports (GET /api/health, GET /api/wall/<company>): package.json's,
 * and the Next.js build id when a build is served. Every deployment builds anew, so the version
 * changes even when package.json's does not, and open walls reload themselves.
 */
export function processVersion(root: string = process.cwd(), dev = false): string {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  const buildIdFile = path.join(root, ".next", "BUILD_ID");
  if (dev || !existsSync(buildIdFile)) return version;
  return `${version}+${readFileSync(buildIdFile, "utf8").trim()}`;
}

export function buildIsCurrent(root: string = process.cwd()): boolean {
  const stampFile = path.join(root, STAMP);
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, "utf8").trim() === sourceFingerprint(root);
}

export function runNodeScript(args: string[], log: Logger, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "inherit", "inherit"],
      env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed with exit code ${code}`)),
    );
    log.info({ step: label }, "running");
  });
}

/** Runs `next build` when the build is missing or older than the sources. */
export async function ensureBuilt(log: Logger, root: string = process.cwd()): Promise<void> {
  if (buildIsCurrent(root)) return;
  log.info("building the dashboard (first start or sources changed); this takes a minute");
  const fingerprint = sourceFingerprint(root);
  await runNodeScript(
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    log,
    "next build",
  );
  writeFileSync(path.join(root, STAMP), fingerprint);
}

/**
 * Applies pending database migrations (idempotent). SQLite: `prisma migrate deploy`.
 * PostgreSQL: our runner (Prisma's deploy fails there through the JS engine; docs/database.md),
 * safe to run from several nodes starting at once.
 */
export async function migrateDatabase(log: Logger, root: string = process.cwd()): Promise<void> {
  const url = databaseUrl();
  if (databaseDialect(url) === "postgresql") {
    const database = redactDatabaseUrl(url);
    log.info({ step: "migrate postgresql", database }, "running");
    const { applied, modified } = await migratePostgres(
      url,
      path.join(root, "prisma", "migrations-postgres"),
    );
    if (modified.length > 0) {
      log.warn({ modified }, "applied migrations whose files have changed since");
    }
    log.info(
      { database, applied },
      applied.length > 0 ? "migrations applied" : "database is up to date",
    );
    return;
  }
  await runNodeScript(
    [path.join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"],
    log,
    "prisma migrate deploy",
  );
}
