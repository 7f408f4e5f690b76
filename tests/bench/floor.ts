/**
 * `npm run bench:floor`: the live floor under load, on loopback, bounded in time, against the
 * real server: the process createApp assembles (config, temporary SQLite database, CTI link,
 * floor, Socket.IO gateway, auth) with the Next.js production handler, so every socket signs in
 * on its own through `POST /api/auth/sign-in` (one session per socket) and passes the server's own
 * socket authentication.
 *
 * Processes: the simulator (10,000 agents in 5 companies); a transparent proxy in front of it that
 * counts what arrives at the CTI, one listener per design (tests/bench/cti-proxy.ts); this
 * process (the dashboard); the socket clients (tests/bench/floor-clients.ts); then the naive
 * viewers (tests/bench/floor-naive.ts). Steps: ours at each of BENCH_CLIENTS socket clients
 * (latency on every socket, freshness, seq gaps, CTI cost), then the design ours replaces at each
 * of BENCH_NAIVE_VIEWERS viewers (one monitor channel per viewer, each polling every agent of its
 * company), on the same simulator, with the dashboard still running beside it.
 *
 * Prints one JSON object on stdout (logs on stderr), each target beside its figure; exit code 0
 * when every target is met, 2 when one is missed, 1 on error, 124 at the deadline.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { ask, forkModule, killChildren, nextMessage, stopChildren } from "./children";
import { exactly, failed, missedTargets, round } from "./floor/judge";
import {
  loadAverage,
  measureNaive,
  measureOurs,
  watchStages,
  type TNaiveStep,
  type TOursStep,
  type TRun,
} from "./floor/measure";
import {
  ZClientsAdded,
  ZNaiveAdded,
  ZStarted,
  type TBenchUser,
  type TClientsAdded,
} from "./floor/messages";
import { ctiCost, machine } from "./floor/report";
import * as S from "./floor/settings";
import {
  createBenchUsers,
  ensureBuild,
  startDashboard,
  startProxy,
  startSimulator,
  waitForRosters,
} from "./floor/setup";

/** Signing in and connecting the clients of a step (outside the window), and what it cost the dashboard. */
function connecting(added: TClientsAdded, loop: IntervalHistogram) {
  const ms = (ns: number) => round(ns / 1e6, 1);
  return {
    seconds: added.readySeconds,
    signInSeconds: added.signInSeconds,
    errors: added.errors,
    dashboardLoopDelayMs: { p99: ms(loop.percentile(99)), max: ms(loop.max) },
  };
}

/** Logs every stretch over 2 s in which this process (the dashboard) ran no timer: a stall. */
function watchForStalls(): void {
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    if (now - last > 2000)
      S.log.warn({ stalledMs: now - last - 200 }, "bench:floor: dashboard stalled");
    last = now;
  }, 200).unref();
}

/** A step that did not complete: the report says why, and it counts as a missed target. */
function failedStep(size: { clients: number } | { viewers: number }, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  S.log.error({ ...size, err: message }, "bench:floor: step failed");
  return { ...size, completed: failed("the step completes"), error: message };
}

/** Ours at each client count: clients are added to the same process between the windows. */
async function runOurs(run: TRun, url: string, users: TBenchUser[]) {
  const stages = watchStages(run.app);
  const clients = forkModule(S.benchFile("floor-clients.ts"), [...S.PROF_ARGS, "--import", "tsx"], {
    ...process.env,
    BENCH_URL: url,
    BENCH_COMPANIES: S.COMPANIES.join(","),
    BENCH_USERS: JSON.stringify(users),
  });
  await nextMessage(clients, ZStarted, 30_000, "the clients' start");
  const steps: (TOursStep & { connecting: ReturnType<typeof connecting> })[] = [];
  const failures: ReturnType<typeof failedStep>[] = [];
  let added: TClientsAdded | undefined;
  for (const [i, count] of S.CLIENT_STEPS.entries()) {
    try {
      S.log.warn({ clients: count }, "bench:floor: ours, connecting clients");
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const more = { cmd: "add", count: count - (added?.clients ?? 0) };
      added = await ask(clients, more, ZClientsAdded, 300_000);
      loop.disable();
      S.log.warn({ ...added, errors: added.errors.length }, "bench:floor: clients ready");
      await S.sleep(i === 0 ? S.WARMUP_MS : S.STEP_WARMUP_MS);
      S.log.warn({ clients: count }, "bench:floor: ours, measuring");
      steps.push({
        ...(await measureOurs(run, clients, count, stages)),
        connecting: connecting(added, loop),
      });
    } catch (error) {
      // A late answer would be taken for the next one: no further step with this process.
      failures.push(failedStep({ clients: count }, error));
      break;
    }
  }
  clients.send({ cmd: "exit" });
  return { steps, failures, added };
}

/** The naive design at each viewer count, viewers added to the same process between windows. */
async function runNaive(run: TRun, naivePort: number) {
  const naive: ChildProcess = forkModule(
    S.benchFile("floor-naive.ts"),
    [...S.PROF_ARGS, "--import", "./server/runtime.mjs"],
    {
      ...process.env,
      BENCH_NAIVE_CTI_URL: `ws://127.0.0.1:${naivePort}`,
      BENCH_NAIVE_CTI_HTTP_URL: `http://127.0.0.1:${naivePort}`,
      BENCH_COMPANIES: S.COMPANIES.join(","),
      BENCH_POLL_MS: String(S.POLL_MS),
      BENCH_MAX_IN_FLIGHT: String(S.MAX_IN_FLIGHT),
    },
  );
  await nextMessage(naive, ZStarted, 30_000, "the naive viewers' start");
  const steps: TNaiveStep[] = [];
  const failures: ReturnType<typeof failedStep>[] = [];
  let viewers = 0;
  for (const count of S.NAIVE_STEPS) {
    try {
      S.log.warn({ viewers: count }, "bench:floor: naive, adding viewers");
      const added = await ask(naive, { cmd: "add", count: count - viewers }, ZNaiveAdded, 120_000);
      viewers = added.viewers;
      if (added.ready < added.viewers) S.log.warn(added, "bench:floor: not every viewer is ready");
      await S.sleep(S.NAIVE_WARMUP_MS);
      steps.push(await measureNaive(run, naive, count));
    } catch (error) {
      failures.push(failedStep({ viewers: count }, error));
      break;
    }
  }
  naive.send({ cmd: "exit" });
  return { steps, failures };
}

async function main(tmp: string): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const build = await ensureBuild();
  const sim = await startSimulator();
  const proxy = await startProxy(sim.port);
  const { app, url } = await startDashboard(proxy.ours, tmp);
  const run: TRun = { app, proxy: proxy.proxy, simControl: `http://127.0.0.1:${sim.controlPort}` };
  await waitForRosters(app);
  watchForStalls();
  const users = await createBenchUsers();
  const ours = await runOurs(run, url, users);
  const naive = await runNaive(run, proxy.naive);

  const auth = app.services.authConfig;
  const report = {
    bench: "floor",
    startedAt,
    machine: { ...machine(), loadAverage: { start: loadAtStart, end: loadAverage() } },
    config: {
      server: "createApp (server/app.ts) with the Next.js production handler, as server/index.ts",
      build,
      database: "temporary SQLite file, migrated with prisma migrate deploy, deleted at the end",
      cti: "the simulator behind a counting TCP proxy (one listener per design)",
      companies: S.COMPANIES.length,
      agentsPerCompany: S.AGENTS_PER_COMPANY,
      clientSteps: S.CLIENT_STEPS,
      naiveViewerSteps: S.NAIVE_STEPS,
      pollIntervalMs: S.POLL_MS,
      maxInFlight: S.MAX_IN_FLIGHT,
      callRatePerMinutePerCompany: S.CALL_RATE,
      warmupMs: { first: S.WARMUP_MS, step: S.STEP_WARMUP_MS, naive: S.NAIVE_WARMUP_MS },
      measureMs: { ours: S.MEASURE_MS, naive: S.NAIVE_MEASURE_MS },
      auth: {
        users: users.length,
        // Every socket signed in on its own: one sign-in and one distinct session per socket.
        signIns: exactly(ours.added?.signIns ?? 0, ours.added?.clients ?? 0),
        sessions: exactly(ours.added?.sessions ?? 0, ours.added?.clients ?? 0),
        signInSeconds: ours.added?.signInSeconds ?? 0,
        signInLimits: {
          AUTH_IP_MAX_FAILURES: auth.AUTH_IP_MAX_FAILURES,
          AUTH_IP_WINDOW_MINUTES: auth.AUTH_IP_WINDOW_MINUTES,
          AUTH_MAX_FAILED_LOGINS: auth.AUTH_MAX_FAILED_LOGINS,
          AUTH_ACCOUNT_MAX_FAILURES: auth.AUTH_ACCOUNT_MAX_FAILURES,
          raised: false,
          why: "sign-ins are sequential and succeed, and a success gives its attempt back to every limiter (server/state/login-limiter.ts), so one address signs in any number of times at the product's limits",
        },
      },
    },
    ours: [...ours.steps, ...ours.failures],
    naive: [...naive.steps, ...naive.failures],
    ctiCost: ctiCost(ours.steps, naive.steps),
  };
  const missed = missedTargets(report);
  stdoutWrite(
    `${JSON.stringify({ ...report, ok: missed.length === 0, targetsMissed: missed }, null, 2)}\n`,
  );
  await app.stop();
  await app.services.db.$disconnect();
  await stopChildren();
  if (missed.length > 0)
    process.stderr.write(`bench:floor: targets missed: ${missed.join(", ")}\n`);
  return missed.length === 0 ? S.Exit.OK : S.Exit.TARGET_MISSED;
}

// stdout carries the JSON report alone: whatever else writes to it (Next.js, libraries) goes to
// stderr; the children's stdout is our stderr too (tests/bench/children.ts).
const stdout = process.stdout.write.bind(process.stdout);
const stdoutWrite = (text: string) => stdout(text);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const tmp = mkdtempSync(path.join(os.tmpdir(), "fw-bench-floor-"));
const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
function abort(code: number): never {
  killChildren();
  removeTmp();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort(130));
setTimeout(() => {
  process.stderr.write(`bench:floor exceeded its deadline of ${S.DEADLINE_S} s; stopping\n`);
  abort(S.Exit.DEADLINE);
}, S.DEADLINE_S * 1000).unref();

main(tmp).then(
  (code) => {
    removeTmp();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    abort(S.Exit.ERROR);
  },
);
