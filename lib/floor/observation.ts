import type { TAgentStatus } from "@/lib/protocol/states";
import type { TObservation } from "./reducer";
import type { TSkill } from "./types";

/** One agent of the roster (get-agent-list), before the CTI has said anything else about it. */
export interface TRosterEntry {
  agentId: string;
  name: string;
  extId: string;
  skills: string[];
  status?: TAgentStatus;
}

export type TObserveResult = "changed" | "confirmed" | "outdated" | "unknown";

/**
 * Where the CTI layer delivers what it learns of one company (roster, poll answers, pushes).
 * The floor store implements it; the CTI layer knows only this shape, never the store.
 */
export interface TObservationSink {
  readonly hasRoster: boolean;
  /** The agents to poll, in roster order. */
  agentIds(): string[];
  /** What the poller needs of a known agent: its extension, and when it was last confirmed. */
  agent(agentId: string): { extId: string; confirmedAt: number } | undefined;
  applyRoster(entries: readonly TRosterEntry[], skills: readonly TSkill[], now: number): void;
  observe(observation: TObservation, now: number): TObserveResult;
}
