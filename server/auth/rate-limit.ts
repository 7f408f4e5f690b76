import "server-only";

/**
 * Counts failures per key in a sliding window, process-wide (kept on globalThis so the Next
 * bundles and server/index.ts share it). Used for failed sign-ins and token exchanges per IP.
 */
export class FailureWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** True when `key` has used up its failures in the current window. */
  blocked(key: string, now: number = Date.now()): boolean {
    return this.recent(key, now).length >= this.max;
  }

  record(key: string, now: number = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.prune(now);
  }

  /** Seconds until `key` may try again (0 when not blocked). */
  retryAfterSeconds(key: string, now: number = Date.now()): number {
    const list = this.recent(key, now);
    if (list.length < this.max) return 0;
    const oldest = list[list.length - this.max] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, list] of this.hits) {
      if (list.every((t) => now - t >= this.windowMs)) this.hits.delete(key);
    }
  }
}

const windows = new Map<string, FailureWindow>();

export function ipFailures(max: number, windowMs: number): FailureWindow {
  const key = `${max}:${windowMs}`;
  let window = windows.get(key);
  if (!window) {
    window = new FailureWindow(max, windowMs);
    windows.set(key, window);
  }
  return window;
}
