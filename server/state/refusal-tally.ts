import "server-only";
import { processGlobals } from "../globals";

/** Refusals of one key counted in a window: `count` from `since` on. */
export interface TRefusalCount {
  key: string;
  count: number;
  since: Date;
}

/**
 * Counts refusals per key (an address over its limit) in windows, so the audit log gets one row
 * when a window opens and one with the rest of its count when it closes, not one per request.
 * Per node in memory today; a shared implementation (Redis) keeps this interface.
 */
export interface TRefusalTally {
  /**
   * Counts one refusal of `key`. `opened`: it is the first of a new window (write its row now);
   * `closed`: the key's previous window, ended with counts still to write.
   */
  note(key: string, now: Date): Promise<{ opened: boolean; closed: TRefusalCount | null }>;
  /** Counts still to write of windows ended by `now`; of every window when `now` is omitted. */
  drain(now?: Date): Promise<TRefusalCount[]>;
}

interface TWindow {
  openedAt: number;
  /** Refusals after the first, not written yet, and when the first of them came. */
  pending: number;
  pendingSince: Date | null;
}

class MemoryRefusalTally implements TRefusalTally {
  private readonly windows = new Map<string, TWindow>();

  constructor(private readonly windowMs: number) {}

  async note(key: string, now: Date): Promise<{ opened: boolean; closed: TRefusalCount | null }> {
    const current = this.windows.get(key);
    if (current && now.getTime() - current.openedAt < this.windowMs) {
      current.pending += 1;
      current.pendingSince ??= now;
      return { opened: false, closed: null };
    }
    this.windows.set(key, { openedAt: now.getTime(), pending: 0, pendingSince: null });
    return { opened: true, closed: current ? pendingOf(key, current) : null };
  }

  async drain(now?: Date): Promise<TRefusalCount[]> {
    const out: TRefusalCount[] = [];
    for (const [key, window] of this.windows) {
      if (now && now.getTime() - window.openedAt < this.windowMs) continue;
      const pending = pendingOf(key, window);
      if (pending) out.push(pending);
      this.windows.delete(key);
    }
    return out;
  }
}

function pendingOf(key: string, window: TWindow): TRefusalCount | null {
  return window.pending > 0 && window.pendingSince
    ? { key, count: window.pending, since: window.pendingSince }
    : null;
}

export function createRefusalTally(config: { AUTH_IP_WINDOW_MINUTES: number }): TRefusalTally {
  return new MemoryRefusalTally(config.AUTH_IP_WINDOW_MINUTES * 60_000);
}

/** One tally per process, on the process globals (see loginLimiter in ./login-limiter.ts). */
export function refusalTally(config: { AUTH_IP_WINDOW_MINUTES: number }): TRefusalTally {
  const holder = processGlobals();
  if (holder.refusalTally?.windowMinutes !== config.AUTH_IP_WINDOW_MINUTES)
    holder.refusalTally = {
      windowMinutes: config.AUTH_IP_WINDOW_MINUTES,
      tally: createRefusalTally(config),
    };
  return holder.refusalTally.tally;
}
