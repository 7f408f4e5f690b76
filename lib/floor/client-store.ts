import type { TAgentStatus, TSubStatus } from "@/lib/protocol/states";
import type {
  TFloorAgent,
  TFloorCall,
  TFloorDelta,
  TFloorHeartbeat,
  TFloorSnapshot,
  TLinkState,
  TSkill,
} from "./types";

/** One line of the live feed: an agent whose status changed. */
export interface TFeedEntry {
  key: number;
  at: number;
  agentId: string;
  name: string;
  from: TAgentStatus | undefined;
  to: TAgentStatus;
}

/** What was observed of one agent recently (the drawer). */
export interface THistoryEntry {
  at: number;
  status: TAgentStatus;
  subStatus: TSubStatus | undefined;
  via: TFloorAgent["via"];
  numbers: string[];
  stale: boolean;
}

export type TSyncState = "loading" | "live" | "resyncing";
export type TResyncReason = "gap" | "epoch" | "reconnect" | "initial";

export interface ClientStoreOptions {
  /** Runs `flush` once before the next frame; returns a cancel function. */
  schedule?: (flush: () => void) => () => void;
  /** How often list subscribers (filters, sort, tiles) hear of changes at most. */
  listIntervalMs?: number;
  feedSize?: number;
  historySize?: number;
  now?: () => number;
}

type Listener = () => void;

/** Offsets within this of the current one are network jitter, not a clock change. */
const CLOCK_JITTER_MS = 250;

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((value, i) => value === b[i]));
}

const defaultSchedule = (flush: () => void): (() => void) => {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(flush);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(flush, 16);
  return () => clearTimeout(id);
};

/**
 * The browser's copy of one company's floor, fed by a snapshot and numbered deltas. Deltas
 * received while a snapshot loads are buffered and replayed past its seq; a gap, an epoch
 * change or a reconnect asks for a new snapshot. Changes reach React once per animation frame:
 * row subscribers per agent, list subscribers at most every `listIntervalMs`.
 */
export class FloorClientStore {
  private agents = new Map<string, TFloorAgent>();
  private calls = new Map<string, TFloorCall>();
  private skillList: TSkill[] = [];
  private epoch: string | undefined;
  private seq = 0;
  private syncing = true;
  private buffer: TFloorDelta[] = [];
  private pending: TFloorDelta[] = [];
  private cancelFlush: (() => void) | undefined;
  private lastListNotify = 0;
  private listTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly agentListeners = new Map<string, Set<Listener>>();
  private readonly listListeners = new Set<Listener>();
  private readonly resyncListeners = new Set<(reason: TResyncReason) => void>();
  private feed: TFeedEntry[] = [];
  private feedKey = 0;
  private readonly history = new Map<string, THistoryEntry[]>();
  private listVersion = 0;
  /** +1 whenever agents join, leave or change name, extension or skills (not on status changes). */
  private rosterVersionValue = 0;
  private meta: {
    sync: TSyncState;
    link: TLinkState | undefined;
    /** serverTime - local time, from the latest snapshot or heartbeat. */
    clockOffset: number;
    pollIntervalMs: number;
    lastHeartbeatAt: number;
    /** The browser's socket to Floorwatch is connected. */
    connected: boolean;
  } = {
    sync: "loading",
    link: undefined,
    clockOffset: 0,
    pollIntervalMs: 2000,
    lastHeartbeatAt: 0,
    connected: false,
  };
  private readonly opts: Required<ClientStoreOptions>;

  constructor(options: ClientStoreOptions = {}) {
    this.opts = {
      schedule: defaultSchedule,
      listIntervalMs: 200,
      feedSize: 100,
      historySize: 20,
      now: () => Date.now(),
      ...options,
    };
  }

  // ---- protocol ----

  /** A snapshot is being fetched: deltas from now on are held until it lands. */
  beginSync(): void {
    this.syncing = true;
    this.buffer = [];
    if (this.meta.sync === "live") this.setMeta({ sync: "resyncing" });
  }

  applySnapshot(snapshot: TFloorSnapshot): void {
    this.agents = new Map(snapshot.agents.map((a) => [a.agentId, a]));
    this.calls = new Map(snapshot.calls.map((c) => [c.uuid, c]));
    this.skillList = snapshot.skills;
    this.rosterVersionValue += 1;
    this.epoch = snapshot.epoch;
    this.seq = snapshot.seq;
    this.pending = [];
    this.syncing = false;
    const held = this.buffer;
    this.buffer = [];
    this.setMeta({
      sync: "live",
      link: snapshot.link,
      clockOffset: snapshot.serverTime - this.opts.now(),
      pollIntervalMs: snapshot.pollIntervalMs,
    });
    for (const agent of snapshot.agents) this.notifyAgent(agent.agentId);
    for (const delta of held) this.receiveDelta(delta);
    this.notifyList(true);
  }

  receiveDelta(delta: TFloorDelta): void {
    if (this.syncing) {
      this.buffer.push(delta);
      return;
    }
    if (delta.epoch !== this.epoch) return this.resync("epoch");
    if (delta.toSeq <= this.seq) return;
    if (delta.fromSeq > this.seq + 1) return this.resync("gap");
    this.seq = delta.toSeq;
    this.pending.push(delta);
    this.cancelFlush ??= this.opts.schedule(() => this.flush());
  }

  receiveHeartbeat(heartbeat: TFloorHeartbeat): void {
    const offset = heartbeat.serverTime - this.opts.now();
    // Every live duration on screen depends on the offset: move it only when it really moved.
    const clockOffset =
      Math.abs(offset - this.meta.clockOffset) > CLOCK_JITTER_MS ? offset : this.meta.clockOffset;
    this.setMeta({ link: heartbeat.link, clockOffset, lastHeartbeatAt: this.opts.now() });
    if (this.syncing) return;
    if (heartbeat.epoch !== this.epoch) this.resync("epoch");
    else if (heartbeat.seq > this.seq) this.resync("gap");
  }

  /** The socket reconnected: whatever happened meanwhile is unknown. */
  reconnected(): void {
    this.resync("reconnect");
  }

  setConnected(connected: boolean): void {
    if (connected !== this.meta.connected) {
      this.meta = { ...this.meta, connected };
      this.notifyList(true);
    }
  }

  onResync(listener: (reason: TResyncReason) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Applies deltas queued since the last frame. Public so a test can flush without a frame. */
  flush(): void {
    this.cancelFlush = undefined;
    const deltas = this.pending;
    this.pending = [];
    if (deltas.length === 0) return;
    const changed = new Set<string>();
    const at = this.opts.now() + this.meta.clockOffset;
    const fresh: TFeedEntry[] = [];
    let roster = false;
    for (const delta of deltas) {
      for (const agent of delta.agents) {
        const prev = this.agents.get(agent.agentId);
        this.agents.set(agent.agentId, agent);
        changed.add(agent.agentId);
        this.record(prev, agent, at, fresh);
        if (
          !prev ||
          prev.name !== agent.name ||
          prev.extId !== agent.extId ||
          !sameIds(prev.skills, agent.skills)
        )
          roster = true;
      }
      for (const id of delta.removedAgents) {
        if (this.agents.delete(id)) roster = true;
        this.history.delete(id);
        changed.add(id);
      }
      for (const call of delta.calls) this.calls.set(call.uuid, call);
      for (const uuid of delta.removedCalls) this.calls.delete(uuid);
    }
    if (roster) this.rosterVersionValue += 1;
    if (fresh.length > 0) {
      // Newest first, one copy per frame (not one per change).
      fresh.reverse();
      this.feed =
        fresh.length >= this.opts.feedSize
          ? fresh.slice(0, this.opts.feedSize)
          : [...fresh, ...this.feed.slice(0, this.opts.feedSize - fresh.length)];
    }
    for (const id of changed) this.notifyAgent(id);
    this.notifyList(false);
  }

  private resync(reason: TResyncReason): void {
    this.beginSync();
    for (const listener of this.resyncListeners) listener(reason);
  }

  private record(
    prev: TFloorAgent | undefined,
    agent: TFloorAgent,
    at: number,
    fresh: TFeedEntry[],
  ): void {
    const list = this.history.get(agent.agentId) ?? [];
    list.unshift({
      at,
      status: agent.status,
      subStatus: agent.subStatus,
      via: agent.via,
      numbers: agent.numbers,
      stale: agent.stale,
    });
    if (list.length > this.opts.historySize) list.length = this.opts.historySize;
    this.history.set(agent.agentId, list);
    if (prev && prev.status !== agent.status) {
      this.feedKey += 1;
      fresh.push({
        key: this.feedKey,
        at,
        agentId: agent.agentId,
        name: agent.name,
        from: prev.status,
        to: agent.status,
      });
    }
  }

  // ---- React side (useSyncExternalStore) ----

  subscribeAgent = (agentId: string, listener: Listener): (() => void) => {
    const set = this.agentListeners.get(agentId) ?? new Set<Listener>();
    set.add(listener);
    this.agentListeners.set(agentId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.agentListeners.delete(agentId);
    };
  };

  getAgent = (agentId: string): TFloorAgent | undefined => this.agents.get(agentId);

  subscribeList = (listener: Listener): (() => void) => {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  };

  /** Changes whenever the list (membership, statuses, calls, link, sync) may have changed. */
  getListVersion = (): number => this.listVersion;

  /** Changes only when agents joined, left, or changed name, extension or skills. */
  get rosterVersion(): number {
    return this.rosterVersionValue;
  }

  get size(): number {
    return this.agents.size;
  }

  get agentList(): TFloorAgent[] {
    return [...this.agents.values()];
  }

  get callList(): TFloorCall[] {
    return [...this.calls.values()];
  }

  get skills(): TSkill[] {
    return this.skillList;
  }

  get recentChanges(): TFeedEntry[] {
    return this.feed;
  }

  historyOf(agentId: string): THistoryEntry[] {
    return this.history.get(agentId) ?? [];
  }

  get status() {
    return { ...this.meta, epoch: this.epoch, seq: this.seq };
  }

  private setMeta(patch: Partial<typeof this.meta>): void {
    const linkChanged =
      patch.link !== undefined &&
      (patch.link.state !== this.meta.link?.state || patch.link.since !== this.meta.link?.since);
    const syncChanged = patch.sync !== undefined && patch.sync !== this.meta.sync;
    this.meta = { ...this.meta, ...patch };
    if (linkChanged || syncChanged) this.notifyList(true);
  }

  private notifyAgent(agentId: string): void {
    const set = this.agentListeners.get(agentId);
    if (set) for (const listener of set) listener();
  }

  /** List subscribers re-filter and re-sort thousands of rows: at most once per listIntervalMs. */
  private notifyList(immediate: boolean): void {
    const now = this.opts.now();
    const wait = this.lastListNotify + this.opts.listIntervalMs - now;
    if (immediate || wait <= 0) {
      clearTimeout(this.listTimer);
      this.listTimer = undefined;
      this.lastListNotify = now;
      this.listVersion += 1;
      for (const listener of this.listListeners) listener();
      return;
    }
    this.listTimer ??= setTimeout(() => {
      this.listTimer = undefined;
      this.notifyList(true);
    }, wait);
  }

  /** Stops pending timers; subscriptions belong to their subscribers and end with them. */
  dispose(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    clearTimeout(this.listTimer);
    this.listTimer = undefined;
  }
}
