import { z } from "zod";
import { ResultCode } from "@/lib/protocol/codes";
import { normalizeParsed, type WireRecord } from "@/lib/protocol/normalize";
import { describeIssues, ZWireInt, ZWireString } from "@/lib/protocol/requests";
import type { SimEngine } from "./engine";

/** `POST /openapi/get-agent-list` body (protocol.md §1). */
export const ZRosterRequest = z.object({
  company_code: ZWireString,
  skill_id: ZWireString.optional(),
  agent_id: ZWireString.optional(),
  keyword: ZWireString.optional(),
  page_no: ZWireInt.refine((n) => n >= 1, { message: "from 1" }),
  page_size: ZWireInt.refine((n) => n >= 1 && n <= 1000, { message: "1 to 1000" }),
});
export type TRosterRequest = z.infer<typeof ZRosterRequest>;

/** The roster answer: one page per skill, `code` "0" or a §7 code. */
export function rosterResponse(engine: SimEngine, body: unknown): WireRecord {
  const normalized = normalizeParsed(body);
  if (!normalized.ok) {
    const msg =
      normalized.reason === "not_object"
        ? "body must be a JSON object"
        : `body refused: ${normalized.reason}`;
    return { code: ResultCode.BAD_PARAMETER, msg };
  }
  const record = normalized.frame;
  const parsed = ZRosterRequest.safeParse(record);
  if (!parsed.success)
    return { code: ResultCode.BAD_PARAMETER, msg: describeIssues(parsed.error, record) };
  const request = parsed.data;
  const company = engine.companies.get(request.company_code);
  if (!company)
    return {
      code: ResultCode.COMPANY_NOT_FOUND,
      msg: `company ${request.company_code} does not exist`,
    };
  const skills = company.skills.filter(
    (s) => request.skill_id === undefined || s.skillId === request.skill_id,
  );
  const keyword = request.keyword?.toLowerCase();
  const data = skills.map((skill) => {
    const members = company.roster.filter(
      (agent) =>
        agent.skills.includes(skill.skillId) &&
        (request.agent_id === undefined || agent.agentId === request.agent_id) &&
        (keyword === undefined ||
          agent.agentId.toLowerCase().includes(keyword) ||
          agent.name.includes(keyword)),
    );
    const start = (request.page_no - 1) * request.page_size;
    return {
      skill_id: skill.skillId,
      skill_name: skill.skillName,
      agents: {
        list: members.slice(start, start + request.page_size).map((agent) => ({
          agent_id: agent.agentId,
          agent_name: agent.name,
          agent_status: agent.status,
        })),
        total_count: members.length,
        total_page: Math.ceil(members.length / request.page_size),
        current_page: request.page_no,
      },
    };
  });
  return { code: ResultCode.OK, msg: "success", company_code: company.companyCode, data };
}
