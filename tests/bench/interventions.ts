/**
 * `npm run bench:interventions` (issue 9): the interventions' and the audit log's figures, on
 * loopback, in temporary databases, bounded in time.
 *
 * 1. Server overhead of a force hang-up, entry to the request frame on the seat's socket
 *    (createApp's pipeline against the simulator; tests/bench/interventions/pipeline.ts).
 * 2, 3. Click to acknowledgement / to CONFIRMED on screen in Chromium against the embedded
 *    simulator (tests/bench/interventions/browser.ts).
 * 4. Durable hash-chained audit appends per second: tests/bench/audit-append.ts, spawned, its
 *    figure taken as it prints it.
 * 5. Audit page queries at BENCH_AUDIT_EVENTS (1,000,000) events seeded by `audit:seed`, p95.
 * 6. `audit:verify` over them, wall time.
 * 7. The CSV export's server function read to its end, the memory growth of the process serving it.
 *
 * Prints one JSON object on stdout (logs on stderr), each figure as {value, target, ok}; exit 0
 * when every target is met, 2 when one is missed, 1 on error, 124 at the deadline (children
 * killed, temporary files removed).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { atMost, failed, missedTargets, round, type TJudged } from "./floor/judge";
import { measureBrowser, stopBrowserDashboard } from "./interventions/browser";
import { measurePipeline } from "./interventions/pipeline";
import { killAll, lastJson, migrate, runNode, tsArgs } from "./interventions/procs";

const Exit = { OK: 0, ERROR: 1, TARGET_MISSED: 2, DEADLINE: 124 } as const;
const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 1500);
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
/** Rows of the judged CSV export. */
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const TARGETS = {
  clickToAckP95Ms: 300,
  appendsPerSecond: 2_000,
  pageQueryP95Ms: 200,
  verifySeconds: 15,
  exportGrowthMb: 50,
};

const log = (msg: string, extra: object = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: "interventions", msg, ...extra })}\n`);

function atLeast(value: number | null, min: number): TJudged {
  return { value, target: `>= ${min}`, ok: value !== null && value >= min };
}
function missing(target: string, why: string) {
  return { value: null, target, ok: false, missing: why };
}
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
  };
}
const loadAverage = () => os.loadavg().map((l) => round(l, 2));

async function pipelineFigure(tmp: string) {
  try {
    return await measurePipeline(tmp);
  } catch (error) {
    log("pipeline: failed", { err: errorText(error) });
    return { entryToSendMs: { p95: failed("the hang-ups complete") }, error: errorText(error) };
  }
}

async function browserFigures(tmp: string) {
  try {
    return await measureBrowser(tmp);
  } catch (error) {
    log("browser: failed", { err: errorText(error) });
    stopBrowserDashboard();
    return {
      clickToAckOnScreenP95Ms: missing(`<= ${TARGETS.clickToAckP95Ms}`, errorText(error)),
      error: errorText(error),
    };
  }
}

async function appendFigure() {
  try {
    const run = await runNode(tsArgs("tests/bench/audit-append.ts"), {}, 300_000);
    const report = lastJson(run.stdout) as
      | {
          concurrent?: {
            writers?: number;
            appendsPerSecond?: { figure: number | null };
            latencyMs?: unknown;
          };
          oneWriter?: unknown;
          chain?: { ok?: boolean };
        }
      | undefined;
    const perSecond = report?.concurrent?.appendsPerSecond?.figure ?? null;
    return {
      how: "tests/bench/audit-append.ts spawned (its own temporary database, WAL, synchronous=FULL); its concurrent figure",
      exitCode: run.code,
      appendsPerSecond: atLeast(perSecond, TARGETS.appendsPerSecond),
      writers: report?.concurrent?.writers ?? null,
      latencyMs: report?.concurrent?.latencyMs ?? null,
      oneWriter: report?.oneWriter ?? null,
      chainOk: report?.chain?.ok ?? null,
    };
  } catch (error) {
    return { appendsPerSecond: missing(`>= ${TARGETS.appendsPerSecond}`, errorText(error)) };
  }
}

/** Figures 5, 6 and 7 on one seeded database. */
async function auditFigures(tmp: string) {
  const names = {
    pageQueryP95Ms: `<= ${TARGETS.pageQueryP95Ms}`,
    verifySeconds: `<= ${TARGETS.verifySeconds}`,
    exportGrowthMb: `<= ${TARGETS.exportGrowthMb}`,
  };
  const allMissing = (why: string) =>
    Object.fromEntries(Object.entries(names).map(([k, t]) => [k, missing(t, why)]));
  if (!existsSync("server/audit/seed-main.ts") || !existsSync("server/audit/verify-main.ts"))
    return allMissing("audit:seed or audit:verify does not exist in this tree");
  const databaseUrl = `file:${path.join(tmp, "audit.db")}`;
  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" };
  await migrate(databaseUrl);
  log("audit: seeding", { events: EVENTS });
  const seed = await runNode(tsArgs("server/audit/seed-main.ts", String(EVENTS)), env, 900_000);
  const seeded = lastJson(seed.stdout);
  if (seed.code !== 0) return allMissing(`audit:seed failed (code ${seed.code})`);
  log("audit: seeded", { seconds: round(seed.seconds, 1) });

  log("audit: verifying");
  const verify = await runNode(tsArgs("server/audit/verify-main.ts"), env, 300_000);
  const verified = lastJson(verify.stdout) as
    { ok?: boolean; checked?: number; durationMs?: number } | undefined;
  const verifySeconds = verify.code === 0 ? round(verify.seconds, 2) : null;
  auditProgress.verifySeconds =
    verify.code === 0
      ? atMost(verifySeconds, TARGETS.verifySeconds)
      : missing(names.verifySeconds, `audit:verify exited ${verify.code}`);
  auditProgress.verify = { checked: verified?.checked ?? null, ok: verified?.ok ?? null };

  log("audit: page queries");
  const child = (part: string) =>
    runNode(
      ["--expose-gc", ...tsArgs("tests/bench/interventions/audit-child.ts")],
      { ...env, BENCH_AUDIT_PART: part },
      900_000,
    );
  const queriesRun = await child("queries");
  const measured = lastJson(queriesRun.stdout) as
    { counts: Record<string, number>; queries: { p95WorstCase: number | null } } | undefined;
  // Every intervention of the 1,000,000 events exported (its own process), then events appended
  // until the "sign-ins and admin" view has about EXPORT_ROWS rows, and that view exported.
  log("audit: export of interventions");
  const interventionsExport = lastJson((await child("export:interventions")).stdout);
  const accountEvents = measured?.counts.accountEvents ?? 0;
  const more =
    accountEvents > 0 ? Math.ceil(((EXPORT_ROWS - accountEvents) * EVENTS) / accountEvents) : 0;
  let appended: Record<string, unknown> | undefined;
  if (more > 0) {
    log("audit: appending events for the export", { events: more });
    const run = await runNode(
      tsArgs("server/audit/seed-main.ts", String(more), "--append", "--seed", "2"),
      env,
      900_000,
    );
    appended = { ...lastJson(run.stdout), code: run.code, wallSeconds: round(run.seconds, 1) };
  }
  log("audit: export of events");
  const eventsRun = await child("export:events");
  const eventsExport = lastJson(eventsRun.stdout) as
    ({ rows: number; rssGrowthMb: number } & Record<string, unknown>) | undefined;
  return {
    database: "temporary SQLite file (WAL), migrated, seeded by `audit:seed`, deleted at the end",
    seed: { ...seeded, wallSeconds: round(seed.seconds, 1) },
    counts: measured?.counts ?? null,
    pageQueryP95Ms:
      measured === undefined
        ? missing(names.pageQueryP95Ms, `audit child failed (code ${queriesRun.code})`)
        : atMost(measured.queries.p95WorstCase, TARGETS.pageQueryP95Ms),
    pageQueries: measured?.queries ?? null,
    verifySeconds:
      verify.code === 0
        ? atMost(verifySeconds, TARGETS.verifySeconds)
        : missing(names.verifySeconds, `audit:verify exited ${verify.code}`),
    verify: {
      how: "`node --import ./server/runtime.mjs server/audit/verify-main.ts` (npm run audit:verify) as a child, wall time including start-up",
      ok: verified?.ok ?? null,
      checked: verified?.checked ?? null,
      verifyFunctionMs: verified?.durationMs ?? null,
    },
    exportGrowthMb:
      eventsExport === undefined
        ? missing(names.exportGrowthMb, `export child failed (code ${eventsRun.code})`)
        : atMost(eventsExport.rssGrowthMb, TARGETS.exportGrowthMb),
    export: {
      how: "auditCsvStream (the body GET /api/audit/export returns; the route's guard and headers not included) read to its end in a child process of its own, admin reach, no filter; warmed up with the first pages of the same export (cancelled), then a GC; RSS and heap of that process sampled every 25 ms, growth = peak − that baseline",
      judged:
        EXPORT_ROWS > accountEvents
          ? `the "sign-ins and admin" export (one row per event) after appending events until it has about ${EXPORT_ROWS} rows`
          : `the "sign-ins and admin" export (one row per event) of the ${EVENTS} events, nothing appended (BENCH_EXPORT_ROWS ${EXPORT_ROWS})`,
      appendedForExport: appended ?? null,
      events: eventsExport ?? null,
      interventionsAtOneMillionEvents: interventionsExport ?? null,
    },
  };
}

/** The figures taken so far: printed at the deadline, with the ones not reached named missing. */
const progress: Record<string, unknown> = {};
const auditProgress: Record<string, unknown> = {};
const startedAt = new Date().toISOString();
const loadAtStart = loadAverage();

/** The report at the deadline: what was measured, and each figure not reached as missing. */
function deadlineReport(): string {
  const why = `not reached before the deadline of ${DEADLINE_S} s`;
  const report = {
    bench: "interventions",
    startedAt,
    stoppedAt: new Date().toISOString(),
    deadlineReached: true,
    machine: { ...machine(), loadAverage: { start: loadAtStart, end: loadAverage() } },
    serverOverhead: progress.serverOverhead ?? { entryToSendMs: { p95: missing("<= 15", why) } },
    browser: progress.browser ?? {
      clickToAckOnScreenP95Ms: missing(`<= ${TARGETS.clickToAckP95Ms}`, why),
    },
    auditAppend: progress.auditAppend ?? {
      appendsPerSecond: missing(`>= ${TARGETS.appendsPerSecond}`, why),
    },
    audit: {
      events: EVENTS,
      pageQueryP95Ms: missing(`<= ${TARGETS.pageQueryP95Ms}`, why),
      verifySeconds: missing(`<= ${TARGETS.verifySeconds}`, why),
      exportGrowthMb: missing(`<= ${TARGETS.exportGrowthMb}`, why),
      ...auditProgress,
    },
  };
  const missed = missedTargets(report);
  return `${JSON.stringify({ ...report, ok: false, targetsMissed: missed }, null, 2)}\n`;
}

async function main(tmp: string): Promise<number> {
  log("pipeline: start");
  const pipeline = (progress.serverOverhead = await pipelineFigure(tmp));
  log("browser: start");
  const browser = (progress.browser = await browserFigures(tmp));
  log("audit-append: start");
  const appends = (progress.auditAppend = await appendFigure());
  const audit = await auditFigures(tmp).catch((error: unknown) => ({
    error: errorText(error),
    pageQueryP95Ms: missing(`<= ${TARGETS.pageQueryP95Ms}`, errorText(error)),
    verifySeconds: missing(`<= ${TARGETS.verifySeconds}`, errorText(error)),
    exportGrowthMb: missing(`<= ${TARGETS.exportGrowthMb}`, errorText(error)),
  }));
  const report = {
    bench: "interventions",
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverage: { start: loadAtStart, end: loadAverage() } },
    serverOverhead: pipeline,
    browser,
    auditAppend: appends,
    audit: { events: EVENTS, ...audit },
  };
  const missed = missedTargets(report);
  stdoutWrite(
    `${JSON.stringify({ ...report, ok: missed.length === 0, targetsMissed: missed }, null, 2)}\n`,
  );
  if (missed.length > 0)
    process.stderr.write(`bench:interventions: targets missed: ${missed.join(", ")}\n`);
  return missed.length === 0 ? Exit.OK : Exit.TARGET_MISSED;
}

// stdout carries the JSON report alone: whatever else writes to it goes to stderr.
const stdout = process.stdout.write.bind(process.stdout);
const stdoutWrite = (text: string) => stdout(text);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const tmp = mkdtempSync(path.join(os.tmpdir(), "fw-bench-interventions-"));
const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
function abort(code: number): never {
  killAll();
  stopBrowserDashboard();
  removeTmp();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort(130));
setTimeout(() => {
  process.stderr.write(`bench:interventions exceeded its deadline of ${DEADLINE_S} s; stopping\n`);
  killAll();
  stopBrowserDashboard();
  stdoutWrite(deadlineReport());
  abort(Exit.DEADLINE);
}, DEADLINE_S * 1000).unref();

main(tmp).then(
  (code) => {
    killAll();
    removeTmp();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    abort(Exit.ERROR);
  },
);
