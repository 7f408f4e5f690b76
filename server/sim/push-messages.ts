import { randomUUID } from "node:crypto";
import type { WireRecord } from "@/lib/protocol/normalize";
import type { TAgentStatus, TCallbackAction, TCallbackPhase } from "@/lib/protocol/states";
import type { TSimAgent } from "./types";

/**
 * Pushes of protocol.md §4. The real server sends agent_change as msg_type "change_status"
 * with a req_id nobody sent, so clients can tell pushes from responses.
 */
export function agentChangePush(
  agent: TSimAgent,
  lastStatus: TAgentStatus,
  now: number,
  reason: string | undefined,
): WireRecord {
  const push: WireRecord = {
    msg_type: "change_status",
    code: "0",
    msg: "agent_change",
    req_id: randomUUID(),
    company_code: agent.companyCode,
    agent_id: agent.agentId,
    ext_id: agent.extId,
    agent_status: agent.status,
    last_agent_status: lastStatus,
    in_call_numbers: agent.inCallNumbers,
    timestamp: now,
  };
  if (agent.subStatus) push.sub_agent_status = agent.subStatus;
  if (agent.legUuid) push.uuid = agent.legUuid;
  if (reason) push.reason = reason;
  return push;
}

export function callinPush(input: {
  agent: TSimAgent;
  uuid: string;
  callerNumber: string;
  callinChannel: string | undefined;
}): WireRecord {
  const push: WireRecord = {
    msg_type: "callin",
    code: "0",
    msg: "callin",
    company_code: input.agent.companyCode,
    agent_id: input.agent.agentId,
    uuid: input.uuid,
    caller_number: input.callerNumber,
    callee_number: input.agent.extId,
    is_video: "0",
  };
  if (input.callinChannel) push.callin_channel = input.callinChannel;
  return push;
}

export function callbackPush(input: {
  agent: TSimAgent;
  action: TCallbackAction;
  phase: TCallbackPhase;
  success: boolean;
  msg: string;
  uuid: string | undefined;
  peerUuid?: string;
  now: number;
}): WireRecord {
  const push: WireRecord = {
    msg_type: "callback",
    code: "0",
    company_code: input.agent.companyCode,
    agent_id: input.agent.agentId,
    action: input.action,
    phase: input.phase,
    success: input.success,
    msg: input.msg,
    in_call_numbers: input.agent.inCallNumbers,
    curren_time: input.now,
  };
  if (input.uuid) push.uuid = input.uuid;
  if (input.peerUuid) push.peer_uuid = input.peerUuid;
  return push;
}

export function kickOffPush(agent: TSimAgent): WireRecord {
  return {
    msg_type: "kick_off",
    code: "0",
    msg: "agent checked in elsewhere",
    company_code: agent.companyCode,
    agent_id: agent.agentId,
  };
}

export function connectPush(): WireRecord {
  return { msg_type: "connect", code: "0", msg: "connected" };
}
