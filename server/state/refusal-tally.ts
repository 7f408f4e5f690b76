import "server-only";
import { processGlobals } from "../globals";
import { services } from "../services";

/** Refusals of one key counted in a window: `count` from `since` on. */
export interface TRefusalCount {
  key: string;
  count: number;
  since: Date;
}

/**
 * Counts refusals per key (an address over its limit) in windows, so the audit log gets one row
 * when a window opens and one with the rest of its count when it closes, not one per request.
 * In this node's memory, or with REDIS_URL in Redis for every node at once
 * (server/state/redis-refusal-tally.ts).
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

/** A tally with windows of `windowMs`, in whichever store the node state keeps it. */
export type TRefusalTallyFactory = (windowMs: number) => TRefusalTally;

export const memoryRefusalTally: TRefusalTallyFactory = (windowMs) =>
  new MemoryRefusalTally(windowMs);

export function createRefusalTally(
  config: { AUTH_IP_WINDOW_MINUTES: number },
  store: TRefusalTallyFactory = memoryRefusalTally,
): TRefusalTally {
  return store(config.AUTH_IP_WINDOW_MINUTES * 60_000);
}

/**
 * One tally per process, on the process globals, in the running app's node state (see
 * loginLimiter in ./login-limiter.ts).
 */
export function refusalTally(config: { AUTH_IP_WINDOW_MINUTES: number }): TRefusalTally {
  const holder = processGlobals();
  const store = services()?.state.refusalTally ?? memoryRefusalTally;
  if (
    holder.refusalTally?.windowMinutes !== config.AUTH_IP_WINDOW_MINUTES ||
    holder.refusalTally.store !== store
  )
    holder.refusalTally = {
      windowMinutes: config.AUTH_IP_WINDOW_MINUTES,
      store,
      tally: createRefusalTally(config, store),
    };
  return holder.refusalTally.tally;
}
