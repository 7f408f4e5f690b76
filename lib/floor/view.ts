import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import type { TFloorAgent, TFloorCall } from "./types";

export const SORT_KEYS = ["name", "agentId", "status", "timeInState"] as const;
export type TSortKey = (typeof SORT_KEYS)[number];

export interface TFloorFilter {
  /** Empty: every state. */
  states: readonly TAgentStatus[];
  /** Undefined: every skill. */
  skillId?: string;
  search: string;
  sort: TSortKey;
  descending: boolean;
}

export const DEFAULT_FILTER: TFloorFilter = {
  states: [],
  search: "",
  sort: "agentId",
  descending: false,
};

const STATUS_ORDER = new Map(AGENT_STATUSES.map((s, i) => [s, i]));
/** One collator for names: localeCompare builds one per call, too slow for thousands of rows. */
const NAME_COLLATOR = new Intl.Collator("zh-CN");

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchesSearch(agent: TFloorAgent, needle: string): boolean {
  if (needle === "") return true;
  return (
    agent.name.toLowerCase().includes(needle) ||
    agent.agentId.toLowerCase().includes(needle) ||
    agent.extId.toLowerCase().includes(needle) ||
    agent.numbers.some((n) => n.toLowerCase().includes(needle))
  );
}

/** The agents a filter keeps, in its order (ties broken by agent id, so rows never jump). */
export function filterAndSort(agents: readonly TFloorAgent[], filter: TFloorFilter): TFloorAgent[] {
  const needle = filter.search.trim().toLowerCase();
  const states = new Set(filter.states);
  const kept = agents.filter(
    (a) =>
      (states.size === 0 || states.has(a.status)) &&
      (filter.skillId === undefined || a.skills.includes(filter.skillId)) &&
      matchesSearch(a, needle),
  );
  const direction = filter.descending ? -1 : 1;
  const compare = (a: TFloorAgent, b: TFloorAgent): number => {
    switch (filter.sort) {
      case "name":
        return NAME_COLLATOR.compare(a.name, b.name);
      case "status":
        return (STATUS_ORDER.get(a.status) ?? 0) - (STATUS_ORDER.get(b.status) ?? 0);
      case "timeInState":
        // Longest in state first when ascending: the earliest start.
        return a.statusSince - b.statusSince;
      case "agentId":
        return 0;
    }
  };
  return kept.sort(
    (a, b) => direction * compare(a, b) || direction * compareIds(a.agentId, b.agentId),
  );
}

/**
 * Whether the filter's membership or order can change when an agent's live fields (status,
 * time in state, numbers) change. When it cannot, the list only needs recomputing when the
 * roster does (agents added, removed or renamed), not on every status change.
 */
export function dependsOnLiveFields(filter: TFloorFilter): boolean {
  return (
    filter.states.length > 0 ||
    filter.search.trim() !== "" ||
    filter.sort === "status" ||
    filter.sort === "timeInState"
  );
}

/** Same rows in the same order: the grid can keep the previous array (and its memoized render). */
export function sameGridItems(a: readonly TGridItem[], b: readonly TGridItem[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind || x.skillId !== y.skillId) return false;
    if (
      x.kind === "group"
        ? y.kind !== "group" || x.count !== y.count
        : y.kind !== "agent" || x.agentId !== y.agentId
    )
      return false;
  }
  return true;
}

export type TGridItem =
  | { kind: "group"; skillId: string; count: number }
  | { kind: "agent"; agentId: string; skillId?: string };

/** Rows for the grid: flat, or under a header per skill (an agent in two skills appears twice). */
export function gridItems(
  agents: readonly TFloorAgent[],
  groupBySkill: boolean,
  skillOrder: readonly string[],
): TGridItem[] {
  if (!groupBySkill) return agents.map((a) => ({ kind: "agent", agentId: a.agentId }));
  const groups = new Map<string, string[]>(skillOrder.map((id) => [id, []]));
  for (const agent of agents) {
    for (const skillId of agent.skills) {
      const list = groups.get(skillId) ?? [];
      list.push(agent.agentId);
      groups.set(skillId, list);
    }
  }
  const items: TGridItem[] = [];
  for (const [skillId, ids] of groups) {
    if (ids.length === 0) continue;
    items.push({ kind: "group", skillId, count: ids.length });
    for (const agentId of ids) items.push({ kind: "agent", agentId, skillId });
  }
  return items;
}

export interface TFloorSummary {
  byStatus: Record<TAgentStatus, number>;
  ringingCalls: number;
  talkingCalls: number;
  /** Start of the longest call in progress (answered), if any. */
  longestCallSince?: number;
  /** Start of the longest ring among ringing agents, if any. */
  longestRingSince?: number;
  stale: number;
}

export function sameSummary(a: TFloorSummary, b: TFloorSummary): boolean {
  return (
    a.ringingCalls === b.ringingCalls &&
    a.talkingCalls === b.talkingCalls &&
    a.stale === b.stale &&
    a.longestCallSince === b.longestCallSince &&
    a.longestRingSince === b.longestRingSince &&
    AGENT_STATUSES.every((s) => a.byStatus[s] === b.byStatus[s])
  );
}

/**
 * Keeps the previous value while a new one is equal to it, so memoized components given it do
 * not re-render. One per view (it remembers the last value it returned).
 */
export class Keeper<T> {
  private last: T | undefined;
  constructor(private readonly same: (a: T, b: T) => boolean) {}

  keep(next: T): T {
    if (this.last !== undefined && this.same(this.last, next)) return this.last;
    this.last = next;
    return next;
  }
}

export function summarize(
  agents: readonly TFloorAgent[],
  calls: readonly TFloorCall[],
): TFloorSummary {
  const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<
    TAgentStatus,
    number
  >;
  let stale = 0;
  let longestRingSince: number | undefined;
  for (const agent of agents) {
    byStatus[agent.status] += 1;
    if (agent.stale) stale += 1;
    if (agent.status === "RINGING")
      longestRingSince = Math.min(longestRingSince ?? Infinity, agent.statusSince);
  }
  let ringingCalls = 0;
  let talkingCalls = 0;
  let longestCallSince: number | undefined;
  for (const call of calls) {
    if (call.state === "ringing") {
      ringingCalls += 1;
    } else {
      talkingCalls += 1;
      longestCallSince = Math.min(longestCallSince ?? Infinity, call.answeredAt ?? call.startedAt);
    }
  }
  const summary: TFloorSummary = { byStatus, ringingCalls, talkingCalls, stale };
  if (longestCallSince !== undefined) summary.longestCallSince = longestCallSince;
  if (longestRingSince !== undefined) summary.longestRingSince = longestRingSince;
  return summary;
}
