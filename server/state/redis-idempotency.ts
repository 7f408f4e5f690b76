import "server-only";
import { z } from "zod";
import type { RedisConnection } from "../redis/connection";
import { LuaScript } from "../redis/script";
import type { TIdempotencyClaim, TIdempotencyStore } from "./idempotency";
import { shared } from "./shared-state-error";

/** A claimed key holds PENDING until its result (`DONE` + the result) replaces it. */
const PENDING = "P";
const DONE = "D";

/** A stored result is one action's answer; anything larger is not ours. */
const ZValue = z.string().max(256 * 1024);

/**
 * Claims the key if it is free, in one step (`{1}`); otherwise returns what it holds (`{0,
 * value}`). Time stands still inside a script, so the key cannot expire between the two.
 */
const BEGIN = new LuaScript(`
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then return {1} end
return {0, redis.call("GET", KEYS[1])}
`);
const ZBegin = z.union([z.tuple([z.literal(1)]), z.tuple([z.literal(0), ZValue])]);

/** Frees the key only while it is still claimed (a stored result is never dropped). */
const ABANDON = new LuaScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`);

/**
 * Idempotency keys in the Redis the nodes share, with TIdempotencyStore's contract: among
 * every node, exactly one concurrent `begin` of a key gets "new"; the others see "pending" or
 * the stored result. Keys expire in Redis after their ttl.
 */
export class RedisIdempotencyStore implements TIdempotencyStore {
  constructor(private readonly redis: RedisConnection) {}

  async begin(key: string, ttlMs: number): Promise<TIdempotencyClaim> {
    return shared("idempotency begin", async () => {
      const reply = ZBegin.parse(
        await BEGIN.run(this.redis.client, [this.key(key)], [PENDING, ttlMs]),
      );
      return reply[0] === 1 ? { state: "new" } : claimOf(reply[1]);
    });
  }

  async complete(key: string, result: string, ttlMs: number): Promise<void> {
    await shared("idempotency complete", async () => {
      await this.redis.client.set(this.key(key), `${DONE}${result}`, { PX: ttlMs });
    });
  }

  async abandon(key: string): Promise<void> {
    await shared("idempotency abandon", async () => {
      await ABANDON.run(this.redis.client, [this.key(key)], [PENDING]);
    });
  }

  private key(key: string): string {
    return this.redis.key("idempotency", key);
  }
}

function claimOf(value: string): TIdempotencyClaim {
  if (value === PENDING) return { state: "pending" };
  if (value.startsWith(DONE)) return { state: "done", result: value.slice(DONE.length) };
  throw new Error("unrecognised idempotency value");
}
