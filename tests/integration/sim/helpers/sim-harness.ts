import { createSimulator, type Simulator, type TSimOptions } from "@/server/sim/index";
import { SimClient } from "./sim-client";

export const PASSWORD = "Aa123321.";

/** A quiet floor with short timers: nothing moves unless the test moves it. */
export function startQuietSim(options: Partial<TSimOptions> = {}): Promise<Simulator> {
  return createSimulator({
    port: 0,
    controlPort: 0,
    agentsPerCompany: 30,
    callRatePerMinute: 0,
    arrangeSeconds: 0.2,
    restMinuteMs: 200,
    softphoneAnswerMs: 50,
    customerAnswerMs: 50,
    outboundFailRate: 0,
    silenceTimeoutMs: 60_000,
    ...options,
  });
}

export async function control<T = Record<string, unknown>>(
  sim: Simulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${sim.controlPort}${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export interface TAgentTruth {
  agent_id: string;
  status: string;
  sub_status: string | null;
  uuid: string | null;
  call_uuid: string | null;
  in_call_numbers: string[];
  call_stop_status: string | null;
  driver: string | null;
  role: string;
  status_time: number;
  agent_name: string;
}

export async function truth(sim: Simulator, agentId: string): Promise<TAgentTruth> {
  const company = agentId.split("_")[0] ?? "";
  const { body } = await control<{ agents: TAgentTruth[] }>(
    sim,
    "GET",
    `/control/agents?company_code=${company}&agent_id=${agentId}`,
  );
  const agent = body.agents[0];
  if (!agent) throw new Error(`no agent ${agentId}`);
  return agent;
}

/** Waits until the agent's ground truth satisfies `check` (timers, softphones). */
export async function until(
  sim: Simulator,
  agentId: string,
  check: (agent: TAgentTruth) => boolean,
  timeoutMs = 3000,
): Promise<TAgentTruth> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const agent = await truth(sim, agentId);
    if (check(agent)) return agent;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting on ${agentId}: ${JSON.stringify(agent)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function scenario(
  sim: Simulator,
  agents: Record<string, unknown>[],
  company = "90001",
) {
  const result = await control<{ agents: TAgentTruth[] }>(sim, "POST", "/control/scenario", {
    company_code: company,
    agents,
  });
  if (result.status !== 200) throw new Error(`scenario failed: ${JSON.stringify(result.body)}`);
  return result.body.agents;
}

/** Opens an agent channel and checks it in. */
export async function checkedIn(
  sim: Simulator,
  agentId: string,
  startStatus?: string,
): Promise<SimClient> {
  const client = await SimClient.agent(sim.port, agentId);
  const response = await client.request({
    company_code: agentId.split("_")[0],
    msg_type: "checkin",
    agent_id: agentId,
    ext_id: agentId,
    agent_pwd: PASSWORD,
    ...(startStatus ? { start_status: startStatus } : {}),
  });
  if (response.code !== "0") throw new Error(`checkin failed: ${JSON.stringify(response)}`);
  return client;
}

/** A request from an agent channel, filling company, agent and extension. */
export function ask(client: SimClient, agentId: string, frame: Record<string, unknown>) {
  return client.request({
    company_code: agentId.split("_")[0],
    agent_id: agentId,
    ext_id: agentId,
    os: "Windows",
    ...frame,
  });
}
