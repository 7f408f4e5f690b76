import "server-only";
import { randomUUID } from "node:crypto";

/** Who holds a lock, as a second caller is told ("already in progress by <label>"). */
export interface TLockHolder {
  owner: string;
  label: string;
  acquiredAt: number;
  expiresAt: number;
}

export type TLockResult =
  { ok: true; token: string; holder: TLockHolder } | { ok: false; holder: TLockHolder };

/**
 * A lock per key with an owner and an expiry (one intervention per call at a time). The token
 * returned by `acquire` is what releases or extends the lock: a holder whose lock expired and
 * was taken by someone else cannot release the new holder's lock. Per node in memory today;
 * a shared implementation (Redis) keeps this interface.
 */
export interface TLockStore {
  acquire(key: string, owner: string, label: string, ttlMs: number): Promise<TLockResult>;
  /** True when the lock was still held with this token and is now free. */
  release(key: string, token: string): Promise<boolean>;
  /** True when the lock was still held with this token and now lasts ttlMs from now. */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  holder(key: string): Promise<TLockHolder | undefined>;
}

interface Held extends TLockHolder {
  token: string;
}

export class MemoryLockStore implements TLockStore {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: string, owner: string, label: string, ttlMs: number): Promise<TLockResult> {
    const current = this.live(key);
    if (current) return { ok: false, holder: holderOf(current) };
    const at = this.now();
    const held: Held = { token: randomUUID(), owner, label, acquiredAt: at, expiresAt: at + ttlMs };
    this.held.set(key, held);
    return { ok: true, token: held.token, holder: holderOf(held) };
  }

  async release(key: string, token: string): Promise<boolean> {
    const current = this.live(key);
    if (!current || current.token !== token) return false;
    this.held.delete(key);
    return true;
  }

  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    const current = this.live(key);
    if (!current || current.token !== token) return false;
    current.expiresAt = this.now() + ttlMs;
    return true;
  }

  async holder(key: string): Promise<TLockHolder | undefined> {
    const current = this.live(key);
    return current ? holderOf(current) : undefined;
  }

  private live(key: string): Held | undefined {
    const current = this.held.get(key);
    if (current && current.expiresAt <= this.now()) {
      this.held.delete(key);
      return undefined;
    }
    return current;
  }
}

function holderOf({ owner, label, acquiredAt, expiresAt }: Held): TLockHolder {
  return { owner, label, acquiredAt, expiresAt };
}
