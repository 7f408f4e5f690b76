import { ResultCode } from "@/lib/protocol/codes";
import type { TSupervisorOpRequest } from "@/lib/protocol/requests";
import {
  failure,
  lookupAgent,
  ok,
  type THandlerContext,
  type THandlerResult,
} from "./handler-context";

export type TSupervisorOp =
  "interrupt_call" | "substitute" | "eavesdrop" | "whisper" | "force_call";

/**
 * §6: the sender must be a supervisor (the simulator checks the role the real server does
 * not), checked in on this channel, FREE or BUSY with its extension ONLINE; the target must
 * be CALLING (interrupt_call also takes RINGING).
 */
export function handleSupervisorOp(
  ctx: THandlerContext,
  op: TSupervisorOp,
  request: TSupervisorOpRequest,
): THandlerResult {
  const self = ctx.self;
  if (self.role !== "supervisor")
    return failure(ResultCode.AGENT_NOT_VALID, `${op} is for supervisors`);
  if ((self.status !== "FREE" && self.status !== "BUSY") || self.extStatus !== "ONLINE") {
    return failure(
      ResultCode.BUSINESS_FAILURE,
      `supervisor must be FREE or BUSY, is ${self.status}`,
    );
  }
  const found = lookupAgent(ctx.company, request.operated_agent_id, request.operated_ext_id);
  if (!found.ok) return found.result;
  const target = found.value;
  if (target === self) return failure(ResultCode.BUSINESS_FAILURE, "cannot operate on yourself");
  const inCall =
    target.status === "CALLING" || (op === "interrupt_call" && target.status === "RINGING");
  if (!inCall || !target.callUuid)
    return failure(
      ResultCode.AGENT_NOT_IN_CALL,
      `${target.agentId} is ${target.status}, not in a call`,
    );
  if (op === "interrupt_call") {
    ctx.engine.interrupt(self, target);
    return ok();
  }
  return ok({ uuid: ctx.engine.superviseCall(self, target, op) });
}
