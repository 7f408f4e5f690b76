import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Comments and docs name files: `server/http/metrics.ts`, `docs/database.md`, `[auth.md](auth.md)`.
 * A rename or deletion leaves such a name pointing nowhere, and nothing else notices. This test
 * reads every .ts, .tsx, .mjs and .md file of the repository and fails on a path under one of
 * our top folders, or a relative Markdown link, that does not exist.
 */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const SKIP = new Set([
  "node_modules",
  ".next",
  "generated",
  ".git",
  "test-results",
  "playwright-report",
  "data",
]);
const TOP = "server|lib|docs|components|app|tests|actions|prisma";
/** A repository path in prose or code: `server/db.ts`, `@/lib/floor/types`, `tests/integration/`. */
const PATH = new RegExp(`(?<![\\w./@-])(?:@/)?((?:${TOP})/[A-Za-z0-9_.*\\[\\]\\-/{},]+)`, "g");
const LINK = /\]\(([^)#\s]+)(?:#[^)]*)?\)/g;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx|mjs|md)$/.test(name)) out.push(full);
  }
  return out;
}

/** `a/{b,c}.ts` → `a/b.ts`, `a/c.ts`. */
function expand(ref: string): string[] {
  const m = /^(.*)\{([^}]*)\}(.*)$/.exec(ref);
  if (!m) return [ref];
  const [, head = "", alternatives = "", tail = ""] = m;
  return alternatives.split(",").flatMap((alt) => expand(head + alt + tail));
}

/** Import specifiers and prose leave the extension out; a folder counts too. */
function exists(rel: string): boolean {
  const full = path.join(ROOT, rel);
  return ["", ".ts", ".tsx", ".mjs", ".md"].some((ext) => existsSync(full + ext));
}

function missingReferences(): string[] {
  const missing: string[] = [];
  for (const file of sourceFiles(ROOT)) {
    const rel = path.relative(ROOT, file);
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        for (const match of line.matchAll(PATH)) {
          const ref = (match[1] ?? "").replace(/[.,)\]:]+$/, "");
          if (ref.includes("*")) continue; // a glob (`server/sim/*.ts`), not a file
          for (const one of expand(ref)) {
            if (!exists(one.replace(/\/$/, ""))) missing.push(`${rel}:${index + 1}: ${one}`);
          }
        }
        if (!file.endsWith(".md")) return;
        for (const match of line.matchAll(LINK)) {
          const target = match[1] ?? "";
          if (/^[a-z]+:/.test(target)) continue;
          if (!existsSync(path.join(path.dirname(file), target)))
            missing.push(`${rel}:${index + 1}: link ${target}`);
        }
      });
  }
  return missing;
}

describe("file references", () => {
  it("every repository path named in code, comments and docs exists", () => {
    expect(missingReferences()).toEqual([]);
  });
});
