import { pick, chance, createRng, type TRng } from "./random";
import { chineseName } from "./names";
import type { TCompany, TRole, TSimAgent, TSkill } from "./types";

/** The seed's password, shared by every agent of a generated floor (demo only). */
export const DEMO_PASSWORD = "Aa123321.";

const SKILL_NAMES = ["售前咨询", "售后服务", "投诉", "VIP"] as const;

/**
 * Local numbers: the first half from 20000 up, the rest from 40001 up, so the seed's
 * `_20000`, `_20003`, `_20004` and `_40001` exist on any floor of five agents or more.
 */
export function localNumbers(count: number): string[] {
  const low = Math.ceil(count / 2);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(String(i < low ? 20000 + i : 40001 + (i - low)));
  return out;
}

/** `_20004` and every 25th agent after it supervise (the ACD never rings supervisors). */
export function roleOf(local: string): TRole {
  const n = Number(local);
  return n >= 20000 && n < 40000 && (n - 20000) % 25 === 4 ? "supervisor" : "agent";
}

function buildSkills(companyCode: string, rng: TRng): TSkill[] {
  const count = 2 + Math.floor(rng.next() * 3);
  return SKILL_NAMES.slice(0, count).map((skillName, i) => ({
    skillId: `${companyCode}${String(i + 1).padStart(2, "0")}`,
    skillName,
  }));
}

function agentSkills(skills: TSkill[], rng: TRng): string[] {
  const first = skills[0];
  if (!first) return [];
  const chosen = new Set<string>([pick(rng, skills).skillId]);
  for (const skill of skills) if (chance(rng, 0.3)) chosen.add(skill.skillId);
  // Everyone answers the first queue too, so the busiest queue is never starved.
  chosen.add(first.skillId);
  return skills.filter((s) => chosen.has(s.skillId)).map((s) => s.skillId);
}

export function buildCompany(
  seed: string,
  companyCode: string,
  agentCount: number,
  now: number,
): TCompany {
  const rng = createRng(`${seed}/floor/${companyCode}`);
  const skills = buildSkills(companyCode, rng);
  const agents = new Map<string, TSimAgent>();
  const roster: TSimAgent[] = [];
  for (const local of localNumbers(agentCount)) {
    const agentId = `${companyCode}_${local}`;
    const role = roleOf(local);
    const name = chineseName(rng);
    const skillIds = agentSkills(skills, rng);
    const agent: TSimAgent = {
      companyCode,
      agentId,
      extId: agentId,
      name,
      password: DEMO_PASSWORD,
      role,
      skills: skillIds,
      status: "OFFLINE",
      subStatus: undefined,
      statusTime: now,
      extStatus: "OFFLINE",
      callStopStatus: undefined,
      returnStatus: "FREE",
      callUuid: undefined,
      legUuid: undefined,
      consultUuid: undefined,
      inCallNumbers: [],
      driver: null,
      session: undefined,
      statusTimer: undefined,
    };
    agents.set(agentId, agent);
    roster.push(agent);
  }
  return { companyCode, skills, agents, roster };
}
