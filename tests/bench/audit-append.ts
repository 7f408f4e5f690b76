/**
 * `npm run bench:audit-append`: durable, hash-chained audit appends per second on SQLite (WAL,
 * synchronous=FULL), in a temporary database. Writers append concurrently (each waits for its
 * append to commit before the next, as a request does); the group commit writes what they queue
 * together. Also measured, without targets: one writer alone, and appends in callers' own
 * transactions (auditedChange). The chain is verified at the end. Prints one JSON object; exit 0
 * when every target is met, 2 when one is missed, 1 on error, 124 at the deadline.
 *
 * BENCH_AUDIT_WRITERS (64), BENCH_AUDIT_MEASURE_MS (5000) per scenario.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TAuditEventInput } from "@/lib/audit/events";
import { armDeadline, atLeast, BenchExit, finishReport, rounded, type TJudged } from "./targets";

const WRITERS = Number(process.env.BENCH_AUDIT_WRITERS ?? 64);
const MEASURE_MS = Number(process.env.BENCH_AUDIT_MEASURE_MS ?? 5_000);
const TARGET_PER_SECOND = 2_000;
const DEADLINE_S = 180;

const tmp = mkdtempSync(path.join(os.tmpdir(), "fw-bench-audit-"));
const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
armDeadline("bench:audit-append", DEADLINE_S, removeTmp);

const url = `file:${path.join(tmp, "audit.db")}`;
Object.assign(process.env, { DATABASE_URL: url, LOG_LEVEL: "silent" });
execFileSync(
  process.execPath,
  [path.join(process.cwd(), "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"],
  { env: process.env, stdio: "ignore" },
);
const { configureDatabase, db } = await import("@/server/db");
const { appendAuditEvent, auditedChange } = await import("@/server/audit/log");
const { verifyAuditChain } = await import("@/server/audit/verify");

function signInFailure(writer: number, i: number): TAuditEventInput {
  return {
    type: "login.failed",
    data: { username: `user${writer}`, reason: "invalid_credentials", userId: `u-${writer}-${i}` },
    actor: { kind: "anonymous" },
    companyCode: "90001",
    ip: `10.0.${writer % 250}.${i % 250}`,
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  };
}

interface TRun {
  appends: number;
  perSecond: number;
  latencyMs: { p50: number | null; p99: number | null };
}

/** `writers` loops, each appending one event at a time until the time is up. */
async function measure(
  writers: number,
  append: (writer: number, i: number) => Promise<unknown>,
): Promise<TRun> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + MEASURE_MS;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; performance.now() < until; i++) {
        const t = performance.now();
        await append(writer, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => rounded(latencies[Math.floor(q * (latencies.length - 1))]);
  return {
    appends: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: at(0.5), p99: at(0.99) },
  };
}

async function main(): Promise<number> {
  const loadAtStart = os.loadavg().map((load) => rounded(load));
  await configureDatabase();
  const [pragma] =
    await db().$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
  const synchronous = Number(pragma?.synchronous);
  if (synchronous !== 2) throw new Error(`synchronous is ${synchronous}, not FULL (2)`);

  // Warm-up (JIT, Prisma's first queries); these events count in the chain check only.
  const WARMUP = 500;
  await Promise.all(
    Array.from({ length: WARMUP }, (_, i) => appendAuditEvent(signInFailure(0, i))),
  );
  const concurrent = await measure(WRITERS, (w, i) => appendAuditEvent(signInFailure(w, i)));
  const alone = await measure(1, (w, i) => appendAuditEvent(signInFailure(w, i)));
  const inTransactions = await measure(16, (w, i) =>
    auditedChange(signInFailure(w, i), (tx) =>
      tx.setting.upsert({
        where: { key: `bench-${w}` },
        create: { key: `bench-${w}`, value: String(i) },
        update: { value: String(i) },
      }),
    ),
  );
  const chain = await verifyAuditChain();
  const total = WARMUP + concurrent.appends + alone.appends + inTransactions.appends;
  const chainJudged: TJudged = {
    figure: chain.checked,
    target: `${total} events, one valid chain`,
    ok: chain.ok && chain.checked === total,
  };
  await db().$disconnect();
  return finishReport("bench:audit-append", {
    bench: "audit-append",
    sqlite: { journal: "wal", synchronous: "FULL" },
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    measureMs: MEASURE_MS,
    concurrent: {
      writers: WRITERS,
      appendsPerSecond: atLeast(concurrent.perSecond, TARGET_PER_SECOND),
      appends: concurrent.appends,
      latencyMs: concurrent.latencyMs,
    },
    oneWriter: alone,
    inCallersTransactions: { writers: 16, ...inTransactions },
    chain: chainJudged,
    verifyMs: chain.durationMs,
  });
}

main().then(
  (code) => {
    removeTmp();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    removeTmp();
    process.exit(BenchExit.ERROR);
  },
);
