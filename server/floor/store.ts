import "server-only";
import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import {
  agentContentChanged,
  applyObservation,
  callChanged,
  callKeyOf,
  deriveCall,
  isOutdated,
  rosterAgent,
  type TObservation,
} from "@/lib/floor/reducer";
import type { TFloorAgent, TFloorCall, TFloorDelta, TSkill } from "@/lib/floor/types";
import type { TObservationSink, TObserveResult, TRosterEntry } from "@/lib/floor/observation";

/** One numbered change: the agents and calls it touched, in their new state. */
export interface TFloorChange {
  seq: number;
  agents: TFloorAgent[];
  removedAgents: string[];
  calls: TFloorCall[];
  removedCalls: string[];
}

export type { TObserveResult, TRosterEntry } from "@/lib/floor/observation";

function emptyChange(seq: number): TFloorChange {
  return { seq, agents: [], removedAgents: [], calls: [], removedCalls: [] };
}

function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

export interface FloorStoreEvents {
  change: [TFloorChange];
}

/** A new epoch name: unique per store life and per leadership (several nodes). */
function newEpoch(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** What a replica receives whole: the leader's floor at `seq` of `epoch`. */
export interface TFloorState {
  epoch: string;
  seq: number;
  skills: TSkill[];
  agents: TFloorAgent[];
  calls: TFloorCall[];
}

/**
 * The floor of one company: agents and the calls derived from them. Every visible change gets
 * the company's next `seq`; `epoch` names this store's life, so a browser holding numbers from
 * an earlier store knows to start over.
 *
 * With several nodes, the store of a company another node leads is a replica: it takes the
 * leader's floor whole (`replace`) and its deltas as they are (`applyDelta`), keeping the
 * leader's epoch and seq, and emits the same `change` events (interventions watch them). When
 * this node takes the lead, `beginEpoch` starts a new epoch from what the replica holds.
 */
export class FloorStore extends EventEmitter<FloorStoreEvents> implements TObservationSink {
  private epochValue = newEpoch();
  private seqValue = 0;
  private readonly agents = new Map<string, TFloorAgent>();
  private readonly calls = new Map<string, TFloorCall>();
  private readonly members = new Map<string, Set<string>>();
  private readonly lastPushAt = new Map<string, number>();
  private skillList: TSkill[] = [];
  private knownIdSet: ReadonlySet<string> = new Set();
  private rosterLoaded = false;
  /** A replica derives its known ids from its agents, lazily: set when they may have moved. */
  private knownIdsStale = false;

  constructor(
    readonly companyCode: string,
    private readonly staleAfterMs: number,
  ) {
    super();
  }

  get epoch(): string {
    return this.epochValue;
  }

  get seq(): number {
    return this.seqValue;
  }

  get hasRoster(): boolean {
    return this.rosterLoaded;
  }

  get size(): number {
    return this.agents.size;
  }

  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  agent(agentId: string): TFloorAgent | undefined {
    return this.agents.get(agentId);
  }

  get skills(): TSkill[] {
    return this.skillList;
  }

  /**
   * The company's agent and extension ids, from the roster: the only numbers in a call that are
   * not a customer's. Masking and the customer number go by this set, never by a number's shape.
   */
  knownIds(): ReadonlySet<string> {
    if (this.knownIdsStale) {
      this.knownIdsStale = false;
      this.knownIdSet = new Set([...this.agents.values()].flatMap((a) => [a.agentId, a.extId]));
    }
    return this.knownIdSet;
  }

  snapshot(): TFloorState {
    return {
      epoch: this.epochValue,
      seq: this.seqValue,
      skills: this.skillList,
      agents: [...this.agents.values()],
      calls: [...this.calls.values()],
    };
  }

  /** The roster decides who is on the floor: new agents join, absent ones leave with their calls. */
  applyRoster(entries: readonly TRosterEntry[], skills: readonly TSkill[], now: number): void {
    this.rosterLoaded = true;
    this.skillList = [...skills];
    const knownIds = new Set(entries.flatMap((entry) => [entry.agentId, entry.extId]));
    const idsMoved = !sameIds(knownIds, this.knownIdSet);
    this.knownIdSet = knownIds;
    const seen = new Set<string>();
    for (const entry of entries) {
      seen.add(entry.agentId);
      const prev = this.agents.get(entry.agentId);
      const next = prev
        ? { ...prev, name: entry.name || prev.name, extId: entry.extId, skills: entry.skills }
        : rosterAgent({ ...entry, status: entry.status ?? "OFFLINE", now });
      if (!prev || agentContentChanged(prev, next)) this.commitAgent(prev, next);
    }
    for (const agentId of [...this.agents.keys()]) {
      if (!seen.has(agentId)) this.removeAgent(agentId);
    }
    if (idsMoved) this.rederiveCalls();
  }

  /** Applies one poll answer or push. Unknown agents (not in the roster) are not added. */
  observe(obs: TObservation, now: number): TObserveResult {
    const prev = this.agents.get(obs.agentId);
    if (!prev) return "unknown";
    if (isOutdated(obs, this.lastPushAt.get(obs.agentId))) return "outdated";
    if (obs.via === "push") this.lastPushAt.set(obs.agentId, obs.observedAt);
    const next = applyObservation(prev, obs, now);
    if (!agentContentChanged(prev, next)) {
      this.agents.set(obs.agentId, next);
      return "confirmed";
    }
    this.commitAgent(prev, next);
    return "changed";
  }

  /**
   * This node now leads the company: a new epoch begins from what the store holds (a replica's
   * last state), with the call memberships and known ids the leader's path needs rebuilt. The
   * seq goes on; browsers and replicas start over on the new epoch anyway.
   */
  beginEpoch(): void {
    this.epochValue = newEpoch();
    this.members.clear();
    for (const agent of this.agents.values()) {
      const key = callKeyOf(agent);
      if (key === undefined) continue;
      const set = this.members.get(key) ?? new Set<string>();
      set.add(agent.agentId);
      this.members.set(key, set);
    }
    this.knownIds();
    this.rosterLoaded ||= this.agents.size > 0;
  }

  /** Replica: the leader's floor replaces this one; one change names everything that moved. */
  replace(state: TFloorState): void {
    const change = emptyChange(state.seq);
    const next = new Map(state.agents.map((a) => [a.agentId, a]));
    for (const agentId of this.agents.keys()) {
      if (!next.has(agentId)) change.removedAgents.push(agentId);
    }
    const calls = new Map(state.calls.map((c) => [c.uuid, c]));
    for (const uuid of this.calls.keys()) {
      if (!calls.has(uuid)) change.removedCalls.push(uuid);
    }
    change.agents.push(...state.agents);
    change.calls.push(...state.calls);
    this.agents.clear();
    for (const [id, agent] of next) this.agents.set(id, agent);
    this.calls.clear();
    for (const [uuid, call] of calls) this.calls.set(uuid, call);
    this.lastPushAt.clear();
    this.skillList = [...state.skills];
    this.epochValue = state.epoch;
    this.seqValue = state.seq;
    this.rosterLoaded = state.agents.length > 0;
    this.knownIdsStale = true;
    this.emit("change", change);
  }

  /** Replica: one delta of the leader, applied as it stands (state-based: each entity whole). */
  applyDelta(delta: TFloorDelta): void {
    for (const agent of delta.agents) {
      const prev = this.agents.get(agent.agentId);
      if (!prev || prev.extId !== agent.extId) this.knownIdsStale = true;
      this.agents.set(agent.agentId, agent);
    }
    for (const agentId of delta.removedAgents) {
      if (this.agents.delete(agentId)) this.knownIdsStale = true;
    }
    for (const call of delta.calls) this.calls.set(call.uuid, call);
    for (const uuid of delta.removedCalls) this.calls.delete(uuid);
    if (delta.agents.length > 0) this.rosterLoaded = true;
    this.seqValue = Math.max(this.seqValue, delta.toSeq);
    this.emit("change", {
      seq: delta.toSeq,
      agents: delta.agents,
      removedAgents: delta.removedAgents,
      calls: delta.calls,
      removedCalls: delta.removedCalls,
    });
  }

  /** Marks agents unconfirmed for longer than the stale limit; returns how many are stale. */
  sweep(now: number): number {
    let stale = 0;
    for (const agent of this.agents.values()) {
      const old = now - agent.confirmedAt > this.staleAfterMs;
      if (old && !agent.stale) this.commitAgent(agent, { ...agent, stale: true });
      if (old) stale += 1;
    }
    return stale;
  }

  /** Ages of every agent's last confirmation, for freshness figures. */
  confirmationAges(now: number): number[] {
    return [...this.agents.values()].map((a) => now - a.confirmedAt);
  }

  private removeAgent(agentId: string): void {
    const prev = this.agents.get(agentId);
    if (!prev) return;
    this.agents.delete(agentId);
    this.lastPushAt.delete(agentId);
    const change = this.newChange();
    change.removedAgents.push(agentId);
    this.moveMembership(prev, undefined, change);
    this.emit("change", change);
  }

  private commitAgent(prev: TFloorAgent | undefined, next: TFloorAgent): void {
    this.agents.set(next.agentId, next);
    const change = this.newChange();
    change.agents.push(next);
    this.moveMembership(prev, next, change);
    this.emit("change", change);
  }

  private newChange(): TFloorChange {
    this.seqValue += 1;
    return emptyChange(this.seqValue);
  }

  /** An id the roster learnt or forgot may change which number of a call is the customer's. */
  private rederiveCalls(): void {
    const change = emptyChange(this.seqValue + 1);
    for (const key of [...this.members.keys()]) this.refreshCall(key, change);
    if (change.calls.length === 0 && change.removedCalls.length === 0) return;
    this.seqValue = change.seq;
    this.emit("change", change);
  }

  private moveMembership(
    prev: TFloorAgent | undefined,
    next: TFloorAgent | undefined,
    change: TFloorChange,
  ): void {
    const oldKey = prev ? callKeyOf(prev) : undefined;
    const newKey = next ? callKeyOf(next) : undefined;
    const agentId = (next ?? prev)?.agentId;
    if (agentId === undefined) return;
    if (oldKey !== undefined && oldKey !== newKey) this.members.get(oldKey)?.delete(agentId);
    if (newKey !== undefined) {
      const set = this.members.get(newKey) ?? new Set<string>();
      set.add(agentId);
      this.members.set(newKey, set);
    }
    for (const key of new Set([oldKey, newKey])) {
      if (key !== undefined) this.refreshCall(key, change);
    }
  }

  private refreshCall(key: string, change: TFloorChange): void {
    const ids = this.members.get(key) ?? new Set<string>();
    const members = [...ids]
      .map((id) => this.agents.get(id))
      .filter((a): a is TFloorAgent => a !== undefined);
    const prev = this.calls.get(key);
    const next = deriveCall(key, members, prev, this.knownIdSet);
    if (!callChanged(prev, next)) return;
    if (next) {
      this.calls.set(key, next);
      change.calls.push(next);
    } else {
      this.calls.delete(key);
      this.members.delete(key);
      change.removedCalls.push(key);
    }
  }
}
