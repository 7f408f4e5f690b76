import { ResultCode } from "@/lib/protocol/codes";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import {
  describeIssues,
  isRequestType,
  REQUEST_SCHEMAS,
  ZGetStatusRequest,
  ZRequestEnvelope,
  type TRequestType,
} from "@/lib/protocol/requests";
import {
  handleCall,
  handleConsult,
  handleHangup,
  handleThreeWay,
  handleTrans,
} from "./call-handlers";
import type { ChannelHub } from "./channel-hub";
import type { SimEngine } from "./engine";
import { failure, ok, type THandlerContext, type THandlerResult } from "./handler-context";
import type { SimStats } from "./stats";
import {
  getStatusResult,
  handleChangeStatus,
  handleCheckin,
  handleCheckout,
  isMonitorChannel,
} from "./status-handlers";
import { handleSupervisorOp } from "./supervisor-handlers";
import type { TChannel } from "./types";

/** A test-injected answer for the next requests of one type (`POST /control/faults`). */
export interface TFault {
  code: ResultCode;
  msg: string;
  remaining: number;
  /** No answer at all, as a CTI that dropped the request. */
  silent: boolean;
}

export class RequestRouter {
  readonly faults = new Map<string, TFault>();

  constructor(
    private readonly engine: SimEngine,
    private readonly hub: ChannelHub,
    private readonly stats: SimStats,
    private readonly maxConcurrentCalls: number,
  ) {}

  /** Answers one normalized request frame; the response envelope of §3 (none for a silent fault). */
  handle(channel: TChannel, frame: WireRecord): WireRecord | undefined {
    const envelope = ZRequestEnvelope.safeParse(frame);
    if (!envelope.success) {
      return this.respond(
        frame,
        undefined,
        failure(ResultCode.BAD_PARAMETER, describeIssues(envelope.error, frame)),
      );
    }
    const msgType = envelope.data.msg_type;
    if (channel.kind === "ws") this.stats.countRequest(msgType);
    else this.stats.modelRequests++;
    let result: THandlerResult;
    try {
      result = this.dispatch(channel, frame, envelope.data);
    } catch (error) {
      result = failure(
        ResultCode.SYSTEM_ERROR,
        error instanceof Error ? error.message : "system error",
      );
    }
    if (result.silent) return undefined;
    return this.respond(
      frame,
      msgType === "ping" && result.code === ResultCode.OK ? "pong" : msgType,
      result,
    );
  }

  private respond(
    frame: WireRecord,
    msgType: string | undefined,
    result: THandlerResult,
  ): WireRecord {
    this.stats.countResponse(result.code);
    const response: WireRecord = {
      req_id: readString(frame, "req_id"),
      company_code: readString(frame, "company_code"),
      msg_type: msgType ?? readString(frame, "msg_type"),
      code: result.code,
      msg: result.msg ?? (result.code === ResultCode.OK ? "success" : "failed"),
    };
    return result.extra ? Object.assign(response, result.extra) : response;
  }

  private dispatch(
    channel: TChannel,
    frame: WireRecord,
    envelope: THandlerContext["envelope"],
  ): THandlerResult {
    const msgType = envelope.msg_type;
    if (!isRequestType(msgType))
      return failure(ResultCode.INVALID_MSG_TYPE, `unknown msg_type ${msgType}`);
    if (envelope.company_code !== channel.companyCode) {
      return failure(
        ResultCode.AGENT_NOT_VALID,
        "company_code differs from the channel's handshake",
      );
    }
    const company = this.engine.companies.get(envelope.company_code);
    if (!company)
      return failure(
        ResultCode.COMPANY_NOT_FOUND,
        `company ${envelope.company_code} does not exist`,
      );
    const fault = channel.kind === "ws" ? this.takeFault(msgType) : undefined;
    if (fault) return fault;
    if (msgType === "ping") return ok(undefined, "pong");
    if (msgType === "get_status") {
      const request = ZGetStatusRequest.safeParse(frame);
      return request.success
        ? getStatusResult(company, request.data)
        : badRequest(request.error, frame);
    }
    if (msgType === "checkin") {
      const request = REQUEST_SCHEMAS.checkin.safeParse(frame);
      if (!request.success) return badRequest(request.error, frame);
      return handleCheckin(
        {
          engine: this.engine,
          hub: this.hub,
          channel,
          company,
          envelope,
          maxConcurrentCalls: this.maxConcurrentCalls,
        },
        request.data,
      );
    }
    if (isMonitorChannel(channel))
      return failure(
        ResultCode.NOT_CHECKED_IN_OR_NO_AGENT,
        "monitor channels send get_status and ping only",
      );
    const self = channel.session;
    if (!self) {
      return channel.kickedOff
        ? failure(ResultCode.CHECKED_IN_ELSEWHERE, "agent checked in elsewhere")
        : failure(ResultCode.NOT_CHECKED_IN_OR_NO_AGENT, "channel is not checked in");
    }
    if (envelope.agent_id !== undefined && envelope.agent_id !== self.agentId) {
      return failure(ResultCode.AGENT_NOT_VALID, "agent_id differs from the checked-in agent");
    }
    if (envelope.ext_id !== undefined && envelope.ext_id !== self.extId) {
      return failure(
        ResultCode.EXTENSION_MISMATCH,
        `extension ${envelope.ext_id} is not ${self.agentId}'s`,
      );
    }
    const ctx: THandlerContext = {
      engine: this.engine,
      hub: this.hub,
      channel,
      company,
      envelope,
      self,
      maxConcurrentCalls: this.maxConcurrentCalls,
    };
    return this.dispatchCheckedIn(ctx, msgType, frame);
  }

  private dispatchCheckedIn(
    ctx: THandlerContext,
    msgType: Exclude<TRequestType, "ping" | "get_status" | "checkin">,
    frame: WireRecord,
  ): THandlerResult {
    switch (msgType) {
      case "checkout":
        return handleCheckout(ctx);
      case "change_status":
        return parsed(REQUEST_SCHEMAS.change_status, frame, (r) => handleChangeStatus(ctx, r));
      case "call":
        return parsed(REQUEST_SCHEMAS.call, frame, (r) => handleCall(ctx, r));
      case "hangup":
        return parsed(REQUEST_SCHEMAS.hangup, frame, (r) => handleHangup(ctx, r.uuid));
      case "trans":
        return parsed(REQUEST_SCHEMAS.trans, frame, (r) => handleTrans(ctx, r));
      case "consult":
        return parsed(REQUEST_SCHEMAS.consult, frame, (r) => handleConsult(ctx, r));
      case "three_way":
        return parsed(REQUEST_SCHEMAS.three_way, frame, (r) => handleThreeWay(ctx, r));
      case "interrupt_call":
      case "substitute":
      case "eavesdrop":
      case "whisper":
      case "force_call":
        return parsed(REQUEST_SCHEMAS[msgType], frame, (r) => handleSupervisorOp(ctx, msgType, r));
    }
  }

  private takeFault(msgType: string): THandlerResult | undefined {
    const fault = this.faults.get(msgType);
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.faults.delete(msgType);
    return { ...failure(fault.code, fault.msg), ...(fault.silent ? { silent: true } : {}) };
  }
}

function badRequest(
  error: Parameters<typeof describeIssues>[0],
  frame: WireRecord,
): THandlerResult {
  return failure(ResultCode.BAD_PARAMETER, describeIssues(error, frame));
}

function parsed<T>(
  schema: {
    safeParse(
      input: unknown,
    ): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] };
  },
  frame: WireRecord,
  run: (request: T) => THandlerResult,
): THandlerResult {
  const request = schema.safeParse(frame);
  return request.success ? run(request.data) : badRequest(request.error, frame);
}
