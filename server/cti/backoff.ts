import "server-only";
/**
 * Capped exponential backoff with full jitter (AWS architecture blog): the delay before retry
 * n is uniform in [0, min(cap, base * 2^n)], so a CTI restart is not met by every node at once.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
