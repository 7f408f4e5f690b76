import { ResultCode } from "@/lib/protocol/codes";
import type { TAgentStatus, TStatusAction } from "@/lib/protocol/states";
import type { TAfterCallAction } from "./types";

/** Pure rules of protocol.md §5: what a status action or a hang-up does to an agent. */

export type TStatusDecision =
  | { ok: true; kind: "set"; status: TAgentStatus }
  | { ok: true; kind: "store"; action: TAfterCallAction }
  | { ok: false; code: ResultCode; msg: string };

const IN_CALL: ReadonlySet<TAgentStatus> = new Set(["RINGING", "CALLING"]);

export function isInCall(status: TAgentStatus): boolean {
  return IN_CALL.has(status);
}

function fail(code: ResultCode, msg: string): TStatusDecision {
  return { ok: false, code, msg };
}

function makeStatus(current: TAgentStatus, target: TAgentStatus): TStatusDecision {
  if (current === target) return fail(ResultCode.BUSINESS_FAILURE, `agent is already ${target}`);
  if (isInCall(current))
    return fail(
      ResultCode.BUSINESS_FAILURE,
      `agent is ${current}; use the *_AFTER_CALL_STOP action`,
    );
  return { ok: true, kind: "set", status: target };
}

/** Decides a `change_status` action against the (target) agent's current status. */
export function decideStatusAction(current: TAgentStatus, action: TStatusAction): TStatusDecision {
  if (current === "OFFLINE")
    return fail(ResultCode.AGENT_NOT_CHECKED_IN, "agent is not checked in");
  switch (action) {
    case "MAKE_FREE":
      return makeStatus(current, "FREE");
    case "MAKE_BUSY":
      return makeStatus(current, "BUSY");
    case "MAKE_REST":
      return makeStatus(current, "REST");
    case "MAKE_FREE_AFTER_CALL_STOP":
    case "MAKE_BUSY_AFTER_CALL_STOP":
    case "MAKE_REST_AFTER_CALL_STOP":
    case "CHECKOUT_AFTER_CALL_STOP":
      return isInCall(current)
        ? { ok: true, kind: "store", action }
        : fail(ResultCode.AGENT_NOT_IN_CALL, "agent is not in a call");
    case "FORCE_MAKE_BUSY":
      return current === "FREE"
        ? { ok: true, kind: "set", status: "BUSY" }
        : fail(ResultCode.BUSINESS_FAILURE, `FORCE_MAKE_BUSY needs FREE, agent is ${current}`);
    case "FORCE_MAKE_FREE":
      return current === "BUSY" || current === "REST" || current === "ARRANGE"
        ? { ok: true, kind: "set", status: "FREE" }
        : fail(
            ResultCode.BUSINESS_FAILURE,
            `FORCE_MAKE_FREE needs BUSY, REST or ARRANGE, agent is ${current}`,
          );
    case "FORCE_CHECKOUT":
      return { ok: true, kind: "set", status: "OFFLINE" };
  }
}

/** Actions only a supervisor may send; they act on `operated_agent_id`. */
export function isForceAction(action: TStatusAction): boolean {
  return action.startsWith("FORCE_");
}

/** How an agent's part in a call ended. */
export type THangupCause =
  /** The agent (or a supervisor's interrupt / take-over) hung up the agent's leg. */
  | "agent"
  /** The other side hung up first. */
  | "remote"
  /** The call never connected. */
  | "failed";

export interface TAfterCall {
  status: TAgentStatus;
  /** ARRANGE runs for the configured seconds, then goes to `returnStatus`. */
  arrange: boolean;
}

const STORED_TARGET: Record<TAfterCallAction, TAgentStatus> = {
  MAKE_FREE_AFTER_CALL_STOP: "FREE",
  MAKE_BUSY_AFTER_CALL_STOP: "BUSY",
  MAKE_REST_AFTER_CALL_STOP: "REST",
  CHECKOUT_AFTER_CALL_STOP: "OFFLINE",
};

/** The hang-up rules of §5, first that applies. */
export function statusAfterCall(input: {
  callStopStatus: TAfterCallAction | undefined;
  cause: THangupCause;
  returnStatus: TAgentStatus;
  arrangeSeconds: number;
}): TAfterCall {
  if (input.callStopStatus) return { status: STORED_TARGET[input.callStopStatus], arrange: false };
  if (input.cause !== "agent") return { status: input.returnStatus, arrange: false };
  if (input.arrangeSeconds > 0) return { status: "ARRANGE", arrange: true };
  return { status: "BUSY", arrange: false };
}

/** The status an agent returns to after a call that starts now. */
export function returnStatusFrom(current: TAgentStatus, pendingReturn: TAgentStatus): TAgentStatus {
  if (current === "FREE" || current === "BUSY" || current === "REST") return current;
  if (current === "ARRANGE") return pendingReturn;
  return "FREE";
}
