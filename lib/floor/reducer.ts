import type { TAgentStatus, TSubStatus } from "@/lib/protocol/states";
import type { TCallState, TFloorAgent, TFloorCall } from "./types";

/** What one poll answer or push says about one agent, already validated. */
export interface TObservation {
  agentId: string;
  status: TAgentStatus;
  subStatus?: TSubStatus;
  numbers: string[];
  uuid?: string;
  /** When the CTI says the current status began (get_status `status_time`). */
  statusTime?: number;
  /** When the CTI says this change happened (push `timestamp`): the status start if the status changed. */
  changedAt?: number;
  /** Local epoch ms the observation is valid at: a poll's send time, a push's receipt. */
  observedAt: number;
  via: "poll" | "push";
  name?: string;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * True when two agent records differ in what a viewer sees. The confirmation time and source
 * are not changes: every poll answer would otherwise be a delta.
 */
export function agentContentChanged(a: TFloorAgent, b: TFloorAgent): boolean {
  return (
    a.status !== b.status ||
    a.subStatus !== b.subStatus ||
    a.statusSince !== b.statusSince ||
    a.uuid !== b.uuid ||
    a.stale !== b.stale ||
    a.name !== b.name ||
    a.extId !== b.extId ||
    !sameList(a.numbers, b.numbers) ||
    !sameList(a.skills, b.skills)
  );
}

function inCall(status: TAgentStatus): boolean {
  return status === "RINGING" || status === "CALLING";
}

/**
 * The agent after an observation. The status start comes from the CTI when it says; otherwise
 * it moves only when the status itself changes. Never in the future of `now`.
 */
export function applyObservation(prev: TFloorAgent, obs: TObservation, now: number): TFloorAgent {
  const statusChanged = obs.status !== prev.status;
  let statusSince = prev.statusSince;
  if (obs.statusTime !== undefined) statusSince = obs.statusTime;
  else if (statusChanged) statusSince = obs.changedAt ?? obs.observedAt;
  const call = inCall(obs.status);
  // Every key spelt out in one order (no spread of `prev`): thousands of poll answers a second
  // go through here, and one object shape keeps this path monomorphic (it was the costliest
  // function of the poll-answer path in the bench:floor profile as a spread).
  return {
    agentId: prev.agentId,
    name: obs.name ?? prev.name,
    extId: prev.extId,
    skills: prev.skills,
    status: obs.status,
    subStatus: obs.status === "CALLING" ? obs.subStatus : undefined,
    statusSince: Math.min(statusSince, now),
    uuid: call ? obs.uuid : undefined,
    numbers: call ? obs.numbers : prev.numbers.length === 0 ? prev.numbers : [],
    confirmedAt: Math.max(prev.confirmedAt, Math.min(obs.observedAt, now)),
    stale: false,
    via: obs.via,
  };
}

/**
 * A poll answer may describe the agent from before a push we already applied (the request left
 * before the push arrived): such an answer is older than what we know and is ignored.
 */
export function isOutdated(obs: TObservation, lastPushAt: number | undefined): boolean {
  return obs.via === "poll" && lastPushAt !== undefined && obs.observedAt < lastPushAt;
}

/** The call an agent is on, keyed by its leg uuid (or by the agent when the CTI gave none). */
export function callKeyOf(agent: TFloorAgent): string | undefined {
  if (!inCall(agent.status)) return undefined;
  return agent.uuid ?? `agent:${agent.agentId}`;
}

function callState(members: readonly TFloorAgent[]): TCallState {
  const talking = members.filter((m) => m.status === "CALLING");
  if (talking.length === 0) return "ringing";
  const subs = new Set(talking.map((m) => m.subStatus));
  if (subs.has("THREE_WAY")) return "three_way";
  if (subs.has("CONSULT")) return "consult";
  if (subs.has("HOLD")) return "hold";
  return "talking";
}

/**
 * The call carried by `members` (agents sharing one call key), or undefined once none is left.
 * Its customer number is the first number that is none of the company's agent and extension ids
 * (`knownIds`, from the roster): a customer's number can take any shape, an id's included.
 */
export function deriveCall(
  key: string,
  members: readonly TFloorAgent[],
  prev: TFloorCall | undefined,
  knownIds: ReadonlySet<string>,
): TFloorCall | undefined {
  if (members.length === 0) return undefined;
  const sorted = [...members].sort((a, b) => a.agentId.localeCompare(b.agentId));
  const state = callState(sorted);
  const firstSeen = Math.min(...sorted.map((m) => m.statusSince));
  const startedAt = prev ? Math.min(prev.startedAt, firstSeen) : firstSeen;
  const talkingSince = sorted.filter((m) => m.status === "CALLING").map((m) => m.statusSince);
  const answeredAt =
    prev?.answeredAt ?? (talkingSince.length > 0 ? Math.min(...talkingSince) : undefined);
  const customerNumber = sorted.flatMap((m) => m.numbers).find((n) => !knownIds.has(n));
  const call: TFloorCall = { uuid: key, agentIds: sorted.map((m) => m.agentId), state, startedAt };
  if (answeredAt !== undefined) call.answeredAt = answeredAt;
  if (customerNumber !== undefined) call.customerNumber = customerNumber;
  return call;
}

export function callChanged(a: TFloorCall | undefined, b: TFloorCall | undefined): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return (
    a.state !== b.state ||
    a.startedAt !== b.startedAt ||
    a.answeredAt !== b.answeredAt ||
    a.customerNumber !== b.customerNumber ||
    !sameList(a.agentIds, b.agentIds)
  );
}

/** An agent first seen in the roster, before the CTI has said anything about it. */
export function rosterAgent(input: {
  agentId: string;
  name: string;
  extId: string;
  skills: string[];
  status: TAgentStatus;
  now: number;
}): TFloorAgent {
  return {
    agentId: input.agentId,
    name: input.name,
    extId: input.extId,
    skills: input.skills,
    status: input.status,
    statusSince: input.now,
    numbers: [],
    confirmedAt: input.now,
    stale: false,
    via: "roster",
  };
}
