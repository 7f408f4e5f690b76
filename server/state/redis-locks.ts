import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { RedisConnection } from "../redis/connection";
import { LuaScript } from "../redis/script";
import type { TLockHolder, TLockResult, TLockStore } from "./locks";
import { shared } from "./shared-state-error";

/** What a lock's key holds: its token and who holds it (read back from Redis, so validated). */
const ZHeld = z.object({
  token: z.string().max(64),
  owner: z.string().max(256),
  label: z.string().max(256),
  acquiredAt: z.number(),
});

/** A value or a pttl from Redis: a lock's value is small, anything larger is not ours. */
const ZValue = z.string().max(4096);
const ZPttl = z.number().int();

/**
 * SET NX PX; when taken, the holder's value and its remaining time, read in the same step
 * (time stands still inside a script: the key cannot expire between the two).
 */
const ACQUIRE = new LuaScript(`
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then return {1} end
return {0, redis.call("GET", KEYS[1]), redis.call("PTTL", KEYS[1])}
`);

/** Deletes or extends the lock only while it still holds this token. */
const RELEASE = new LuaScript(`
local value = redis.call("GET", KEYS[1])
if not value or cjson.decode(value).token ~= ARGV[1] then return 0 end
return redis.call("DEL", KEYS[1])
`);
const EXTEND = new LuaScript(`
local value = redis.call("GET", KEYS[1])
if not value or cjson.decode(value).token ~= ARGV[1] then return 0 end
return redis.call("PEXPIRE", KEYS[1], ARGV[2])
`);
const HOLDER = new LuaScript(`
return {redis.call("GET", KEYS[1]), redis.call("PTTL", KEYS[1])}
`);

/**
 * Locks in the Redis the nodes share, with TLockStore's contract: one holder per key until it
 * releases or its ttl ends (Redis expires it: a node that dies frees its locks by itself), and
 * only the token `acquire` returned releases or extends it.
 */
export class RedisLockStore implements TLockStore {
  constructor(private readonly redis: RedisConnection) {}

  async acquire(key: string, owner: string, label: string, ttlMs: number): Promise<TLockResult> {
    return shared("lock acquire", async () => {
      const held = { token: randomUUID(), owner, label, acquiredAt: Date.now() };
      const reply = z
        .union([z.tuple([z.literal(1)]), z.tuple([z.literal(0), ZValue, ZPttl])])
        .parse(
          await ACQUIRE.run(this.redis.client, [this.key(key)], [JSON.stringify(held), ttlMs]),
        );
      if (reply[0] === 1) return { ok: true, token: held.token, holder: holderOf(held, ttlMs) };
      const [, value, pttl] = reply;
      return { ok: false, holder: holderOf(ZHeld.parse(JSON.parse(value)), pttl) };
    });
  }

  async release(key: string, token: string): Promise<boolean> {
    return shared("lock release", async () => {
      const reply = await RELEASE.run(this.redis.client, [this.key(key)], [token]);
      return z.number().parse(reply) === 1;
    });
  }

  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    return shared("lock extend", async () => {
      const reply = await EXTEND.run(this.redis.client, [this.key(key)], [token, ttlMs]);
      return z.number().parse(reply) === 1;
    });
  }

  async holder(key: string): Promise<TLockHolder | undefined> {
    return shared("lock holder", async () => {
      const [value, pttl] = z
        .tuple([ZValue.nullable(), ZPttl])
        .parse(await HOLDER.run(this.redis.client, [this.key(key)], []));
      if (value === null || pttl <= 0) return undefined;
      return holderOf(ZHeld.parse(JSON.parse(value)), pttl);
    });
  }

  private key(key: string): string {
    return this.redis.key("lock", key);
  }
}

function holderOf(held: z.infer<typeof ZHeld>, remainingMs: number): TLockHolder {
  return {
    owner: held.owner,
    label: held.label,
    acquiredAt: held.acquiredAt,
    expiresAt: Date.now() + remainingMs,
  };
}
