"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import { formatDuration } from "@/lib/format/duration";
import type { TTileLevel } from "@/lib/wall/levels";
import type { TTileLevels, TWallSummary } from "@/lib/wall/summary";
import type { TWallThresholds } from "@/lib/wall/types";
import { useLimitFormat } from "./format";
import { WALL_LEVEL, WALL_STATE } from "./wall-style";

/**
 * One figure: its label, the figure itself as large as the tile allows (sized from the tile's
 * width and the screen's height, so 4K gets larger figures, not a smaller share of the screen),
 * and a caption. A level fills the tile and adds its icon and word: never colour alone.
 */
function Tile({
  testId,
  label,
  icon,
  accent,
  level = "ok",
  caption,
  children,
}: {
  testId: string;
  label: string;
  icon?: ReactNode;
  accent?: string;
  level?: TTileLevel;
  caption?: ReactNode;
  children: ReactNode;
}) {
  const t = useTranslations("wall.levels");
  const style = WALL_LEVEL[level];
  return (
    <div
      role="group"
      aria-label={label}
      data-testid={testId}
      data-level={level}
      className={`@container relative flex min-w-0 flex-col justify-between overflow-hidden rounded-[1.2vh] px-[1.4vh] py-[1vh] ring-[0.3vh] ${style.tile}`}
      style={accent ? { boxShadow: `inset 0 0.9vh 0 ${accent}` } : undefined}
    >
      <div className="flex items-center gap-[0.8vh] pt-[0.6vh] text-[length:clamp(0.9rem,min(3vh,11cqw),4rem)] leading-tight font-semibold">
        {icon ? (
          <span aria-hidden="true" style={accent ? { color: accent } : undefined}>
            {icon}
          </span>
        ) : null}
        <span className="truncate">{label}</span>
      </div>
      <div className="text-center text-[length:clamp(2rem,min(12vh,30cqw),24rem)] leading-none font-bold tabular-nums">
        {children}
      </div>
      <div className="flex min-h-[1lh] items-center justify-between gap-[1vh] text-[length:clamp(0.8rem,min(2.2vh,8cqw),3rem)] leading-tight">
        <span className="truncate opacity-90">{caption}</span>
        {level !== "ok" ? (
          <span data-testid="tile-level" className="shrink-0 font-bold whitespace-nowrap">
            <span aria-hidden="true">{style.icon} </span>
            {t(level)}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function Since({ since, serverNow }: { since: number | undefined; serverNow: number }) {
  const t = useTranslations("wall.tiles");
  return <>{since === undefined ? t("none") : formatDuration(serverNow - since)}</>;
}

/** The summary page: agents by state, then calls, the longest ring and call, and what must be zero. */
export function SummaryPage({
  summary,
  levels,
  thresholds,
  serverNow,
  interventionsToday,
}: {
  summary: TWallSummary;
  levels: TTileLevels;
  thresholds: TWallThresholds | undefined;
  serverNow: number;
  interventionsToday: number | undefined;
}) {
  const t = useTranslations("wall.tiles");
  const tState = useTranslations("floor.status");
  const limit = useLimitFormat();
  const limits = (amberS: number, redS: number) =>
    t("limits", { amber: limit(amberS), red: limit(redS) });
  const stateTile = (status: TAgentStatus) => (
    <Tile
      key={status}
      testId={`wall-tile-${status}`}
      label={tState(status)}
      icon={WALL_STATE[status].icon}
      accent={WALL_STATE[status].color}
    >
      {summary.byStatus[status]}
    </Tile>
  );
  return (
    <div className="grid h-full grid-rows-[1fr_1.25fr] gap-[1.6vh]" data-testid="wall-summary">
      <section aria-label={t("agents")} className="grid grid-cols-7 gap-[1.2vh]">
        {AGENT_STATUSES.map(stateTile)}
      </section>
      <section aria-label={t("calls")} className="grid grid-cols-7 gap-[1.2vh]">
        <Tile
          testId="wall-tile-ringing-calls"
          label={t("ringingCalls")}
          icon={WALL_STATE.RINGING.icon}
          accent={WALL_STATE.RINGING.color}
        >
          {summary.ringingCalls}
        </Tile>
        <Tile
          testId="wall-tile-longest-ring"
          label={t("longestRing")}
          level={levels.longestRing}
          caption={thresholds ? limits(thresholds.ringAmberS, thresholds.ringRedS) : undefined}
        >
          <Since since={summary.longestRingSince} serverNow={serverNow} />
        </Tile>
        <Tile
          testId="wall-tile-talking-calls"
          label={t("talkingCalls")}
          icon={WALL_STATE.CALLING.icon}
          accent={WALL_STATE.CALLING.color}
        >
          {summary.talkingCalls}
        </Tile>
        <Tile
          testId="wall-tile-longest-call"
          label={t("longestCall")}
          level={levels.longestCall}
          caption={thresholds ? limits(thresholds.talkAmberS, thresholds.talkRedS) : undefined}
        >
          <Since since={summary.longestCallSince} serverNow={serverNow} />
        </Tile>
        <Tile
          testId="wall-tile-rest-over"
          label={thresholds ? t("restOver", { minutes: thresholds.restMin }) : tState("REST")}
          icon={WALL_STATE.REST.icon}
          accent={WALL_STATE.REST.color}
          level={levels.restOver}
          caption={t("restLimit")}
        >
          {thresholds ? summary.restOver : t("none")}
        </Tile>
        <Tile
          testId="wall-tile-stale"
          label={t("stale")}
          level={levels.stale}
          caption={t("staleLimit")}
        >
          {summary.stale}
        </Tile>
        <Tile testId="wall-tile-interventions" label={t("interventionsToday")}>
          {interventionsToday ?? t("none")}
        </Tile>
      </section>
    </div>
  );
}
