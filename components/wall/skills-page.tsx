"use client";

import { useTranslations } from "next-intl";
import { AGENT_STATUSES } from "@/lib/protocol/states";
import type { TFloorAgent } from "@/lib/floor/types";
import { formatDuration } from "@/lib/format/duration";
import { agentLevel } from "@/lib/wall/levels";
import type { TSkillSection } from "@/lib/wall/skills";
import type { TWallThresholds } from "@/lib/wall/types";
import { WALL_LEVEL, WALL_STATE } from "./wall-style";

/** Tiles per row and rows per screen of the skills page (lib/wall/skills.ts lays them out). */
export const SKILL_GRID = { columns: 12, rows: 9 } as const;

function AgentTile({
  agent,
  serverNow,
  thresholds,
}: {
  agent: TFloorAgent;
  serverNow: number;
  thresholds: TWallThresholds | undefined;
}) {
  const t = useTranslations("wall");
  const tState = useTranslations("floor.status");
  const level = thresholds ? agentLevel(agent, serverNow, thresholds) : "ok";
  const state = WALL_STATE[agent.status];
  const time = formatDuration(serverNow - agent.statusSince);
  return (
    <li
      data-testid="wall-agent"
      data-agent-id={agent.agentId}
      data-status={agent.status}
      data-level={level}
      aria-label={t("skills.agent", { name: agent.name, state: tState(agent.status), time })}
      className={`@container flex min-w-0 flex-col justify-center overflow-hidden rounded-[0.8vh] px-[0.8vh] ring-[0.25vh] ${WALL_LEVEL[level].tile} ${agent.stale ? "opacity-50" : ""}`}
      style={{ borderLeft: `0.9vh solid ${state.color}` }}
    >
      <span className="flex min-w-0 items-center gap-[0.5vh] text-[length:clamp(0.8rem,min(3vh,18cqw),4rem)] leading-tight font-bold">
        <span aria-hidden="true" style={level === "ok" ? { color: state.color } : undefined}>
          {level === "ok" ? state.icon : WALL_LEVEL[level].icon}
        </span>
        <span className="truncate">{agent.name}</span>
      </span>
      <span className="flex min-w-0 justify-between gap-[0.5vh] text-[length:clamp(0.8rem,min(2.5vh,14cqw),3.4rem)] leading-tight">
        <span className="truncate opacity-90">{tState(agent.status)}</span>
        <span className="shrink-0 font-semibold tabular-nums">{time}</span>
      </span>
    </li>
  );
}

/**
 * One screen of the skills page: per skill a heading with its agents by state, then a compact
 * tile per signed-in agent (state colour mark, icon, name, state and time in it, red or amber
 * when past its limit). Offline agents are counted in the heading, not tiled.
 */
export function SkillsPage({
  sections,
  serverNow,
  thresholds,
}: {
  sections: readonly TSkillSection[];
  serverNow: number;
  thresholds: TWallThresholds | undefined;
}) {
  const t = useTranslations("wall.skills");
  const tState = useTranslations("floor.status");
  if (sections.length === 0)
    return (
      <p className="flex h-full items-center justify-center text-[length:5vh]">{t("empty")}</p>
    );
  return (
    <div
      data-testid="wall-skills"
      className="grid h-full gap-[1vh]"
      style={{
        gridTemplateColumns: `repeat(${SKILL_GRID.columns}, minmax(0, 1fr))`,
        gridTemplateRows: `repeat(${SKILL_GRID.rows}, minmax(0, 1fr))`,
      }}
    >
      {sections.map(({ group, agents, continued }) => {
        const name = group.skillName ?? t("noSkill");
        const total = AGENT_STATUSES.reduce((sum, s) => sum + group.byStatus[s], 0);
        return (
          <section
            key={`${group.skillId}:${continued ? agents[0]?.agentId : "start"}`}
            aria-label={name}
            className="contents"
          >
            <h2 className="col-span-full flex min-w-0 items-end gap-[2vh] overflow-hidden border-b-[0.3vh] border-slate-600 pb-[0.5vh] text-[length:clamp(1rem,3.4vh,5rem)] leading-none font-bold whitespace-nowrap">
              <span className="truncate">
                {continued
                  ? t("continued", { skill: name })
                  : t("heading", { skill: name, count: total })}
              </span>
              <span className="flex gap-[1.6vh] text-[length:clamp(0.9rem,2.8vh,4rem)] font-semibold">
                {AGENT_STATUSES.filter((s) => s !== "OFFLINE" && group.byStatus[s] > 0).map((s) => (
                  <span key={s} className="tabular-nums">
                    <span aria-hidden="true" style={{ color: WALL_STATE[s].color }}>
                      {WALL_STATE[s].icon}
                    </span>
                    <span className="sr-only">{tState(s)}</span> {group.byStatus[s]}
                  </span>
                ))}
                {group.byStatus.OFFLINE > 0 ? (
                  <span className="text-slate-400">
                    {t("offline", { count: group.byStatus.OFFLINE })}
                  </span>
                ) : null}
              </span>
            </h2>
            <ul className="contents">
              {agents.map((agent) => (
                <AgentTile
                  key={agent.agentId}
                  agent={agent}
                  serverNow={serverNow}
                  thresholds={thresholds}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
