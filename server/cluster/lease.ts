import "server-only";
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Redis } from "./redis-client";
import type { TClusterKeys } from "./keys";

/**
 * Takes a free lease and counts one more leader (the term), or says how long the lease has left.
 * The term never goes below ARGV[3] (the taker's clock in ms): a Redis that lost its data starts
 * counting again from there, above every term the replicas have seen, so they follow the new
 * leader rather than drop its messages as an old one's.
 */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local term = redis.call('INCR', KEYS[2])
  local floor = tonumber(ARGV[3])
  if term < floor then
    redis.call('SET', KEYS[2], ARGV[3])
    term = floor
  end
  return {1, term}
end
return {0, redis.call('PTTL', KEYS[1])}`;

/** Extends the lease only while it is still ours. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Gives the lease up only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface TLeaseOptions {
  nodeId: string;
  /** This process among restarts of the same node id. */
  instance: string;
  leaseMs: number;
  companies: readonly string[];
  log: Logger;
}

export interface TLeaseEvents {
  acquired: [companyCode: string, term: number];
  lost: [companyCode: string, reason: string];
  /** A Redis command answered (true) or failed (false): Redis reachability for health. */
  redis: [ok: boolean];
}

export interface THeldLease {
  companyCode: string;
  term: number;
  acquiredAt: number;
  renewedAt: number;
}

interface TCompanyLease {
  held: THeldLease | undefined;
  timer: NodeJS.Timeout | undefined;
  /** When a held lease may already have expired in Redis: we step down then at the latest. */
  deadline: NodeJS.Timeout | undefined;
  /** Bumped on every change of hands: an answer to an older request is ignored. */
  generation: number;
}

/**
 * The leases of this node on every watched company (one Redis key each, with an expiry): a node
 * that holds a company's lease runs its monitor channel and poller. A holder renews every third
 * of LEASE_MS and steps down on its own once a renewal has not succeeded for LEASE_MS (less a
 * margin), measured from when the renewal was sent: Redis expires the key later than that, so two
 * nodes never both believe they lead. The others try again right when the lease would expire.
 */
export class Leases extends EventEmitter<TLeaseEvents> {
  private readonly entries = new Map<string, TCompanyLease>();
  private stopped = true;
  private readonly holder: string;
  /** Clock-rate tolerance: a holder gives up this much before its lease can expire in Redis. */
  private readonly margin: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: TClusterKeys,
    private readonly options: TLeaseOptions,
  ) {
    super();
    this.holder = `${options.nodeId}#${options.instance}`;
    this.margin = Math.max(25, Math.floor(options.leaseMs / 20));
    for (const companyCode of options.companies) {
      this.entries.set(companyCode, {
        held: undefined,
        timer: undefined,
        deadline: undefined,
        generation: 0,
      });
    }
  }

  start(): void {
    this.stopped = false;
    for (const companyCode of this.entries.keys()) this.schedule(companyCode, 0);
  }

  /** Gives every held lease up (a clean stop): the others take over without waiting for expiry. */
  async stop(): Promise<string[]> {
    this.stopped = true;
    const released: string[] = [];
    for (const [companyCode, entry] of this.entries) {
      clearTimeout(entry.timer);
      clearTimeout(entry.deadline);
      entry.generation += 1;
      if (!entry.held) continue;
      entry.held = undefined;
      released.push(companyCode);
      await this.redis
        .eval(RELEASE, 1, this.keys.lease(companyCode), this.holder)
        .catch(() => undefined);
    }
    return released;
  }

  held(): THeldLease[] {
    return [...this.entries.values()].flatMap((e) => (e.held ? [{ ...e.held }] : []));
  }

  /** Another node released the lease, or a leader is known to be gone: try now. */
  attemptSoon(companyCode: string): void {
    const entry = this.entries.get(companyCode);
    if (!entry || entry.held || this.stopped) return;
    this.schedule(companyCode, 0);
  }

  /** A newer leader spoke on the company's channel: whatever Redis says later, we lead no more. */
  yield(companyCode: string, reason: string): void {
    const entry = this.entries.get(companyCode);
    if (entry?.held) this.lose(companyCode, entry, reason);
  }

  private schedule(companyCode: string, delayMs: number): void {
    const entry = this.entries.get(companyCode);
    if (!entry || this.stopped) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.tick(companyCode), Math.max(0, delayMs));
    entry.timer.unref();
  }

  private async tick(companyCode: string): Promise<void> {
    const entry = this.entries.get(companyCode);
    if (!entry || this.stopped) return;
    if (entry.held) await this.renew(companyCode, entry);
    else await this.acquire(companyCode, entry);
  }

  private async acquire(companyCode: string, entry: TCompanyLease): Promise<void> {
    const { leaseMs } = this.options;
    const generation = entry.generation;
    const sentAt = Date.now();
    let reply: unknown;
    try {
      reply = await this.redis.eval(
        ACQUIRE,
        2,
        this.keys.lease(companyCode),
        this.keys.term(companyCode),
        this.holder,
        String(leaseMs),
        String(Date.now()),
      );
      this.emit("redis", true);
    } catch (error) {
      this.emit("redis", false);
      this.options.log.debug({ company: companyCode, err: String(error) }, "lease attempt failed");
      this.schedule(companyCode, leaseMs / 3);
      return;
    }
    if (generation !== entry.generation || this.stopped) return;
    const [won, value] = Array.isArray(reply) ? reply.map(Number) : [0, -2];
    if (won === 1 && value !== undefined && value >= 1) {
      entry.generation += 1;
      entry.held = { companyCode, term: value, acquiredAt: Date.now(), renewedAt: sentAt };
      this.armDeadline(companyCode, entry, sentAt);
      this.schedule(companyCode, leaseMs / 3);
      this.emit("acquired", companyCode, value);
      return;
    }
    // Wake when the holder's lease would run out (it is renewed before then if it lives).
    const left = value !== undefined && value > 0 ? value : 0;
    const jitter = Math.floor(Math.random() * 25);
    this.schedule(companyCode, Math.min(left, leaseMs) + jitter);
  }

  private async renew(companyCode: string, entry: TCompanyLease): Promise<void> {
    const generation = entry.generation;
    const sentAt = Date.now();
    let reply: unknown;
    try {
      reply = await this.redis.eval(
        RENEW,
        1,
        this.keys.lease(companyCode),
        this.holder,
        String(this.options.leaseMs),
      );
      this.emit("redis", true);
    } catch (error) {
      // Not renewed: the deadline set by the last success stands; try again meanwhile.
      this.emit("redis", false);
      this.options.log.warn({ company: companyCode, err: String(error) }, "lease renewal failed");
      if (generation === entry.generation) this.schedule(companyCode, this.options.leaseMs / 6);
      return;
    }
    if (generation !== entry.generation || !entry.held) return;
    if (Number(reply) !== 1) {
      this.lose(companyCode, entry, "the lease is held by another node");
      return;
    }
    entry.held.renewedAt = sentAt;
    this.armDeadline(companyCode, entry, sentAt);
    this.schedule(companyCode, this.options.leaseMs / 3);
  }

  private armDeadline(companyCode: string, entry: TCompanyLease, sentAt: number): void {
    clearTimeout(entry.deadline);
    const at = sentAt + this.options.leaseMs - this.margin;
    entry.deadline = setTimeout(
      () => this.lose(companyCode, entry, "the lease could not be renewed in time"),
      Math.max(0, at - Date.now()),
    );
    entry.deadline.unref();
  }

  private lose(companyCode: string, entry: TCompanyLease, reason: string): void {
    if (!entry.held) return;
    entry.held = undefined;
    entry.generation += 1;
    clearTimeout(entry.deadline);
    this.emit("lost", companyCode, reason);
    this.schedule(companyCode, this.options.leaseMs / 3);
  }
}
