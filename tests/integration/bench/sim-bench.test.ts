import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * `npm run bench:sim` judges itself: targets beside figures, a non-zero exit when one is missed,
 * pushes counted apart from answers, and a deadline after which it stops itself and its simulators.
 */
interface TRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the bench; past `limitMs` it is killed (code null), so a bench that hangs fails the test. */
function runBench(env: Record<string, string>, marker: string, limitMs: number): Promise<TRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/sim.bench.ts"], {
    env: { ...process.env, ...env, FLOORWATCH_BENCH_TEST_RUN: marker },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => child.kill("SIGKILL"), limitMs);
  return new Promise((resolve) => {
    const done = (code: number | null) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    };
    child.once("close", done);
    // A simulator the bench left behind keeps the pipes open: do not wait on it for long.
    child.once("exit", (code) => setTimeout(() => done(code), 2000).unref());
  });
}

/** Processes still alive that were started with this run's marker in their environment. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "utf8").includes(`=${marker}\0`))
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const ZJudged = z.object({ figure: z.number().nullable(), target: z.string(), ok: z.boolean() });
const ZReport = z.object({
  throughput: z.object({
    get_status_per_second: ZJudged,
    p99_ms: ZJudged,
    failed: ZJudged,
    pushes_by_type: z.record(z.string(), z.number()),
  }),
  heap: z.object({
    monitor_pushes: z.number(),
    monitor_pushes_by_type: z.record(z.string(), z.number()),
    poller_get_status_answered: z.number().int().positive(),
  }),
  targets_missed: z.array(z.string()),
});

describe("[BENCH] bench:sim", () => {
  it("prints each target beside its figure, counts pushes apart from answers, and exits 2 on a missed target", async () => {
    // A throughput target no machine reaches: the run must fail however fast this one is.
    const run = await runBench(
      {
        BENCH_SECONDS: "1",
        BENCH_MIN_GET_STATUS_PER_SECOND: "1000000000",
        BENCH_SOAK_MINUTES: "1",
        BENCH_SOAK_SPEED: "60",
      },
      `missed-${process.pid}`,
      80_000,
    );
    expect(run.code, run.stderr.slice(-300)).toBe(2);
    const report = ZReport.parse(JSON.parse(run.stdout));
    expect(report.throughput.get_status_per_second).toMatchObject({
      target: ">= 1000000000",
      ok: false,
    });
    expect(report.targets_missed).toContain("throughput.get_status_per_second");
    expect(run.stderr).toContain("target missed");
    for (const counts of [report.throughput.pushes_by_type, report.heap.monitor_pushes_by_type]) {
      expect(Object.keys(counts)).not.toContain("get_status");
      expect(Object.keys(counts)).not.toContain("connect");
    }
  }, 90_000);

  it("stops itself and its simulators past its deadline, exiting 124", async () => {
    const marker = `deadline-${process.pid}`;
    const run = await runBench(
      { BENCH_SECONDS: "120", BENCH_SOAK_MINUTES: "10", BENCH_DEADLINE_SECONDS: "4" },
      marker,
      20_000,
    );
    expect(run.code, run.stderr.slice(-300)).toBe(124);
    expect(run.seconds).toBeLessThan(15);
    expect(run.stderr).toContain("exceeded its deadline of 4 s");
    await expect.poll(() => processesWith(marker), { timeout: 3000 }).toEqual([]);
  }, 60_000);
});
