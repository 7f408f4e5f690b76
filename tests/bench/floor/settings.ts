/**
 * bench:floor's settings (environment variables, with the defaults the figures in
 * docs/performance.md were taken with) and what every part of it shares.
 */
import path from "node:path";
import pino from "pino";
import { z } from "zod";

const zInt = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const zSteps = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.split(",").map(Number))
    .pipe(
      z
        .array(z.number().int().min(1))
        .min(1)
        .refine((steps) => steps.every((n, i) => i === 0 || n > (steps[i - 1] ?? 0)), {
          message: "counts in increasing order",
        }),
    );

/** The BENCH_* variables, validated like the server's own settings. */
const ZBenchEnv = z.object({
  BENCH_COMPANY_CODES: z
    .string()
    .regex(/^\d+(,\d+)*$/, "BENCH_COMPANY_CODES: company codes, comma-separated")
    .default("93001,93002,93003,93004,93005"),
  BENCH_AGENTS: zInt(2000),
  /** Socket clients of ours, one window per count, in increasing order. */
  BENCH_CLIENTS: zSteps("100,300"),
  /** Viewers of the naive design, one window per count, in increasing order. */
  BENCH_NAIVE_VIEWERS: zSteps("5,10,20"),
  BENCH_POLL_MS: zInt(2000, 100),
  BENCH_CALL_RATE: zInt(600, 0),
  BENCH_WARMUP_MS: zInt(12_000, 0),
  BENCH_STEP_WARMUP_MS: zInt(8000, 0),
  BENCH_MEASURE_MS: zInt(20_000, 1000),
  BENCH_NAIVE_WARMUP_MS: zInt(5000, 0),
  BENCH_NAIVE_MEASURE_MS: zInt(10_000, 1000),
  BENCH_DEADLINE_S: zInt(900, 10),
  SKIP_BUILD: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});
const benchEnv = ZBenchEnv.parse(process.env);

export const COMPANIES = benchEnv.BENCH_COMPANY_CODES.split(",");
export const AGENTS_PER_COMPANY = benchEnv.BENCH_AGENTS;
export const CLIENT_STEPS = benchEnv.BENCH_CLIENTS;
export const NAIVE_STEPS = benchEnv.BENCH_NAIVE_VIEWERS;
export const POLL_MS = benchEnv.BENCH_POLL_MS;
/** The dashboard's default (README), for ours and for each naive viewer. */
export const MAX_IN_FLIGHT = 200;
export const CALL_RATE = benchEnv.BENCH_CALL_RATE;
export const WARMUP_MS = benchEnv.BENCH_WARMUP_MS;
export const STEP_WARMUP_MS = benchEnv.BENCH_STEP_WARMUP_MS;
export const MEASURE_MS = benchEnv.BENCH_MEASURE_MS;
export const NAIVE_WARMUP_MS = benchEnv.BENCH_NAIVE_WARMUP_MS;
export const NAIVE_MEASURE_MS = benchEnv.BENCH_NAIVE_MEASURE_MS;
export const DEADLINE_S = benchEnv.BENCH_DEADLINE_S;
export const SKIP_BUILD = benchEnv.SKIP_BUILD;
/** BENCH_CPU_PROF_DIR: the simulator, proxy, clients and viewers write V8 CPU profiles there. */
export const PROF_ARGS = process.env.BENCH_CPU_PROF_DIR
  ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
  : [];
export const TARGET_PUSH_P99_MS = 250;
export const TARGET_OURS_GROWTH = 1.1;

/** Exit codes: 0 when every target is met. */
export const Exit = { OK: 0, ERROR: 1, TARGET_MISSED: 2, DEADLINE: 124 } as const;
/** A file of tests/bench (a child process's module). */
export const benchFile = (file: string) => path.join(process.cwd(), "tests", "bench", file);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Logs of the bench and of the dashboard it runs: warnings and up, on stderr. */
export const log = pino({ level: "warn", base: { bench: "floor" } }, pino.destination(2));
