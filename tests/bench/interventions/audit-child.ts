/**
 * Child of bench:interventions, run with DATABASE_URL on the seeded temporary database (figures 5
 * and 7): the audit page's queries (server/audit/query.ts readAudit, 50 rows as the page reads)
 * for several filter combinations and readers, then the CSV export's server function
 * (auditCsvStream, what GET /api/audit/export returns) read to its end while this process's RSS
 * and heap are sampled, one export per process (RSS does not shrink back between two). Prints
 * one JSON line on stdout. Run with --expose-gc.
 */
import type { TViewer } from "@/lib/auth/viewer";
import type { TAuditFilters } from "@/lib/audit/filters";
import { configureDatabase, db } from "@/server/db";
import { auditCsvStream, auditScope, readAudit, type TAuditScope } from "@/server/audit/query";

const PAGE_SIZE = 50;
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 20);

const ADMIN: TViewer = { kind: "user", id: "a", name: "admin", role: "admin", companies: "all" };
const SUPERVISOR: TViewer = {
  kind: "user",
  id: "s",
  name: "sup1.90002",
  role: "supervisor",
  companies: ["90002"],
};

const weekAgo = new Date(Date.now() - 7 * 86_400_000);
const monthAgo = new Date(Date.now() - 30 * 86_400_000);
const twoMonthsAgo = new Date(Date.now() - 60 * 86_400_000);

const CASES: { name: string; viewer: TViewer; filters: TAuditFilters }[] = [
  { name: "interventions, admin, no filter", viewer: ADMIN, filters: { kind: "interventions" } },
  {
    name: "interventions, admin, company",
    viewer: ADMIN,
    filters: { kind: "interventions", company: "90003" },
  },
  {
    name: "interventions, supervisor (one company), outcome=failed",
    viewer: SUPERVISOR,
    filters: { kind: "interventions", outcome: "failed" },
  },
  {
    name: "interventions, admin, actor + operation",
    viewer: ADMIN,
    filters: { kind: "interventions", actor: "sup1.90004", operation: "interrupt_call" },
  },
  {
    name: "interventions, admin, target agent",
    viewer: ADMIN,
    filters: { kind: "interventions", target: "90005_10007" },
  },
  {
    name: "interventions, admin, from/to (a month, 30 to 60 days ago)",
    viewer: ADMIN,
    filters: { kind: "interventions", from: twoMonthsAgo, to: monthAgo },
  },
  {
    name: "interventions, supervisor, last week, outcome=confirmed",
    viewer: SUPERVISOR,
    filters: { kind: "interventions", from: weekAgo, outcome: "confirmed" },
  },
  { name: "events, admin, no filter", viewer: ADMIN, filters: { kind: "events" } },
  {
    name: "events, admin, type=login.failed",
    viewer: ADMIN,
    filters: { kind: "events", type: "login.failed" },
  },
  {
    name: "events, supervisor, actor",
    viewer: SUPERVISOR,
    filters: { kind: "events", actor: "view1.90002" },
  },
  {
    name: "events, admin, company + type + from/to",
    viewer: ADMIN,
    filters: {
      kind: "events",
      company: "90006",
      type: "login.succeeded",
      from: twoMonthsAgo,
      to: weekAgo,
    },
  },
];

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

async function timeQueries() {
  const cases = [];
  const all: number[] = [];
  let worst: number | null = null;
  for (const c of CASES) {
    const scope = auditScope(c.viewer, c.filters.company);
    const first = await readAudit(scope, c.filters, PAGE_SIZE); // warm-up, and the next cursor
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await readAudit(scope, c.filters, PAGE_SIZE);
      samples.push(performance.now() - t);
    }
    // The next page (keyset cursor), as the page's "older" link reads it.
    const nextSamples: number[] = [];
    if (first.next) {
      for (let i = 0; i < Math.ceil(RUNS / 2); i++) {
        const t = performance.now();
        await readAudit(scope, { ...c.filters, cursor: first.next }, PAGE_SIZE);
        nextSamples.push(performance.now() - t);
      }
    }
    all.push(...samples, ...nextSamples);
    for (const p of [quantile(samples, 0.95), quantile(nextSamples, 0.95)])
      if (p !== null) worst = Math.max(worst ?? 0, p);
    cases.push({
      name: c.name,
      rows: first.rows.length,
      invalid: first.invalid.length,
      p50: r2(quantile(samples, 0.5)),
      p95: r2(quantile(samples, 0.95)),
      nextPageP95: r2(quantile(nextSamples, 0.95)),
    });
  }
  return {
    pageSize: PAGE_SIZE,
    runsPerCase: RUNS,
    /** The judged figure: the slowest combination's p95 (first or next page). */
    p95WorstCase: r2(worst),
    p95AllSamples: r2(quantile(all, 0.95)),
    cases,
  };
}

async function timeExport(kind: "events" | "interventions") {
  const scope: TAuditScope = auditScope(ADMIN);
  const filters: TAuditFilters = { kind };
  const cold = process.memoryUsage().rss;
  // A serving process has answered requests before: warm up (Prisma's first queries, the CSV
  // and message modules, JIT) with the first pages of the same export, then measure from there.
  const warm = auditCsvStream(scope, filters, "en").getReader();
  for (let i = 0; i < 4; i++) if ((await warm.read()).done) break;
  await warm.cancel();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 25);
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  const reader = auditCsvStream(scope, filters, "en").getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
  }
  clearInterval(timer);
  sample();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    kind,
    // Rows without the header (CRLF line ends; a field with a line break would count twice).
    rows: lines - 1,
    mb: mb(bytes),
    seconds,
    rssColdMb: mb(cold),
    rssBaseMb: mb(base.rss),
    rssGrowthMb: mb(peakRss - base.rss),
    heapGrowthMb: mb(peakHeap - base.heapUsed),
    /** After the export and a GC: what stayed (a leak would show here, garbage would not). */
    heapRetainedMb: mb(after.heapUsed - base.heapUsed),
    rssAfterGcMb: mb(after.rss),
  };
}

/** BENCH_AUDIT_PART: `queries`, or `export:events` / `export:interventions` (one per process). */
async function main() {
  await configureDatabase();
  const part = process.env.BENCH_AUDIT_PART ?? "queries";
  if (part === "queries") {
    const counts = await db().$queryRawUnsafe<
      { events: bigint | number; interventions: bigint | number; accountEvents: bigint | number }[]
    >(
      `SELECT (SELECT count(*) FROM "AuditEvent") AS events,
              (SELECT count(*) FROM "Intervention") AS interventions,
              (SELECT count(*) FROM "AuditEvent" WHERE "type" NOT LIKE 'intervention.%') AS accountEvents`,
    );
    const row = counts[0]!;
    const queries = await timeQueries();
    const out = {
      counts: {
        events: Number(row.events),
        interventions: Number(row.interventions),
        accountEvents: Number(row.accountEvents),
      },
      queries,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else if (part === "export:events" || part === "export:interventions") {
    process.stdout.write(
      `${JSON.stringify(await timeExport(part === "export:events" ? "events" : "interventions"))}\n`,
    );
  } else {
    throw new Error(`unknown BENCH_AUDIT_PART ${part}`);
  }
  await db().$disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
