import type { TCall, TSimAgent } from "./types";

/** Ground truth as the control API shows it (snake_case like the wire). */
export function agentSnapshot(agent: TSimAgent) {
  return {
    agent_id: agent.agentId,
    ext_id: agent.extId,
    agent_name: agent.name,
    skills: agent.skills,
    role: agent.role,
    status: agent.status,
    sub_status: agent.subStatus ?? null,
    status_time: agent.statusTime,
    ext_status: agent.extStatus,
    uuid: agent.legUuid ?? null,
    call_uuid: agent.callUuid ?? null,
    consult_uuid: agent.consultUuid ?? null,
    in_call_numbers: agent.inCallNumbers,
    call_stop_status: agent.callStopStatus ?? null,
    driver: agent.driver,
  };
}

export function callSnapshot(call: TCall) {
  return {
    uuid: call.uuid,
    company_code: call.companyCode,
    direction: call.direction,
    state: call.state,
    customer_number: call.customerNumber ?? null,
    skill_id: call.skillId ?? null,
    parent_uuid: call.parentUuid ?? null,
    created_at: call.createdAt,
    answered_at: call.answeredAt ?? null,
    legs: call.legs.map((leg) => ({
      agent_id: leg.agentId,
      uuid: leg.uuid,
      purpose: leg.purpose,
      answered: leg.answered,
      monitor: leg.monitor,
    })),
    externals: call.externals,
    pending_externals: [...call.pendingExternals.keys()],
  };
}
