import "server-only";
import { MemoryIdempotencyStore, type TIdempotencyStore } from "./idempotency";
import { MemoryLockStore, type TLockStore } from "./locks";

/**
 * State that several nodes will have to share, each behind its interface. A single node keeps
 * it in memory; running several nodes swaps in shared implementations here and nowhere else.
 */
export interface TNodeState {
  locks: TLockStore;
  idempotency: TIdempotencyStore;
}

export function createMemoryNodeState(): TNodeState {
  return { locks: new MemoryLockStore(), idempotency: new MemoryIdempotencyStore() };
}
