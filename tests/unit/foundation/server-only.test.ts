import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every module under server/ imports `server-only`, so a client bundle that reaches one fails the
 * build (docs/architecture.md). Exempt: the simulator (server/sim/, a separate program run with
 * plain tsx), and a module whose first line says why it cannot (`// No \`server-only\`…`: the
 * Prisma CLI or plain tsx loads it, where the package's default entry throws).
 */
const SERVER = path.resolve(import.meta.dirname, "../../../server");
const IMPORT = /^import "server-only";$/m;
const EXEMPTION = /^\/\/ No `server-only`/;

function modules(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== "sim") modules(full, out);
    } else if (/\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

describe("server-only", () => {
  const files = modules(SERVER).map((file) => ({
    file: path.relative(SERVER, file),
    text: readFileSync(file, "utf8"),
  }));

  it("every server module imports it, or says on its first line why not", () => {
    const unmarked = files
      .filter(({ text }) => !IMPORT.test(text) && !EXEMPTION.test(text))
      .map(({ file }) => file);
    expect(unmarked).toEqual([]);
  });

  it("the exemptions are the three modules docs/architecture.md names", () => {
    const exempt = files.filter(({ text }) => EXEMPTION.test(text)).map(({ file }) => file);
    expect(exempt.sort()).toEqual([
      "database/generate-clients.ts",
      "database/postgres-schema.ts",
      "db-url.ts",
    ]);
  });
});
