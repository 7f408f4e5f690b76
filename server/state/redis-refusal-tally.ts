import "server-only";
import { z } from "zod";
import type { RedisConnection } from "../redis/connection";
import { LuaScript } from "../redis/script";
import type { TRefusalCount, TRefusalTally } from "./refusal-tally";
import { shared } from "./shared-state-error";

/**
 * A window is one field of a hash, `openedAt|pending|pendingSince` (epoch ms as the caller
 * gave them, kept as text so no float formatting touches them), and one member of a sorted
 * set scored by openedAt, from which windows that ended are drained.
 */
const NOTE = new LuaScript(`
local raw = redis.call("HGET", KEYS[1], ARGV[1])
local fresh = ARGV[2] .. "|0|"
if raw then
  local opened, pending, since = string.match(raw, "^(%d+)|(%d+)|(%d*)$")
  if tonumber(ARGV[2]) - tonumber(opened) < tonumber(ARGV[3]) then
    if since == "" then since = ARGV[2] end
    redis.call("HSET", KEYS[1], ARGV[1], opened .. "|" .. (tonumber(pending) + 1) .. "|" .. since)
    return {0}
  end
  redis.call("HSET", KEYS[1], ARGV[1], fresh)
  redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
  return {1, pending, since}
end
redis.call("HSET", KEYS[1], ARGV[1], fresh)
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
return {1}
`);

/** Removes every window opened at or before ARGV[1]; returns key, pending, since of those with counts. */
const DRAIN = new LuaScript(`
local keys = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", ARGV[1])
local out = {}
for _, key in ipairs(keys) do
  local raw = redis.call("HGET", KEYS[1], key)
  if raw then
    local _, pending, since = string.match(raw, "^(%d+)|(%d+)|(%d*)$")
    if tonumber(pending) > 0 then
      table.insert(out, key)
      table.insert(out, pending)
      table.insert(out, since)
    end
    redis.call("HDEL", KEYS[1], key)
  end
  redis.call("ZREM", KEYS[2], key)
end
return out
`);

const ZDigits = z.string().regex(/^\d{1,16}$/);
const ZNote = z.union([
  z.tuple([z.literal(0)]),
  z.tuple([z.literal(1)]),
  z.tuple([z.literal(1), ZDigits, z.union([ZDigits, z.literal("")])]),
]);
const ZDrained = z.array(z.string().max(1024)).max(300_000);

/**
 * The refusal tally in the Redis the nodes share, with TRefusalTally's contract: a window is
 * opened once for every node (one audit row at its start, not one per node), counted by all,
 * and each ended window is drained by exactly one node.
 */
export class RedisRefusalTally implements TRefusalTally {
  constructor(
    private readonly redis: RedisConnection,
    private readonly windowMs: number,
  ) {}

  async note(key: string, now: Date): Promise<{ opened: boolean; closed: TRefusalCount | null }> {
    return shared("refusal tally note", async () => {
      const reply = ZNote.parse(
        await NOTE.run(this.redis.client, this.keys(), [key, now.getTime(), this.windowMs]),
      );
      if (reply[0] === 0) return { opened: false, closed: null };
      if (reply.length === 1) return { opened: true, closed: null };
      const [, pending, since] = reply;
      const closed =
        Number(pending) > 0 && since !== ""
          ? { key, count: Number(pending), since: new Date(Number(since)) }
          : null;
      return { opened: true, closed };
    });
  }

  async drain(now?: Date): Promise<TRefusalCount[]> {
    return shared("refusal tally drain", async () => {
      const cutoff = now ? String(now.getTime() - this.windowMs) : "+inf";
      const flat = ZDrained.parse(await DRAIN.run(this.redis.client, this.keys(), [cutoff]));
      const out: TRefusalCount[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) {
        const [key, count, since] = [
          flat[i]!,
          ZDigits.parse(flat[i + 1]),
          ZDigits.parse(flat[i + 2]),
        ];
        out.push({ key, count: Number(count), since: new Date(Number(since)) });
      }
      return out;
    });
  }

  private keys(): string[] {
    return [this.redis.key("refusals", "windows"), this.redis.key("refusals", "opened")];
  }
}
