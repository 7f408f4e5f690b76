import "server-only";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { TFloorDelta, TFloorHeartbeat, TLinkState } from "@/lib/floor/types";
import type { TClusterHealth } from "@/lib/health";
import type { TChannelStatus } from "@/lib/link-state";
import { metrics } from "@/server/metrics";
import { createRedis, type Redis } from "./redis-client";
import type { Floor } from "@/server/floor/floor";
import { clusterKeys, type TClusterKeys } from "./keys";
import { Leases, type THeldLease } from "./lease";
import {
  CLUSTER_PROTOCOL,
  decode,
  MESSAGE_MAX_BYTES,
  SNAPSHOT_MAX_BYTES,
  ZFloorMessage,
  ZStoredFloor,
  type TFloorMessage,
  type TNodeRecord,
  type TStoredFloor,
} from "./messages";
import { NodeRegistry } from "./nodes";
import { CompanyReplica } from "./replica";

/** What the cluster drives of the CTI layer: one company's monitor channel and poller. */
export interface TMonitorControl {
  startMonitor(companyCode: string): void;
  stopMonitor(companyCode: string): Promise<void>;
  linkState(companyCode: string): TLinkState | undefined;
}

export interface TClusterOptions {
  redisUrl: string;
  prefix: string;
  nodeId: string;
  leaseMs: number;
  version: string;
  startedAt: number;
  companies: readonly string[];
  floor: Floor;
  cti: TMonitorControl;
  log: Logger;
  /** Node ids that still have interventions without an outcome. */
  openInterventionNodes: () => Promise<(string | null)[]>;
  /** Ends the interventions a lost node left open (INTERRUPTED). */
  interruptNode: (nodeId: string | null) => Promise<void>;
}

/** What a follower knows of a company it does not lead (health). */
export interface TReplicaLink {
  companyCode: string;
  agentChanges: number;
  agentChangePushes: number;
  lastAgentChangeAt?: number;
  leader?: string;
}

/** Reachability of Redis as this node sees it. */
export interface TRedisState {
  reachable: boolean;
  since: number;
  /** Epoch ms of the last command Redis answered. */
  lastAnswerAt?: number;
}

/** This node among several, for /api/health and the status page. */
export interface TClusterStatus {
  nodeId: string;
  redis: TRedisState;
  leaseMs: number;
  /** The companies this node leads, with how long it has held and last renewed each lease. */
  leases: THeldLease[];
  /** Every live node, as their records in Redis say. */
  nodes: TNodeRecord[];
  /** Companies whose replica here follows its leader without a gap. */
  replicasLive: string[];
}

/** A stored floor outlives its leader this long: a seed for the next one, not a live floor. */
const STORED_TTL_MS = 3600_000;
/** A replica's request for a stored floor is answered at most this often. */
const STORE_DEBOUNCE_MS = 50;

/** Stores the leader's floor only while its term is still the company's latest. */
const STORE_FLOOR = `
if tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return 1
end
return 0`;

/**
 * Several nodes, one Redis: per company one lease decides which node runs the monitor channel and
 * poller. That node numbers the floor (seq, epoch) and publishes its delta batches and heartbeats
 * on the company's channel; every other node keeps a replica from them and serves snapshots and
 * sockets from it. When a leader dies, a survivor takes the lease after it expires and starts a
 * new epoch from its replica. Without REDIS_URL none of this exists (server/app.ts).
 */
export class Cluster {
  readonly nodeId: string;
  readonly instance = randomBytes(6).toString("hex");
  private readonly keys: TClusterKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly leases: Leases;
  private readonly nodes: NodeRegistry;
  private readonly replicas = new Map<string, CompanyReplica>();
  private readonly busOf = new Map<string, string>();
  /** The companies this node leads, with the term it leads them in. */
  private readonly terms = new Map<string, number>();
  private readonly storeTimers = new Map<string, NodeJS.Timeout>();
  private redis: TRedisState = { reachable: false, since: Date.now() };
  private subscribedOnce = false;
  private readonly m = metrics();
  private readonly onDelta = (delta: TFloorDelta) => this.publishDelta(delta);
  private readonly onHeartbeat = (heartbeat: TFloorHeartbeat) => this.publishHeartbeat(heartbeat);

  constructor(private readonly options: TClusterOptions) {
    this.nodeId = options.nodeId;
    this.keys = clusterKeys(options.prefix);
    const commandTimeoutMs = Math.max(200, Math.floor(options.leaseMs / 3));
    this.cmd = createRedis(options.redisUrl, {
      name: `floorwatch:${options.nodeId}:cmd`,
      commandTimeoutMs,
    });
    this.sub = createRedis(options.redisUrl, {
      name: `floorwatch:${options.nodeId}:sub`,
      commandTimeoutMs,
    });
    for (const client of [this.cmd, this.sub]) {
      // ioredis reports connection errors here too; the state change is what matters.
      client.on("error", () => this.redisAnswered(false));
    }
    this.leases = new Leases(this.cmd, this.keys, {
      nodeId: options.nodeId,
      instance: this.instance,
      leaseMs: options.leaseMs,
      companies: options.companies,
      log: options.log,
    });
    this.leases.on("redis", (ok) => this.redisAnswered(ok));
    this.leases.on("acquired", (companyCode, term) => this.onAcquired(companyCode, term));
    this.leases.on("lost", (companyCode, reason) => this.onLost(companyCode, reason));
    this.nodes = new NodeRegistry(this.cmd, this.keys, {
      nodeId: options.nodeId,
      instance: this.instance,
      version: options.version,
      startedAt: options.startedAt,
      leaseMs: options.leaseMs,
      leases: () => this.leases.held(),
      log: options.log,
      openInterventionNodes: options.openInterventionNodes,
      onLost: options.interruptNode,
      redisAnswered: (ok) => this.redisAnswered(ok),
      // Two leases of Redis answering without a break: every live node has renewed its record.
      mayReap: () => this.redis.reachable && Date.now() - this.redis.since >= 2 * options.leaseMs,
    });
    for (const companyCode of options.companies) {
      this.busOf.set(this.keys.bus(companyCode), companyCode);
      this.replicas.set(
        companyCode,
        new CompanyReplica({
          companyCode,
          fetchStored: () => this.fetchStored(companyCode),
          want: () =>
            this.publish(companyCode, { v: CLUSTER_PROTOCOL, node: this.nodeId, kind: "want" }),
          replicate: (stored) => options.floor.replicate(companyCode, stored),
          replicateDelta: (delta) => options.floor.replicateDelta(delta),
          position: () => {
            const store = options.floor.store(companyCode);
            return { epoch: store?.epoch ?? "", seq: store?.seq ?? 0 };
          },
          resynced: (reason) => this.m.clusterResyncs.inc({ company: companyCode, reason }),
        }),
      );
    }
  }

  /**
   * Connects to Redis and takes this node's id (waiting out a crashed predecessor's record).
   * Before interventions start: a node must own its id before it ends its own open ones.
   */
  async connect(): Promise<void> {
    await Promise.all([this.cmd.connect(), this.sub.connect()]);
    this.redisAnswered(true);
    await this.nodes.claim();
  }

  /** Follows every company's channel, then competes for the leases. */
  async start(): Promise<void> {
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) =>
      this.onMessage(channel.toString(), message),
    );
    this.sub.on("ready", () => {
      // A resubscription after a drop: whatever was published meanwhile is lost.
      if (!this.subscribedOnce) return;
      for (const replica of this.replicas.values()) replica.subscriptionLost();
    });
    await this.sub.subscribe(...this.busOf.keys());
    this.subscribedOnce = true;
    this.options.floor.on("delta", this.onDelta);
    this.options.floor.on("heartbeat", this.onHeartbeat);
    await Promise.all([...this.replicas.values()].map((replica) => replica.start()));
    this.nodes.start();
    this.leases.start();
  }

  /** A clean stop: leases released (the others take over at once), the node's record removed. */
  async stop(): Promise<void> {
    const released = await this.leases.stop();
    for (const companyCode of released) {
      const term = this.terms.get(companyCode);
      this.terms.delete(companyCode);
      if (term !== undefined) this.publish(companyCode, { ...this.from(term), kind: "released" });
    }
    for (const timer of this.storeTimers.values()) clearTimeout(timer);
    for (const replica of this.replicas.values()) replica.stop();
    this.options.floor.off("delta", this.onDelta);
    this.options.floor.off("heartbeat", this.onHeartbeat);
    await this.nodes.stop();
    await Promise.all([this.sub.quit(), this.cmd.quit()].map((p) => p.catch(() => undefined)));
  }

  /** The CTI link to show with a company's floor: ours if we lead it, else the leader's word. */
  linkState(companyCode: string): TLinkState | undefined {
    if (this.terms.has(companyCode)) return this.options.cti.linkState(companyCode);
    return this.replicas.get(companyCode)?.linkState();
  }

  leads(companyCode: string): boolean {
    return this.terms.has(companyCode);
  }

  /**
   * A company's CTI link for /api/health: this node's channel when it leads the company, else the
   * leader's word with what this replica received (its changes say whether the floor moves).
   */
  companyLink<T extends TChannelStatus & { companyCode: string }>(
    own: T,
  ): T | (TChannelStatus & TReplicaLink) {
    if (this.terms.has(own.companyCode)) return { ...own, leader: this.nodeId };
    const replica = this.replicas.get(own.companyCode);
    const link = replica?.linkState() ?? { state: "connecting", since: Date.now() };
    const changes = replica?.changes;
    return {
      companyCode: own.companyCode,
      ...link,
      reconnects: 0,
      malformedFrames: 0,
      agentChanges: changes?.agentChanges ?? 0,
      agentChangePushes: changes?.agentChangePushes ?? 0,
      ...(changes?.lastAgentChangeAt ? { lastAgentChangeAt: changes.lastAgentChangeAt } : {}),
      ...(link.state === "up" && replica?.leader ? { leader: replica.leader } : {}),
    };
  }

  /** This node, Redis and every live node, for /api/health (ages relative to each record). */
  health(now = Date.now()): TClusterHealth {
    const records = this.nodes.list().filter((n) => n.node !== this.nodeId);
    const self = {
      nodeId: this.nodeId,
      self: true,
      version: this.options.version,
      startedAt: this.options.startedAt,
      lastSeenMs: 0,
      leases: this.leases.held().map((l) => ({
        companyCode: l.companyCode,
        term: l.term,
        heldMs: now - l.acquiredAt,
        renewedMs: now - l.renewedAt,
      })),
    };
    const others = records.map((record) => ({
      nodeId: record.node,
      self: false,
      version: record.version,
      startedAt: record.startedAt,
      lastSeenMs: Math.max(0, now - record.at),
      leases: record.leases.map((l) => ({
        companyCode: l.companyCode,
        term: l.term,
        heldMs: Math.max(0, record.at - l.acquiredAt),
        renewedMs: Math.max(0, record.at - l.renewedAt),
      })),
    }));
    return {
      nodeId: this.nodeId,
      redis: { ...this.redis },
      leaseMs: this.options.leaseMs,
      nodes: [self, ...others].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    };
  }

  status(): TClusterStatus {
    return {
      nodeId: this.nodeId,
      redis: { ...this.redis },
      leaseMs: this.options.leaseMs,
      leases: this.leases.held(),
      nodes: this.nodes.list(),
      replicasLive: [...this.replicas].filter(([, r]) => r.isLive).map(([c]) => c),
    };
  }

  /** The header of every message this node sends as a company's leader. */
  private from(term: number) {
    return { v: CLUSTER_PROTOCOL, node: this.nodeId, term };
  }

  private onAcquired(companyCode: string, term: number): void {
    const { floor, cti, log } = this.options;
    const replica = this.replicas.get(companyCode);
    const seed = replica?.seed();
    replica?.pause();
    const store = floor.store(companyCode);
    // Only a node that never had this floor starts from the stored one: a floor it had (even
    // one its replica was resyncing) is newer than a stored floor that may date from any term.
    if (seed && store && store.size === 0) floor.replicate(companyCode, seed);
    floor.lead(companyCode);
    // The term's first word is its stored floor: replicas need it before any delta of it.
    this.terms.set(companyCode, term);
    void this.storeFloor(companyCode);
    cti.startMonitor(companyCode);
    this.nodes.touch();
    this.m.clusterLeaderships.inc({ company: companyCode });
    log.warn(
      { company: companyCode, term, epoch: store?.epoch },
      "cluster: this node leads the company",
    );
  }

  private onLost(companyCode: string, reason: string): void {
    const { floor, cti, log } = this.options;
    const term = this.terms.get(companyCode) ?? 0;
    this.terms.delete(companyCode);
    clearTimeout(this.storeTimers.get(companyCode));
    this.storeTimers.delete(companyCode);
    floor.follow(companyCode);
    void cti.stopMonitor(companyCode);
    this.replicas.get(companyCode)?.resume(term);
    this.nodes.touch();
    log.warn(
      { company: companyCode, term, reason },
      "cluster: this node no longer leads the company",
    );
  }

  private onMessage(channel: string, raw: Buffer): void {
    const companyCode = this.busOf.get(channel);
    if (companyCode === undefined) return;
    const decoded = decode(raw, ZFloorMessage, MESSAGE_MAX_BYTES);
    if (!decoded.ok) {
      this.m.clusterDropped.inc({ reason: decoded.reason });
      this.options.log.warn(
        { company: companyCode, reason: decoded.reason, bytes: raw.length },
        "cluster message dropped",
      );
      return;
    }
    const message = decoded.value;
    if (message.node === this.nodeId) return;
    if (message.kind === "want") {
      if (this.terms.has(companyCode)) this.scheduleStore(companyCode);
      return;
    }
    const ours = this.terms.get(companyCode);
    if (ours !== undefined) {
      if (message.term <= ours) return;
      this.leases.yield(companyCode, `node ${message.node} leads in a newer term`);
    }
    if (message.kind === "released") this.leases.attemptSoon(companyCode);
    this.replicas.get(companyCode)?.receive(message);
  }

  private publishDelta(delta: TFloorDelta): void {
    const term = this.terms.get(delta.companyCode);
    if (term !== undefined)
      this.publish(delta.companyCode, { ...this.from(term), kind: "delta", delta });
  }

  private publishHeartbeat(heartbeat: TFloorHeartbeat): void {
    const term = this.terms.get(heartbeat.companyCode);
    if (term !== undefined)
      this.publish(heartbeat.companyCode, { ...this.from(term), kind: "heartbeat", heartbeat });
  }

  private publish(companyCode: string, message: TFloorMessage): void {
    this.cmd.publish(this.keys.bus(companyCode), JSON.stringify(message)).then(
      () => this.redisAnswered(true),
      () => {
        this.redisAnswered(false);
        this.m.clusterPublishFailures.inc({ company: companyCode, kind: message.kind });
      },
    );
  }

  private scheduleStore(companyCode: string): void {
    if (this.storeTimers.has(companyCode)) return;
    const timer = setTimeout(() => {
      this.storeTimers.delete(companyCode);
      void this.storeFloor(companyCode);
    }, STORE_DEBOUNCE_MS);
    timer.unref();
    this.storeTimers.set(companyCode, timer);
  }

  /** The leader's floor into Redis (only while its term is the latest), then a notice. */
  private async storeFloor(companyCode: string): Promise<void> {
    const term = this.terms.get(companyCode);
    const store = this.options.floor.store(companyCode);
    if (term === undefined || !store) return;
    const state = store.snapshot();
    const stored: TStoredFloor = {
      ...this.from(term),
      companyCode,
      epoch: state.epoch,
      seq: state.seq,
      storedAt: Date.now(),
      link: this.options.cti.linkState(companyCode) ?? { state: "connecting", since: Date.now() },
      skills: state.skills,
      agents: state.agents,
      calls: state.calls,
    };
    let done: unknown;
    try {
      done = await this.cmd.eval(
        STORE_FLOOR,
        2,
        this.keys.floor(companyCode),
        this.keys.term(companyCode),
        JSON.stringify(stored),
        String(term),
        String(STORED_TTL_MS),
      );
      this.redisAnswered(true);
    } catch (error) {
      this.redisAnswered(false);
      this.options.log.warn(
        { company: companyCode, err: String(error) },
        "cluster: floor not stored",
      );
      return;
    }
    if (this.terms.get(companyCode) !== term) return;
    if (Number(done) !== 1) {
      this.leases.yield(companyCode, "a newer leader took the company");
      return;
    }
    this.publish(companyCode, {
      ...this.from(term),
      kind: "stored",
      epoch: state.epoch,
      seq: state.seq,
    });
  }

  private async fetchStored(companyCode: string): Promise<TStoredFloor | undefined> {
    let raw: Buffer | null;
    try {
      raw = await this.cmd.getBuffer(this.keys.floor(companyCode));
      this.redisAnswered(true);
    } catch {
      this.redisAnswered(false);
      return undefined;
    }
    if (raw === null) return undefined;
    const decoded = decode(raw, ZStoredFloor, SNAPSHOT_MAX_BYTES);
    if (!decoded.ok) {
      this.m.clusterDropped.inc({ reason: `stored_${decoded.reason}` });
      return undefined;
    }
    return decoded.value.companyCode === companyCode ? decoded.value : undefined;
  }

  /**
   * Redis is reachable from the first answer on, and unreachable once a command fails with no
   * answer for a third of a lease: one command timing out on a loaded machine is not an outage
   * (it would hold back the clean-up after lost nodes, which waits for two leases of answers).
   */
  private redisAnswered(ok: boolean): void {
    const now = Date.now();
    if (ok) this.redis.lastAnswerAt = now;
    const silentFor = now - (this.redis.lastAnswerAt ?? 0);
    if (!ok && this.redis.reachable && silentFor < this.options.leaseMs / 3) return;
    if (ok !== this.redis.reachable) {
      this.redis = { ...this.redis, reachable: ok, since: now };
      this.options.log[ok ? "info" : "warn"](
        { reachable: ok },
        "cluster: redis reachability changed",
      );
    }
  }
}
