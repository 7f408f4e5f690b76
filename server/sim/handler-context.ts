import { ResultCode } from "@/lib/protocol/codes";
import { companyOfId } from "@/lib/protocol/handshake";
import type { WireRecord } from "@/lib/protocol/normalize";
import type { TRequestEnvelope } from "@/lib/protocol/requests";
import type { ChannelHub } from "./channel-hub";
import type { SimEngine } from "./engine";
import type { TCall, TChannel, TCompany, TSimAgent } from "./types";

/** What every request handler gets: the floor, who is asking and on which channel. */
export interface THandlerContext {
  engine: SimEngine;
  hub: ChannelHub;
  channel: TChannel;
  company: TCompany;
  envelope: TRequestEnvelope;
  /** The agent checked in on the channel; handlers behind the gate can rely on it. */
  self: TSimAgent;
  maxConcurrentCalls: number;
}

export interface THandlerResult {
  code: ResultCode;
  msg?: string;
  extra?: WireRecord;
  /** Send no answer at all (an injected fault: the client's request times out). */
  silent?: boolean;
}

export function ok(extra?: WireRecord, msg = "success"): THandlerResult {
  return { code: ResultCode.OK, msg, extra };
}

export function failure(code: ResultCode, msg: string): THandlerResult {
  return { code, msg };
}

export type TLookup<T> = { ok: true; value: T } | { ok: false; result: THandlerResult };

/** An agent of the request's company, checked against its extension when one is given. */
export function lookupAgent(
  company: TCompany,
  agentId: string,
  extId: string | undefined,
): TLookup<TSimAgent> {
  if (companyOfId(agentId) !== company.companyCode) {
    return {
      ok: false,
      result: failure(
        ResultCode.AGENT_NOT_VALID,
        `${agentId} is not an agent of company ${company.companyCode}`,
      ),
    };
  }
  const agent = company.agents.get(agentId);
  if (!agent)
    return {
      ok: false,
      result: failure(ResultCode.NOT_CHECKED_IN_OR_NO_AGENT, `agent ${agentId} does not exist`),
    };
  if (extId !== undefined && extId !== agent.extId) {
    return {
      ok: false,
      result: failure(ResultCode.EXTENSION_MISMATCH, `extension ${extId} is not ${agentId}'s`),
    };
  }
  return { ok: true, value: agent };
}

/** The call named by `uuid`, which the sender must be CALLING on. */
export function lookupOwnCall(ctx: THandlerContext, uuid: string): TLookup<TCall> {
  const call = ctx.engine.findCall(uuid);
  if (!call)
    return { ok: false, result: failure(ResultCode.CALL_NOT_FOUND, `call ${uuid} not found`) };
  if (ctx.self.status !== "CALLING" && ctx.self.status !== "RINGING") {
    return { ok: false, result: failure(ResultCode.AGENT_NOT_IN_CALL, "agent is not in a call") };
  }
  const mine = ctx.self.callUuid === call.uuid || ctx.self.consultUuid === call.uuid;
  if (!mine)
    return {
      ok: false,
      result: failure(ResultCode.CALL_NOT_FOUND, `call ${uuid} is not this agent's`),
    };
  return { ok: true, value: call };
}

/** A number on the floor: an agent id of this company, or undefined for an external number. */
export function internalTarget(company: TCompany, number: string): TLookup<TSimAgent | undefined> {
  if (companyOfId(number) === undefined) return { ok: true, value: undefined };
  return lookupAgent(company, number, undefined);
}
