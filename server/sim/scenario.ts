import { z } from "zod";
import { ZAgentStatus, ZSubStatus } from "@/lib/protocol/states";
import type { ChannelHub } from "./channel-hub";
import type { SimEngine } from "./engine";
import type { TCompany, TSimAgent } from "./types";

export const ZScenarioAgent = z.object({
  agent_id: z.string().min(1),
  status: ZAgentStatus,
  customer_number: z.string().min(1).optional(),
  direction: z.enum(["in", "out"]).default("in"),
  sub_status: ZSubStatus.optional(),
  rest_min: z.number().int().min(1).max(1440).optional(),
});
export type TScenarioAgent = z.infer<typeof ZScenarioAgent>;

export const ZScenarioRequest = z.object({
  company_code: z.string().min(1),
  agents: z.array(ZScenarioAgent).min(1),
});
export type TScenarioRequest = z.infer<typeof ZScenarioRequest>;

export class ScenarioError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Agents the scenario names, all of the company and none held by a real client. */
function scenarioAgents(company: TCompany, request: TScenarioRequest): TSimAgent[] {
  return request.agents.map((spec) => {
    const agent = company.agents.get(spec.agent_id);
    if (!agent) throw new ScenarioError(404, `agent ${spec.agent_id} does not exist`);
    if (agent.driver === "client")
      throw new ScenarioError(409, `agent ${spec.agent_id} is checked in by a client`);
    return agent;
  });
}

/**
 * Puts agents into exact situations at once, through the engine so every push a monitor
 * would see is sent. The agents become test-driven: the traffic model and the ACD leave
 * them alone until `POST /control/release`.
 */
export function applyScenario(
  engine: SimEngine,
  hub: ChannelHub,
  company: TCompany,
  request: TScenarioRequest,
): TSimAgent[] {
  const agents = scenarioAgents(company, request);
  request.agents.forEach((spec, i) => {
    const agent = agents[i];
    if (agent) place(engine, hub, agent, spec);
  });
  return agents;
}

function place(engine: SimEngine, hub: ChannelHub, agent: TSimAgent, spec: TScenarioAgent): void {
  hub.takeForTest(agent);
  engine.dropAgentFromCalls(agent, "failed");
  agent.callStopStatus = undefined;
  switch (spec.status) {
    case "OFFLINE":
    case "FREE":
    case "BUSY":
      engine.setStatus(agent, spec.status, "scenario");
      return;
    case "REST":
      if (agent.status === "REST") engine.setStatus(agent, "FREE", "scenario");
      engine.rest(agent, spec.rest_min, "scenario");
      return;
    case "ARRANGE":
      engine.arrange(agent, "FREE", "scenario");
      return;
    case "RINGING":
    case "CALLING": {
      engine.setStatus(agent, "FREE", "scenario");
      const number =
        spec.customer_number ?? `139${agent.agentId.replace(/\D/g, "").slice(-8).padStart(8, "0")}`;
      const call =
        spec.direction === "out"
          ? engine.dialHeld(agent, number)
          : engine.inbound({
              companyCode: agent.companyCode,
              customerNumber: number,
              skillId: agent.skills[0],
              target: agent,
              autoAnswer: false,
            });
      if (spec.status === "CALLING") engine.answerAll(call);
      if (spec.status === "CALLING" && spec.sub_status) engine.setSubStatus(agent, spec.sub_status);
      return;
    }
  }
}
