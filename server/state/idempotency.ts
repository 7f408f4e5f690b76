import "server-only";

/** What `begin` finds under a key. */
export type TIdempotencyClaim =
  { state: "new" } | { state: "pending" } | { state: "done"; result: string };

/**
 * Idempotency keys: the first request with a key runs, every later one with the same key gets
 * the first one's stored result (or "pending" while it runs), so a double click, a retry or a
 * reload sends nothing twice. Results are stored as JSON text so a shared store (Redis) keeps
 * this interface. Keys outlive the request by `ttlMs`.
 */
export interface TIdempotencyStore {
  /** Claims the key atomically: exactly one concurrent caller gets "new". */
  begin(key: string, ttlMs: number): Promise<TIdempotencyClaim>;
  /** Stores the result of the claimed key. */
  complete(key: string, result: string, ttlMs: number): Promise<void>;
  /** Frees a claimed key whose work did not happen, so a retry may run. */
  abandon(key: string): Promise<void>;
}

interface Entry {
  result?: string;
  expiresAt: number;
}

export class MemoryIdempotencyStore implements TIdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Expired keys are swept when this many are kept. */
    private readonly sweepAt = 10_000,
  ) {}

  async begin(key: string, ttlMs: number): Promise<TIdempotencyClaim> {
    const at = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > at) {
      return entry.result === undefined
        ? { state: "pending" }
        : { state: "done", result: entry.result };
    }
    if (this.entries.size >= this.sweepAt) this.sweep(at);
    this.entries.set(key, { expiresAt: at + ttlMs });
    return { state: "new" };
  }

  async complete(key: string, result: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { result, expiresAt: this.now() + ttlMs });
  }

  async abandon(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.result === undefined) this.entries.delete(key);
  }

  private sweep(at: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= at) this.entries.delete(key);
  }
}
