import "server-only";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { RedisConnection } from "../redis/connection";
import { MemoryIdempotencyStore, type TIdempotencyStore } from "./idempotency";
import { MemoryLockStore, type TLockStore } from "./locks";
import { memoryRateLimiter, type TRateLimiterFactory } from "./login-limiter";
import { RedisIdempotencyStore } from "./redis-idempotency";
import { RedisLockStore } from "./redis-locks";
import { RedisRefusalTally } from "./redis-refusal-tally";
import { memoryRefusalTally, type TRefusalTallyFactory } from "./refusal-tally";

/**
 * State that several nodes share, each behind its interface. A single node keeps it in memory;
 * with REDIS_URL every node keeps it in the same Redis. Swapped here and nowhere else.
 */
export interface TNodeState {
  /** Where it lives: this process, or the Redis the nodes share. */
  kind: "memory" | "redis";
  locks: TLockStore;
  idempotency: TIdempotencyStore;
  /** Makes the sign-in and display-link limiters (server/state/login-limiter.ts). */
  rateLimiter: TRateLimiterFactory;
  /** Makes the tally of refused attempts (server/state/refusal-tally.ts). */
  refusalTally: TRefusalTallyFactory;
}

export function createMemoryNodeState(): TNodeState {
  return {
    kind: "memory",
    locks: new MemoryLockStore(),
    idempotency: new MemoryIdempotencyStore(),
    rateLimiter: memoryRateLimiter,
    refusalTally: memoryRefusalTally,
  };
}

/**
 * Every node's state in one Redis. Login limits keep counting while Redis is away, per node in
 * memory (rate-limiter-flexible's insurance limiter), so an outage neither locks everyone out
 * nor lifts the limits; locks and idempotency keys have no such fallback (two nodes could then
 * both act on one call): they fail, and interventions are refused until Redis is back.
 */
export function createRedisNodeState(redis: RedisConnection): TNodeState {
  return {
    kind: "redis",
    locks: new RedisLockStore(redis),
    idempotency: new RedisIdempotencyStore(redis),
    rateLimiter: (options) =>
      new RateLimiterRedis({
        ...options,
        keyPrefix: redis.key(options.keyPrefix),
        storeClient: redis.client,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    refusalTally: (windowMs) => new RedisRefusalTally(redis, windowMs),
  };
}
