import "server-only";
import { parseAgentStatus } from "@/lib/protocol/states";
import { ZAgentListResponse, type TRosterSkill } from "@/lib/protocol/messages";
import type { TSkill } from "@/lib/floor/types";
import type { TRosterEntry } from "@/lib/floor/observation";

export interface TRoster {
  skills: TSkill[];
  agents: TRosterEntry[];
}

export class RosterError extends Error {}

const MAX_PAGES = 1000;

/** `POST /openapi/get-agent-list` once; the per-skill lists of one page. */
async function fetchPage(
  httpBase: string,
  companyCode: string,
  pageNo: number,
  pageSize: number,
  timeoutMs: number,
): Promise<TRosterSkill[]> {
  const response = await fetch(`${httpBase}/openapi/get-agent-list`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ company_code: companyCode, page_no: pageNo, page_size: pageSize }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new RosterError(`get-agent-list HTTP ${response.status}`);
  const parsed = ZAgentListResponse.safeParse(await response.json());
  if (!parsed.success)
    throw new RosterError(
      `get-agent-list: unexpected body (${parsed.error.issues[0]?.message ?? "invalid"})`,
    );
  const body = parsed.data;
  if (Array.isArray(body)) return body;
  if (body.code !== undefined && body.code !== "0")
    throw new RosterError(`get-agent-list code ${body.code}`);
  return body.data ?? [];
}

/**
 * The whole roster of a company: every page of every skill. An agent in several skills is one
 * roster entry carrying all its skill ids; agents of another company are left out.
 */
export async function fetchRoster(
  httpBase: string,
  companyCode: string,
  options: { pageSize?: number; timeoutMs?: number } = {},
): Promise<TRoster> {
  const pageSize = options.pageSize ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const skills = new Map<string, string>();
  const agents = new Map<string, TRosterEntry>();
  for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
    const page = await fetchPage(httpBase, companyCode, pageNo, pageSize, timeoutMs);
    let more = false;
    for (const skill of page) {
      if (skill.skill_id !== undefined)
        skills.set(skill.skill_id, skill.skill_name ?? skill.skill_id);
      for (const item of skill.agents.list) {
        if (!item.agent_id.startsWith(`${companyCode}_`)) continue;
        const entry = agents.get(item.agent_id) ?? {
          agentId: item.agent_id,
          name: item.agent_name ?? item.agent_id,
          extId: item.ext_id ?? item.agent_id,
          skills: [],
          status: parseAgentStatus(item.agent_status),
        };
        if (skill.skill_id !== undefined && !entry.skills.includes(skill.skill_id))
          entry.skills.push(skill.skill_id);
        agents.set(item.agent_id, entry);
      }
      const totalPages = skill.agents.total_page ?? 1;
      if (pageNo < totalPages && skill.agents.list.length > 0) more = true;
    }
    if (!more) break;
  }
  return {
    skills: [...skills].map(([skillId, skillName]) => ({ skillId, skillName })),
    agents: [...agents.values()].sort((a, b) => a.agentId.localeCompare(b.agentId)),
  };
}
