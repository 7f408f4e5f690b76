import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import type { TFloorAgent, TSkill } from "@/lib/floor/types";

/** What needs eyes first comes first on a skill's tiles; offline agents get no tile. */
const TILE_ORDER: Record<TAgentStatus, number> = {
  RINGING: 0,
  CALLING: 1,
  ARRANGE: 2,
  REST: 3,
  BUSY: 4,
  FREE: 5,
  OFFLINE: 6,
};

export interface TSkillGroup {
  skillId: string;
  /** Undefined for agents without a skill. */
  skillName: string | undefined;
  byStatus: Record<TAgentStatus, number>;
  /** Agents signed in (not OFFLINE), in tile order. */
  agents: TFloorAgent[];
}

function emptyCounts(): Record<TAgentStatus, number> {
  return Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<TAgentStatus, number>;
}

function byTileOrder(a: TFloorAgent, b: TFloorAgent): number {
  return (
    TILE_ORDER[a.status] - TILE_ORDER[b.status] ||
    (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0)
  );
}

/**
 * Agents by skill, in the roster's skill order (an agent in two skills is under both); agents
 * without a skill last. Within a skill by state (ringing first), then by id: tiles do not
 * jump while their state stays.
 */
export function skillGroups(
  agents: readonly TFloorAgent[],
  skills: readonly TSkill[],
): TSkillGroup[] {
  const groups = new Map<string, TSkillGroup>();
  const group = (skillId: string, skillName: string | undefined): TSkillGroup => {
    let g = groups.get(skillId);
    if (!g) {
      g = { skillId, skillName, byStatus: emptyCounts(), agents: [] };
      groups.set(skillId, g);
    }
    return g;
  };
  for (const skill of skills) group(skill.skillId, skill.skillName);
  const names = new Map(skills.map((s) => [s.skillId, s.skillName]));
  for (const agent of agents) {
    const ids = agent.skills.length > 0 ? agent.skills : [""];
    for (const skillId of ids) {
      const g = group(skillId, skillId === "" ? undefined : (names.get(skillId) ?? skillId));
      g.byStatus[agent.status] += 1;
      if (agent.status !== "OFFLINE") g.agents.push(agent);
    }
  }
  const list = [...groups.values()].filter((g) => AGENT_STATUSES.some((s) => g.byStatus[s] > 0));
  for (const g of list) g.agents.sort(byTileOrder);
  const noSkill = list.findIndex((g) => g.skillId === "");
  if (noSkill >= 0) list.push(...list.splice(noSkill, 1));
  return list;
}

/** One skill's part of one screen: its heading and the agents that fit. */
export interface TSkillSection {
  group: TSkillGroup;
  agents: TFloorAgent[];
  /** The skill began on an earlier screen. */
  continued: boolean;
}

export interface TSkillGrid {
  columns: number;
  rows: number;
}

/**
 * Lays the groups out on screens of `rows` rows of `columns` tiles: a skill's heading takes a
 * row, its agents the rows after it; a skill that does not fit goes on over the next screen.
 * Every screen holds at most columns x rows tiles, so the page's size is bounded however large
 * the floor.
 */
export function skillScreens(groups: readonly TSkillGroup[], grid: TSkillGrid): TSkillSection[][] {
  // A screen holds at least a heading and one row of tiles.
  const rows = Math.max(2, grid.rows);
  const screens: TSkillSection[][] = [];
  let screen: TSkillSection[] = [];
  let rowsLeft = rows;
  const close = () => {
    if (screen.length > 0) screens.push(screen);
    screen = [];
    rowsLeft = rows;
  };
  for (const group of groups) {
    let from = 0;
    let continued = false;
    do {
      // A heading alone at the foot of a screen says nothing: start the skill on the next one.
      if (rowsLeft < 2) close();
      const capacity = (rowsLeft - 1) * grid.columns;
      const agents = group.agents.slice(from, from + capacity);
      screen.push({ group, agents, continued });
      rowsLeft -= 1 + Math.ceil(agents.length / grid.columns);
      from += agents.length;
      continued = true;
      if (from < group.agents.length) close();
    } while (from < group.agents.length);
  }
  close();
  return screens;
}
