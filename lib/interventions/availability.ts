import type { TAgentStatus } from "@/lib/protocol/states";
import type { TInterventionView, TOperation, TSeatView } from "./types";

/** Who is signed in, as far as interventions care. */
export interface TPrincipal {
  kind: "user" | "display";
  role: "viewer" | "supervisor" | "admin" | "display";
  companies: "all" | readonly string[];
}

/** Supervisors and admins intervene; viewers and wall displays never see the controls. */
export function mayIntervene(principal: TPrincipal): boolean {
  return (
    principal.kind === "user" && (principal.role === "supervisor" || principal.role === "admin")
  );
}

export interface TAvailabilityInput {
  operation: TOperation;
  principal: TPrincipal;
  companyCode: string;
  /** The principal's seat; undefined until it is known. */
  seat: Pick<TSeatView, "state" | "agentId" | "agentStatus"> | undefined;
  /** The target agent as the floor shows it; undefined when it is not on the floor. */
  target:
    | { agentId: string; status: TAgentStatus; uuid?: string | undefined; stale: boolean }
    | undefined;
  /** The call the button is about (the target's call when not given). */
  callUuid?: string | undefined;
  /** The floor is live (connected, synced, link up, heartbeats arriving). */
  live: boolean;
  /** The intervention in progress on that call, if any. */
  active: TInterventionView | undefined;
}

/** Why a button is disabled; each has a message at `interventions.unavailable.<reason>`. */
export const UNAVAILABLE_REASONS = [
  "role",
  "company",
  "unknown_agent",
  "in_progress",
  "not_in_call",
  "not_answered",
  "other_call",
  "not_live",
  "self",
  "seat_unknown",
  "seat_unlinked",
  "seat_linking",
  "seat_not_ready",
] as const;
export type TUnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

export type TAvailability =
  | { enabled: true }
  | {
      enabled: false;
      reason: TUnavailableReason;
      /** Values of the reason's message ({name}, {operation}, {stage}, {status}). */
      values?: Record<string, string>;
    };

const SEAT_READY: readonly string[] = ["FREE", "BUSY"];

/**
 * Whether an intervention button can work now, or why not. The checks follow what the CTI
 * requires (protocol.md §6) and what the server refuses, in the order a supervisor can act on:
 * what the target is doing first (nothing to do about it), then the supervisor's own seat.
 */
export function interventionAvailability(input: TAvailabilityInput): TAvailability {
  const { operation, principal, target, seat, active } = input;
  if (!mayIntervene(principal)) return { enabled: false, reason: "role" };
  if (principal.companies !== "all" && !principal.companies.includes(input.companyCode))
    return { enabled: false, reason: "company" };
  if (!target) return { enabled: false, reason: "unknown_agent" };
  if (active) {
    return {
      enabled: false,
      reason: "in_progress",
      values: { name: active.actorName, operation: active.operation, stage: active.stage },
    };
  }
  const ringing = target.status === "RINGING";
  if (target.status !== "CALLING" && !ringing) return { enabled: false, reason: "not_in_call" };
  if (ringing && operation === "substitute") return { enabled: false, reason: "not_answered" };
  if (!target.uuid) return { enabled: false, reason: "not_in_call" };
  if (input.callUuid !== undefined && input.callUuid !== target.uuid)
    return { enabled: false, reason: "other_call" };
  if (!input.live || target.stale) return { enabled: false, reason: "not_live" };
  if (seat?.agentId !== undefined && seat.agentId === target.agentId)
    return { enabled: false, reason: "self" };
  if (!seat) return { enabled: false, reason: "seat_unknown" };
  if (seat.state === "linking") return { enabled: false, reason: "seat_linking" };
  if (seat.state !== "linked") return { enabled: false, reason: "seat_unlinked" };
  if (!seat.agentStatus || !SEAT_READY.includes(seat.agentStatus)) {
    return {
      enabled: false,
      reason: "seat_not_ready",
      values: { status: seat.agentStatus ?? "" },
    };
  }
  return { enabled: true };
}
