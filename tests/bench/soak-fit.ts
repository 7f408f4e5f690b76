/** A least-squares line through (x, y) points: `slope` per unit of x; null with fewer than two distinct x. */
export function linearFit(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number } | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * The samples a soak judges: the last two thirds (at least two), so the start-up's growth (code
 * loaded, caches filled, the first chart built) does not count as a leak.
 */
export function judgedTail<T>(samples: readonly T[]): T[] {
  const keep = Math.max(2, Math.ceil((samples.length * 2) / 3));
  return samples.slice(Math.max(0, samples.length - keep));
}
