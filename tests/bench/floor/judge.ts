/**
 * bench:floor's report helpers: a figure printed beside its target, the list of targets missed,
 * quantiles and the straight-line fit that says how a cost grows.
 */

/** One measured figure and the target it is judged against, as printed in the report. */
export interface TJudged {
  value: number | null;
  target: string;
  ok: boolean;
}

export function atMost(value: number | null, max: number): TJudged {
  return { value, target: `<= ${max}`, ok: value !== null && value <= max };
}

export function exactly(value: number | null, want: number): TJudged {
  return { value, target: `= ${want}`, ok: value === want };
}

/** Something that had to happen and did not (a step that failed): a missed target. */
export function failed(what: string): TJudged {
  return { value: null, target: what, ok: false };
}

function isJudged(value: unknown): value is TJudged {
  return typeof value === "object" && value !== null && "target" in value && "ok" in value;
}

/** Paths of every judged figure in a report that missed its target. */
export function missedTargets(report: unknown, path = ""): string[] {
  if (isJudged(report)) return report.ok ? [] : [path];
  if (typeof report !== "object" || report === null) return [];
  return Object.entries(report).flatMap(([key, value]) =>
    missedTargets(value, path ? `${path}.${key}` : key),
  );
}

/** The q-quantile (nearest rank), or null without samples. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Least-squares line through (x, y): how much y grows per unit of x, and how well a line fits. */
export function linearFit(points: readonly { x: number; y: number }[]): {
  slope: number;
  intercept: number;
  r2: number;
} {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const syy = points.reduce((s, p) => s + (p.y - my) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return {
    slope,
    intercept: my - slope * mx,
    r2: sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
  };
}

/** `after - before` for every key of two counter maps. */
export function diffCounts(
  after: Record<string, number>,
  before: Record<string, number> = {},
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]),
  );
}
