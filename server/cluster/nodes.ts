import "server-only";
import type { Logger } from "pino";
import type { Redis } from "./redis-client";
import type { TClusterKeys } from "./keys";
import type { THeldLease } from "./lease";
import {
  CLUSTER_PROTOCOL,
  decode,
  NODE_RECORD_MAX_BYTES,
  ZNodeRecord,
  type TNodeRecord,
} from "./messages";

export interface TNodeRegistryOptions {
  nodeId: string;
  instance: string;
  version: string;
  startedAt: number;
  leaseMs: number;
  leases: () => THeldLease[];
  log: Logger;
  /** Node ids that still have interventions without an outcome (from the database). */
  openInterventionNodes: () => Promise<(string | null)[]>;
  /** A node is gone (its record expired): end what it left open. Run by one survivor. */
  onLost: (nodeId: string | null) => Promise<void>;
  /** A Redis command answered (true) or failed (false). */
  redisAnswered: (ok: boolean) => void;
  /**
   * Whether records may be trusted to say who is alive: after Redis was away, every live node
   * needs a moment to write its record again before a missing one means a lost node.
   */
  mayReap: () => boolean;
}

/** How long the survivor that cleans up after a lost node keeps others from doing it too. */
const REAP_LOCK_MS = 60_000;
/** At most this many node ids are read per round (a deployment has a handful). */
const NODES_MAX = 256;

/**
 * This node's heartbeat in Redis (its record, with the leases it holds, expiring after LEASE_MS),
 * the list of every live node for /api/health, and the clean-up after a node that vanished: one
 * survivor marks the interventions it left open INTERRUPTED.
 */
export class NodeRegistry {
  private timer: NodeJS.Timeout | undefined;
  private nodes: TNodeRecord[] = [];
  private running = false;
  private ticking = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: TClusterKeys,
    private readonly options: TNodeRegistryOptions,
  ) {}

  /**
   * Takes this node's id. A record of another process with the same id may be a crashed one
   * (it expires within LEASE_MS: wait) or a live one (a configuration error: refuse to start).
   */
  async claim(): Promise<void> {
    const key = this.keys.node(this.options.nodeId);
    const deadline = Date.now() + this.options.leaseMs + 1000;
    for (;;) {
      const ok = await this.redis.set(key, this.recordJson(), "PX", this.options.leaseMs, "NX");
      if (ok === "OK") return;
      if (Date.now() > deadline) {
        throw new Error(
          `NODE_ID ${this.options.nodeId} is used by another running node: give each node its own NODE_ID`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  start(): void {
    this.running = true;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(100, this.options.leaseMs / 3));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.redis
      .multi()
      .del(this.keys.node(this.options.nodeId))
      .srem(this.keys.nodes, this.options.nodeId)
      .exec()
      .catch(() => undefined);
  }

  /** Every live node as last read (this one included), by id. */
  list(): TNodeRecord[] {
    return this.nodes;
  }

  /** Renews the record now (a lease changed hands): health shows it at once. */
  touch(): void {
    if (this.running) void this.tick();
  }

  private recordJson(): string {
    const record: TNodeRecord = {
      v: CLUSTER_PROTOCOL,
      node: this.options.nodeId,
      instance: this.options.instance,
      version: this.options.version.slice(0, 128),
      startedAt: this.options.startedAt,
      at: Date.now(),
      leases: this.options.leases(),
    };
    return JSON.stringify(record);
  }

  private async tick(): Promise<void> {
    if (this.ticking || !this.running) return;
    this.ticking = true;
    try {
      await this.redis
        .multi()
        .set(this.keys.node(this.options.nodeId), this.recordJson(), "PX", this.options.leaseMs)
        .sadd(this.keys.nodes, this.options.nodeId)
        .exec();
      const ids = (await this.redis.srandmember(this.keys.nodes, NODES_MAX)) ?? [];
      const raws = ids.length > 0 ? await this.redis.mget(ids.map((id) => this.keys.node(id))) : [];
      this.options.redisAnswered(true);
      const alive: TNodeRecord[] = [];
      const gone: string[] = [];
      ids.forEach((id, i) => {
        const raw = raws[i] ?? null;
        if (raw === null) return void gone.push(id);
        const decoded = decode(raw, ZNodeRecord, NODE_RECORD_MAX_BYTES);
        if (decoded.ok) alive.push(decoded.value);
      });
      this.nodes = alive.sort((a, b) => a.node.localeCompare(b.node));
      if (this.options.mayReap()) await this.reap(gone, new Set(alive.map((n) => n.node)));
    } catch (error) {
      this.options.redisAnswered(false);
      this.options.log.warn({ err: String(error) }, "node heartbeat failed");
    } finally {
      this.ticking = false;
    }
  }

  /** Lost nodes: those whose record expired, and those the database still has work of. */
  private async reap(gone: string[], alive: ReadonlySet<string>): Promise<void> {
    const open = await this.options.openInterventionNodes();
    const lost = new Set<string | null>(gone);
    for (const nodeId of open) {
      if (nodeId === null || (nodeId !== this.options.nodeId && !alive.has(nodeId)))
        lost.add(nodeId);
    }
    for (const nodeId of lost) {
      const lock = this.keys.reap(nodeId ?? "(none)");
      const mine = await this.redis.set(lock, this.options.nodeId, "PX", REAP_LOCK_MS, "NX");
      if (mine !== "OK") continue;
      this.options.log.warn({ lostNode: nodeId }, "node lost: ending what it left open");
      await this.options.onLost(nodeId);
      if (nodeId !== null) await this.redis.srem(this.keys.nodes, nodeId);
    }
  }
}
