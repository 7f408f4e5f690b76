import { ResultCode } from "@/lib/protocol/codes";
import type {
  TCallRequest,
  TConsultRequest,
  TThreeWayRequest,
  TTransRequest,
} from "@/lib/protocol/requests";
import {
  failure,
  internalTarget,
  lookupOwnCall,
  ok,
  type THandlerContext,
  type THandlerResult,
  type TLookup,
} from "./handler-context";
import { isInCall } from "./state-machine";
import type { TSimAgent } from "./types";

/** An agent another agent wants on the phone must exist, not be the sender, and be FREE. */
function freeColleague(ctx: THandlerContext, number: string): TLookup<TSimAgent | undefined> {
  const target = internalTarget(ctx.company, number);
  if (!target.ok || !target.value) return target;
  if (target.value === ctx.self)
    return { ok: false, result: failure(ResultCode.BUSINESS_FAILURE, "cannot call yourself") };
  if (target.value.status !== "FREE") {
    return {
      ok: false,
      result: failure(ResultCode.BUSINESS_FAILURE, `${number} is ${target.value.status}`),
    };
  }
  return target;
}

export function handleCall(ctx: THandlerContext, request: TCallRequest): THandlerResult {
  if (isInCall(ctx.self.status))
    return failure(ResultCode.BUSINESS_FAILURE, `agent is already ${ctx.self.status}`);
  if (ctx.engine.calls.size >= ctx.maxConcurrentCalls) {
    return failure(ResultCode.CONCURRENCY_LIMIT, "concurrent call limit reached");
  }
  const target = internalTarget(ctx.company, request.callee_number);
  if (!target.ok) return target.result;
  if (target.value === ctx.self)
    return failure(ResultCode.BUSINESS_FAILURE, "cannot call yourself");
  // A busy internal callee is reported later, as a failed CALL callback, like a real switch.
  const call = ctx.engine.dial(ctx.self, request.callee_number, target.value);
  return ok({ uuid: call.uuid });
}

export function handleHangup(ctx: THandlerContext, uuid: string): THandlerResult {
  const call = lookupOwnCall(ctx, uuid);
  if (!call.ok) return call.result;
  ctx.engine.hangupByAgent(ctx.self, call.value);
  return ok();
}

/** Consult and its cancel: the customer waits on hold while the agent talks to someone else. */
export function handleConsult(ctx: THandlerContext, request: TConsultRequest): THandlerResult {
  const call = lookupOwnCall(ctx, request.uuid);
  if (!call.ok) return call.result;
  if (request.type === 2) {
    return ctx.engine.cancelConsult(ctx.self)
      ? ok()
      : failure(ResultCode.BUSINESS_FAILURE, "no consult in progress");
  }
  if (ctx.self.status !== "CALLING")
    return failure(ResultCode.AGENT_NOT_IN_CALL, "agent is not talking");
  if (ctx.self.consultUuid)
    return failure(ResultCode.BUSINESS_FAILURE, "a consult is already in progress");
  const number = request.consult_number ?? "";
  const target = freeColleague(ctx, number);
  if (!target.ok) return target.result;
  const consult = ctx.engine.consult(ctx.self, call.value, number, target.value);
  return ok({ consult_uuid: consult.uuid });
}

export function handleTrans(ctx: THandlerContext, request: TTransRequest): THandlerResult {
  const found = lookupOwnCall(ctx, request.uuid);
  if (!found.ok) return found.result;
  const call = found.value;
  if (request.type === 3) {
    return ctx.engine.cancelTransfer(ctx.self, call)
      ? ok()
      : failure(ResultCode.BUSINESS_FAILURE, "no transfer in progress");
  }
  if (ctx.self.status !== "CALLING")
    return failure(ResultCode.AGENT_NOT_IN_CALL, "agent is not talking");
  if (request.type === 2 && ctx.engine.consultToTransfer(ctx.self, call)) return ok();
  const number = request.trans_number ?? "";
  switch (request.trans_type) {
    case 1: {
      const target = freeColleague(ctx, number);
      if (!target.ok) return target.result;
      if (!target.value) return failure(ResultCode.BAD_PARAMETER, "trans_number: not an agent id");
      if (request.type === 2) ctx.engine.attendedTransfer(ctx.self, call, target.value);
      else ctx.engine.blindTransferToAgent(ctx.self, call, target.value);
      return ok();
    }
    case 2:
      if (!ctx.company.skills.some((s) => s.skillId === number)) {
        return failure(ResultCode.BUSINESS_FAILURE, `skill ${number} does not exist`);
      }
      ctx.engine.transferToSkill(ctx.self, call, number);
      return ok();
    default:
      ctx.engine.transferAway(ctx.self, call);
      return ok();
  }
}

export function handleThreeWay(ctx: THandlerContext, request: TThreeWayRequest): THandlerResult {
  const call = lookupOwnCall(ctx, request.uuid);
  if (!call.ok) return call.result;
  if (ctx.self.status !== "CALLING")
    return failure(ResultCode.AGENT_NOT_IN_CALL, "agent is not talking");
  const target = freeColleague(ctx, request.three_way_number);
  if (!target.ok) return target.result;
  ctx.engine.threeWay(ctx.self, call.value, request.three_way_number, target.value);
  return ok({ in_call_numbers: [...ctx.self.inCallNumbers, request.three_way_number] });
}
