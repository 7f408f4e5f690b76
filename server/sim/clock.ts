/**
 * Time source of the simulator. Every delay the floor applies (ARRANGE, REST, answer delays,
 * the traffic model) goes through a clock so that tests can run on a manual clock and the
 * soak benchmark can run simulated time faster than real time.
 */
export interface TTimer {
  cancel(): void;
}

export interface TClock {
  /** Epoch ms; stamps `status_time` and push `timestamp`. */
  now(): number;
  /** Runs `fn` after `ms` of simulated time. */
  after(ms: number, fn: () => void): TTimer;
}

export interface TFreezableClock extends TClock {
  /**
   * Holds every pending and new timer until `thaw` (tests compare a still floor with the
   * dashboard's: pausing the traffic model alone leaves ARRANGE, REST and answer timers running).
   */
  freeze(): void;
  /** Re-arms held timers with the time they had left when frozen. */
  thaw(): void;
  readonly frozen: boolean;
}

interface TRealTimer {
  fn: () => void;
  /** Real ms left, while frozen; the epoch ms it fires at, while running. */
  left: number;
  dueAt: number;
  handle: ReturnType<typeof setTimeout> | undefined;
}

/** Wall-clock time; `speed` > 1 shortens every delay by that factor. */
export function createRealClock(speed = 1): TFreezableClock {
  const live = new Set<TRealTimer>();
  let frozen = false;
  const arm = (timer: TRealTimer, delay: number) => {
    timer.dueAt = Date.now() + delay;
    timer.handle = setTimeout(() => {
      live.delete(timer);
      timer.fn();
    }, delay);
    timer.handle.unref();
  };
  return {
    now: () => Date.now(),
    after(ms, fn) {
      const delay = Math.max(0, ms / speed);
      const timer: TRealTimer = { fn, left: delay, dueAt: 0, handle: undefined };
      live.add(timer);
      if (!frozen) arm(timer, delay);
      return {
        cancel: () => {
          live.delete(timer);
          clearTimeout(timer.handle);
        },
      };
    },
    freeze() {
      if (frozen) return;
      frozen = true;
      const now = Date.now();
      for (const timer of live) {
        clearTimeout(timer.handle);
        timer.handle = undefined;
        timer.left = Math.max(0, timer.dueAt - now);
      }
    },
    thaw() {
      if (!frozen) return;
      frozen = false;
      for (const timer of live) arm(timer, timer.left);
    },
    get frozen() {
      return frozen;
    },
  };
}

interface TPending {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** Deterministic clock for unit tests: time moves only when `advance` is called. */
export class ManualClock implements TClock {
  private current: number;
  private order = 0;
  private pending: TPending[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): TTimer {
    const entry: TPending = {
      at: this.current + Math.max(0, ms),
      order: this.order++,
      fn,
      cancelled: false,
    };
    this.pending.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }

  /** Fires every timer due within `ms`, in time order (ties in scheduling order). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((entry) => !entry.cancelled);
      let next: TPending | undefined;
      for (const entry of this.pending) {
        if (entry.at > target) continue;
        if (!next || entry.at < next.at || (entry.at === next.at && entry.order < next.order))
          next = entry;
      }
      if (!next) break;
      next.cancelled = true;
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}

export interface TScopedClock extends TClock {
  /** Cancels every timer still pending on this scope (floor reset, close). */
  dispose(): void;
}

/** A clock whose timers can all be cancelled at once, so a reset floor leaves nothing behind. */
export function createScopedClock(base: TClock): TScopedClock {
  const pending = new Set<TTimer>();
  let disposed = false;
  return {
    now: () => base.now(),
    after(ms, fn) {
      if (disposed) return { cancel: () => undefined };
      const timer: TTimer = base.after(ms, () => {
        pending.delete(timer);
        fn();
      });
      pending.add(timer);
      return {
        cancel: () => {
          pending.delete(timer);
          timer.cancel();
        },
      };
    },
    dispose() {
      disposed = true;
      for (const timer of pending) timer.cancel();
      pending.clear();
    },
  };
}
