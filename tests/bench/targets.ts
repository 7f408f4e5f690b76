/**
 * What the benches share: each target printed beside its figure, the exit code that says whether
 * all were met, and a deadline after which a bench stops itself rather than hang a CI run.
 */

/** One measured figure and the target it is judged against, as printed in a bench's JSON. */
export interface TJudged {
  figure: number | null;
  target: string;
  ok: boolean;
}

/** Exit codes of the benches: 0 when every target is met. */
export const BenchExit = { OK: 0, ERROR: 1, TARGET_MISSED: 2, DEADLINE: 124 } as const;

/** `figure` ≥ `min`. A missing figure (no samples) never meets a target. */
export function atLeast(figure: number | null, min: number): TJudged {
  return { figure, target: `>= ${min}`, ok: figure !== null && figure >= min };
}

export function below(figure: number | null, max: number): TJudged {
  return { figure, target: `< ${max}`, ok: figure !== null && figure < max };
}

export function atMost(figure: number | null, max: number): TJudged {
  return { figure, target: `<= ${max}`, ok: figure !== null && figure <= max };
}

function isJudged(value: unknown): value is TJudged {
  return (
    typeof value === "object" &&
    value !== null &&
    "figure" in value &&
    "target" in value &&
    "ok" in value
  );
}

/** Paths of every judged figure in a report that missed its target. */
export function missedTargets(report: unknown, path = ""): string[] {
  if (isJudged(report)) return report.ok ? [] : [path];
  if (typeof report !== "object" || report === null) return [];
  return Object.entries(report).flatMap(([key, value]) =>
    missedTargets(value, path ? `${path}.${key}` : key),
  );
}

/** Prints the report and sets the exit code: a bench whose targets are missed must fail. */
export function finishReport(name: string, report: Record<string, unknown>): number {
  const missed = missedTargets(report);
  process.stdout.write(`${JSON.stringify({ ...report, targets_missed: missed }, null, 2)}\n`);
  if (missed.length === 0) return BenchExit.OK;
  process.stderr.write(`${name}: target missed: ${missed.join(", ")}\n`);
  return BenchExit.TARGET_MISSED;
}

/**
 * Stops the bench after `seconds` whatever it is doing: `cleanup` ends its child processes, then
 * it exits with `BenchExit.DEADLINE`. The timer does not keep the process alive.
 */
export function armDeadline(name: string, seconds: number, cleanup: () => void): void {
  setTimeout(() => {
    process.stderr.write(`${name} exceeded its deadline of ${seconds} s; stopping\n`);
    cleanup();
    process.exit(BenchExit.DEADLINE);
  }, seconds * 1000).unref();
}

/** `value` rounded to `digits` decimals, or null when there was nothing to measure. */
export function rounded(value: number | undefined, digits = 2): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));
}
