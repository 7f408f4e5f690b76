import "server-only";
import type { TFloorDelta, TLinkState } from "@/lib/floor/types";
import type { TFloorMessage, TStoredFloor } from "./messages";

/** What a replica needs of its node: the floor to feed, the stored floor, a way to ask for one. */
export interface TReplicaDeps {
  companyCode: string;
  /** The stored floor in Redis (validated), or undefined when absent, invalid or unreachable. */
  fetchStored(): Promise<TStoredFloor | undefined>;
  /** Asks the leader to store its floor now. */
  want(): void;
  /** The leader's floor, whole, becomes this node's (its epoch and seq are the leader's). */
  replicate(stored: TStoredFloor): void;
  /** One of the leader's deltas, applied and sent on to this node's sockets. */
  replicateDelta(delta: TFloorDelta): void;
  /** The node's current epoch and seq of the company. */
  position(): { epoch: string; seq: number };
  /** The replica resynced (for metrics): why. */
  resynced(reason: "term" | "epoch" | "gap" | "subscription"): void;
}

/** Deltas held while the stored floor is fetched; past this the oldest go (the next stored floor covers them). */
const BUFFER_MAX = 2000;
/** A leader heartbeats every second: this long without a word, it is taken as gone. */
const LEADER_SILENT_MS = 3000;
/** A replica without a consistent floor asks again this often. */
const RETRY_MS = 1000;

/**
 * One company's replica on a node that does not lead it: it follows the leader's messages as a
 * browser follows a node's (lib/floor/client-store.ts), one level up. Deltas of the leader's epoch
 * are applied in order; a gap, a new epoch or a new leader (a higher term) makes it fetch the
 * floor the leader stored, replay the deltas held meanwhile, and go on. It changes the node's
 * floor only with a floor that is consistent with the leader's latest word (same epoch, at least
 * its seq), so the browsers of this node start over once per new epoch, not once per attempt.
 */
export class CompanyReplica {
  /** The highest leadership seen: messages of an older leader are dropped. */
  private term = 0;
  /** The latest position the current leader announced (heartbeat, delta, stored notice). */
  private announced: { epoch: string; seq: number } | undefined;
  private live = false;
  private buffer: TFloorDelta[] = [];
  private fetching = false;
  private fetchAgain = false;
  private retry: NodeJS.Timeout | undefined;
  private lastWant = 0;
  private leaderLink: TLinkState | undefined;
  private leaderSeenAt = 0;
  private readonly waitingSince = Date.now();
  private active = true;
  /** The last stored floor read, even if not applied: a node taking the lead starts from it. */
  private latestStored: TStoredFloor | undefined;
  /** The node the current leader's messages come from. */
  private leaderNode: string | undefined;
  /** Agent changes this replica received (health's "the floor is moving" on a follower). */
  readonly changes = { agentChanges: 0, agentChangePushes: 0, lastAgentChangeAt: 0 };

  constructor(private readonly deps: TReplicaDeps) {}

  /** Reads the stored floor once at start: a seed should this node have to take the lead. */
  async start(): Promise<void> {
    this.latestStored = await this.deps.fetchStored();
  }

  /** This node leads the company now: the replica rests. */
  pause(): void {
    this.active = false;
    this.live = false;
    this.buffer = [];
    clearTimeout(this.retry);
  }

  /** This node no longer leads: follow the next leader (its term is higher than ours was). */
  resume(ownTerm: number): void {
    this.active = true;
    this.live = false;
    this.buffer = [];
    this.term = Math.max(this.term, ownTerm);
    this.announced = undefined;
  }

  /** The subscription was down: whatever was published meanwhile is lost. */
  subscriptionLost(): void {
    if (!this.active || !this.live) return;
    this.resync("subscription");
  }

  /** A stored floor newer than the node's own floor, to start from when taking the lead. */
  seed(): TStoredFloor | undefined {
    if (this.live) return undefined;
    return this.latestStored;
  }

  get isLive(): boolean {
    return this.live;
  }

  /** The node that leads the company, as its messages say (undefined before the first). */
  get leader(): string | undefined {
    return this.leaderNode;
  }

  /**
   * The leader's CTI link as it last said, or "connecting" once it has missed three heartbeats:
   * browsers then stop showing the floor as live while a failover runs.
   */
  linkState(now = Date.now()): TLinkState {
    if (this.leaderLink && now - this.leaderSeenAt <= LEADER_SILENT_MS) return this.leaderLink;
    return {
      state: "connecting",
      since: this.leaderSeenAt || this.waitingSince,
      reason: "no node leads this company now: waiting for one to take over",
    };
  }

  /** A message of the company's channel from another node (already validated). */
  receive(message: Exclude<TFloorMessage, { kind: "want" }>, now = Date.now()): void {
    if (!this.active || message.term < this.term) return;
    if (message.term > this.term) {
      const first = this.term === 0;
      this.term = message.term;
      this.announced = undefined;
      if (!first || this.live) this.resync("term");
    }
    this.leaderSeenAt = now;
    this.leaderNode = message.node;
    switch (message.kind) {
      case "delta":
        this.note(message.delta.epoch, message.delta.toSeq);
        this.onDelta(message.delta);
        break;
      case "heartbeat": {
        const { heartbeat } = message;
        this.leaderLink = heartbeat.link;
        this.note(heartbeat.epoch, heartbeat.seq);
        const at = this.deps.position();
        if (this.live && (heartbeat.epoch !== at.epoch || heartbeat.seq > at.seq))
          this.resync(heartbeat.epoch !== at.epoch ? "epoch" : "gap");
        else if (!this.live) void this.sync();
        break;
      }
      case "stored":
        this.note(message.epoch, message.seq);
        if (!this.live) void this.sync();
        break;
      case "released":
        break;
    }
  }

  private note(epoch: string, seq: number): void {
    if (this.announced?.epoch !== epoch) this.announced = { epoch, seq };
    else this.announced.seq = Math.max(this.announced.seq, seq);
  }

  private onDelta(delta: TFloorDelta): void {
    if (!this.live) return this.hold(delta);
    const at = this.deps.position();
    if (delta.epoch !== at.epoch) {
      this.resync("epoch");
      return this.hold(delta);
    }
    if (delta.toSeq <= at.seq) return;
    if (delta.fromSeq > at.seq + 1) {
      this.resync("gap");
      return this.hold(delta);
    }
    this.apply(delta);
  }

  private apply(delta: TFloorDelta): void {
    const changed = delta.agents.length + delta.removedAgents.length;
    if (changed > 0) {
      this.changes.agentChanges += changed;
      this.changes.agentChangePushes += delta.agents.filter((a) => a.via === "push").length;
      this.changes.lastAgentChangeAt = Date.now();
    }
    this.deps.replicateDelta(delta);
  }

  private hold(delta: TFloorDelta): void {
    this.buffer.push(delta);
    if (this.buffer.length > BUFFER_MAX) this.buffer.splice(0, BUFFER_MAX / 2);
    void this.sync();
  }

  private resync(reason: "term" | "epoch" | "gap" | "subscription"): void {
    this.live = false;
    this.buffer = [];
    this.deps.resynced(reason);
    void this.sync();
  }

  /** Fetches the stored floor and goes live once it and the held deltas reach the leader's word. */
  private async sync(): Promise<void> {
    if (this.live || !this.active || !this.announced) return;
    // A notice that came while a fetch was out may name a floor stored after that fetch read.
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    let stored: TStoredFloor | undefined;
    try {
      stored = await this.deps.fetchStored();
    } finally {
      this.fetching = false;
    }
    if (this.fetchAgain) {
      this.fetchAgain = false;
      return this.sync();
    }
    if (this.live || !this.active) return;
    if (stored && stored.term >= (this.latestStored?.term ?? 0)) this.latestStored = stored;
    const announced = this.announced;
    if (stored && announced && stored.term === this.term && stored.epoch === announced.epoch) {
      const replay = this.chain(stored);
      if (replay && (replay.at(-1)?.toSeq ?? stored.seq) >= announced.seq) {
        this.buffer = [];
        this.live = true;
        clearTimeout(this.retry);
        this.deps.replicate(stored);
        for (const delta of replay) this.apply(delta);
        return;
      }
    }
    this.askLeader();
  }

  /** The held deltas that follow the stored floor without a gap, or undefined if one is missing. */
  private chain(stored: TStoredFloor): TFloorDelta[] | undefined {
    let seq = stored.seq;
    const replay: TFloorDelta[] = [];
    for (const delta of this.buffer) {
      if (delta.epoch !== stored.epoch) return undefined;
      if (delta.toSeq <= seq) continue;
      if (delta.fromSeq > seq + 1) return undefined;
      replay.push(delta);
      seq = delta.toSeq;
    }
    return replay;
  }

  private askLeader(): void {
    const now = Date.now();
    if (now - this.lastWant >= RETRY_MS / 2) {
      this.lastWant = now;
      this.deps.want();
    }
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.sync(), RETRY_MS);
    this.retry.unref();
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.retry);
  }
}
