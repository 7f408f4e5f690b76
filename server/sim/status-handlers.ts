import { randomUUID } from "node:crypto";
import { ResultCode } from "@/lib/protocol/codes";
import type {
  TChangeStatusRequest,
  TCheckinRequest,
  TGetStatusRequest,
} from "@/lib/protocol/requests";
import type { WireRecord } from "@/lib/protocol/normalize";
import {
  failure,
  lookupAgent,
  ok,
  type THandlerContext,
  type THandlerResult,
} from "./handler-context";
import { decideStatusAction, isForceAction, isInCall } from "./state-machine";
import type { TChannel, TCompany, TSimAgent } from "./types";

/** checkin runs before the gate, so it gets the channel rather than a checked-in agent. */
export function handleCheckin(
  ctx: Omit<THandlerContext, "self">,
  request: TCheckinRequest,
): THandlerResult {
  if (isMonitorChannel(ctx.channel))
    return failure(ResultCode.AGENT_NOT_VALID, "a monitor channel does not check in");
  if (ctx.channel.kind === "ws" && request.agent_id !== ctx.channel.agentId) {
    return failure(ResultCode.AGENT_NOT_VALID, "agent_id differs from the channel's handshake");
  }
  const found = lookupAgent(ctx.company, request.agent_id, undefined);
  if (!found.ok) return found.result;
  const agent = found.value;
  if (request.agent_pwd !== agent.password)
    return failure(ResultCode.WRONG_CREDENTIALS, "wrong account or password");
  if (request.ext_id !== undefined && request.ext_id !== agent.extId) {
    return failure(
      ResultCode.EXTENSION_MISMATCH,
      `extension ${request.ext_id} is not ${agent.agentId}'s`,
    );
  }
  ctx.hub.bind(agent, ctx.channel);
  ctx.engine.checkin(agent, request.start_status);
  return ok({
    agent_id: agent.agentId,
    ext_id: agent.extId,
    login_type: "2",
    pbx: "127.0.0.1",
    ext_pwd: agent.password,
    token: randomUUID(),
    agent_status: agent.status,
  });
}

export function handleCheckout(ctx: THandlerContext): THandlerResult {
  if (isInCall(ctx.self.status)) {
    return failure(
      ResultCode.BUSINESS_FAILURE,
      `agent is ${ctx.self.status}; use CHECKOUT_AFTER_CALL_STOP`,
    );
  }
  ctx.engine.checkout(ctx.self, "checkout");
  ctx.hub.unbind(ctx.self);
  return ok();
}

export function isMonitorChannel(channel: TChannel): boolean {
  return channel.os.toLowerCase() === "monitor";
}

/** The hot path of the dashboard's poller: no allocation beyond the response itself. */
export function getStatusResult(company: TCompany, request: TGetStatusRequest): THandlerResult {
  const found = lookupAgent(company, request.agent_id, request.ext_id);
  if (!found.ok) return found.result;
  return ok(statusExtra(found.value));
}

export function statusExtra(agent: TSimAgent): WireRecord {
  const extra: WireRecord = {
    agent_id: agent.agentId,
    ext_id: agent.extId,
    status: agent.status,
    in_call_numbers: agent.inCallNumbers,
    status_time: agent.statusTime,
    agent_name: agent.name,
  };
  if (agent.subStatus) extra.sub_status = agent.subStatus;
  if (agent.callStopStatus) extra.call_stop_status = agent.callStopStatus;
  if (agent.legUuid) extra.uuid = agent.legUuid;
  return extra;
}

/** change_status, including the supervisor's FORCE_* on `operated_agent_id`. */
export function handleChangeStatus(
  ctx: THandlerContext,
  request: TChangeStatusRequest,
): THandlerResult {
  let target = ctx.self;
  if (isForceAction(request.action)) {
    if (ctx.self.role !== "supervisor")
      return failure(ResultCode.AGENT_NOT_VALID, `${request.action} is for supervisors`);
    if (request.operated_agent_id === undefined)
      return failure(ResultCode.BAD_PARAMETER, "operated_agent_id: required");
    const found = lookupAgent(ctx.company, request.operated_agent_id, request.operated_ext_id);
    if (!found.ok) return found.result;
    target = found.value;
  }
  const last = target.status;
  const decision = decideStatusAction(target.status, request.action);
  if (!decision.ok) return failure(decision.code, decision.msg);
  if (decision.kind === "store") {
    target.callStopStatus = decision.action;
  } else if (decision.status === "OFFLINE") {
    ctx.engine.checkout(target, request.action);
    ctx.hub.unbind(target);
  } else if (decision.status === "REST") {
    ctx.engine.rest(target, request.rest_min, request.action);
  } else {
    ctx.engine.setStatus(target, decision.status, request.action);
  }
  return ok({
    action: request.action,
    operated_agent_id: target === ctx.self ? undefined : target.agentId,
    last_agent_status: last,
    agent_status: target.status,
  });
}
