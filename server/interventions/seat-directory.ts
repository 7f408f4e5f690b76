import "server-only";
import { z } from "zod";
import { ZSeatView, type TSeatView } from "@/lib/interventions/types";
import type { RedisConnection } from "../redis/connection";
import { LuaScript } from "../redis/script";
import { shared } from "../state/shared-state-error";

/** Which node holds an owner's seat, for which CTI agent (the ledger's entry). */
export const ZSeatEntry = z.object({
  node: z.string().regex(/^[\w.-]{1,64}$/),
  companyCode: z.string().max(32),
  agentId: z.string().max(64),
});
export type TSeatEntry = z.infer<typeof ZSeatEntry>;

/** The entry and the seat as its header shows it, refreshed while the node lives. */
const ZSeatRecord = ZSeatEntry.extend({ view: ZSeatView });

/** Where the directory says an owner's seat is. */
export type TSeatLookup =
  | { state: "none" }
  | { state: "live"; entry: TSeatEntry; view: TSeatView }
  /** In the ledger but no longer refreshed: its node stopped. */
  | { state: "gone"; entry: TSeatEntry };

const ZRaw = z.string().max(16 * 1024);

/** KEYS: ledger, record. ARGV: owner, entry, record, ttl. */
const CLAIM = new LuaScript(`
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("SET", KEYS[2], ARGV[3], "PX", ARGV[4])
return 1
`);
/** The record is written again only while the ledger says this node holds the seat. */
const REFRESH = new LuaScript(`
local entry = redis.call("HGET", KEYS[1], ARGV[1])
if not entry or cjson.decode(entry).node ~= ARGV[2] then return 0 end
redis.call("SET", KEYS[2], ARGV[3], "PX", ARGV[4])
return 1
`);
const RELEASE = new LuaScript(`
local entry = redis.call("HGET", KEYS[1], ARGV[1])
if not entry or cjson.decode(entry).node ~= ARGV[2] then return 0 end
redis.call("HDEL", KEYS[1], ARGV[1])
redis.call("DEL", KEYS[2])
return 1
`);
/** Takes a gone seat out of the ledger: exactly one caller gets its entry. */
const REAP = new LuaScript(`
local entry = redis.call("HGET", KEYS[1], ARGV[1])
if not entry or cjson.decode(entry).node ~= ARGV[2] then return false end
if redis.call("EXISTS", KEYS[2]) == 1 then return false end
redis.call("HDEL", KEYS[1], ARGV[1])
return entry
`);
const LOOKUP = new LuaScript(`
return {redis.call("HGET", KEYS[1], ARGV[1]), redis.call("GET", KEYS[2])}
`);

/**
 * The seat directory in Redis: which node holds each supervisor's seat. Two parts: a ledger
 * (owner → node, agent; kept until the seat is unlinked or found gone) and per seat a record
 * with its current view that its node writes again every few seconds with a ttl. A record that
 * expired while its ledger entry stays means the node died: the seat is gone, and whoever
 * reaps it first closes it in the audit log.
 */
export class SeatDirectory {
  constructor(
    private readonly redis: RedisConnection,
    readonly ttlMs: number,
  ) {}

  /** This node holds the owner's seat now (a newer link anywhere replaces an older one). */
  async claim(ownerId: string, entry: Omit<TSeatEntry, "node">, view: TSeatView): Promise<void> {
    const full = { ...entry, node: this.redis.nodeId };
    await shared("seat directory claim", () =>
      CLAIM.run(this.redis.client, this.keys(ownerId), [
        ownerId,
        JSON.stringify(full),
        JSON.stringify({ ...full, view }),
        this.ttlMs,
      ]),
    );
  }

  /** Writes the seat's view and its ttl again, if this node still holds it. */
  async refresh(ownerId: string, entry: Omit<TSeatEntry, "node">, view: TSeatView): Promise<void> {
    const full = { ...entry, node: this.redis.nodeId };
    await shared("seat directory refresh", () =>
      REFRESH.run(this.redis.client, this.keys(ownerId), [
        ownerId,
        this.redis.nodeId,
        JSON.stringify({ ...full, view }),
        this.ttlMs,
      ]),
    );
  }

  /** The seat was unlinked here: out of the directory, if this node still holds it. */
  async release(ownerId: string): Promise<void> {
    await shared("seat directory release", () =>
      RELEASE.run(this.redis.client, this.keys(ownerId), [ownerId, this.redis.nodeId]),
    );
  }

  async lookup(ownerId: string): Promise<TSeatLookup> {
    return shared("seat directory lookup", async () => {
      const [entryRaw, recordRaw] = z
        .tuple([ZRaw.nullable(), ZRaw.nullable()])
        .parse(await LOOKUP.run(this.redis.client, this.keys(ownerId), [ownerId]));
      if (entryRaw === null) return { state: "none" };
      const entry = ZSeatEntry.parse(JSON.parse(entryRaw));
      if (recordRaw === null) return { state: "gone", entry };
      const record = ZSeatRecord.parse(JSON.parse(recordRaw));
      return record.node === entry.node
        ? { state: "live", entry, view: record.view }
        : { state: "gone", entry };
    });
  }

  /** Takes the owner's gone seat (held by `node`) out of the ledger; its entry if this call did. */
  async reap(ownerId: string, node: string): Promise<TSeatEntry | undefined> {
    return shared("seat directory reap", async () => {
      const raw = ZRaw.nullable().parse(
        await REAP.run(this.redis.client, this.keys(ownerId), [ownerId, node]),
      );
      return raw === null ? undefined : ZSeatEntry.parse(JSON.parse(raw));
    });
  }

  /** Owners whose seat is gone (its node stopped refreshing it), with the node that held it. */
  async gone(): Promise<{ ownerId: string; entry: TSeatEntry }[]> {
    return shared("seat directory sweep", async () => {
      const ledger = await this.redis.client.hGetAll(this.ledgerKey());
      const owners = Object.keys(ledger);
      if (owners.length === 0) return [];
      const records = await this.redis.client.mGet(owners.map((owner) => this.recordKey(owner)));
      const out: { ownerId: string; entry: TSeatEntry }[] = [];
      owners.forEach((ownerId, i) => {
        if (records[i] !== null) return;
        const entry = ZSeatEntry.safeParse(parseJson(ledger[ownerId]));
        if (entry.success) out.push({ ownerId, entry: entry.data });
      });
      return out;
    });
  }

  private keys(ownerId: string): string[] {
    return [this.ledgerKey(), this.recordKey(ownerId)];
  }

  private ledgerKey(): string {
    return this.redis.key("seats", "ledger");
  }

  private recordKey(ownerId: string): string {
    return this.redis.key("seats", "record", ownerId);
  }
}

/** JSON from Redis, or undefined when it is not JSON (written by something else). */
function parseJson(raw: string | undefined): unknown {
  if (raw === undefined || raw.length > 16 * 1024) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
