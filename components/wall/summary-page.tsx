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
  wide = false,
  children,
}: {
  testId: string;
  label: string;
  icon?: ReactNode;
  accent?: string;
  level?: TTileLevel;
  caption?: ReactNode;
  /** The figure is a duration (up to 7 characters), not a count. */
  wide?: boolean;
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
      className={`@container relative flex min-w-0 flex-col overflow-hidden rounded-[1.2vh] px-[1.4vh] pt-[1.6vh] pb-[1vh] ring-[0.3vh] ${style.tile}`}
      style={accent ? { boxShadow: `inset 0 0.9vh 0 ${accent}` } : undefined}
    >
      <div className="line-clamp-2 min-h-[2lh] text-[length:clamp(0.9rem,min(3.2vh,11cqw),4.5rem)] leading-tight font-semibold">
        {icon ? (
          <span aria-hidden="true" style={accent ? { color: accent } : undefined}>
            {icon}{" "}
          </span>
        ) : null}
        {label}
      </div>
      <div
        data-testid="tile-figure"
        className={`flex flex-1 items-center justify-center leading-none font-bold tabular-nums ${wide ? "text-[length:clamp(1.6rem,min(13vh,34cqw),20rem)]" : "text-[length:clamp(2rem,min(16vh,46cqw),26rem)]"}`}
      >
        {children}
      </div>
      {level !== "ok" ? (
        <div
          data-testid="tile-level"
          className="text-center text-[length:clamp(1rem,min(3.4vh,12cqw),5rem)] leading-tight font-black tracking-wide uppercase"
        >
          <span aria-hidden="true">{style.icon} </span>
          {t(level)}
        </div>
      ) : null}
      {caption ? (
        <div className="mt-[0.6vh] text-[length:clamp(0.8rem,min(2.3vh,8.5cqw),3.4rem)] leading-snug opacity-90">
          {caption}
        </div>
      ) : null}
    </div>
  );
}

/** Time since `since`; past an hour the figure has 7 characters and gets a smaller size. */
function Since({ since, serverNow }: { since: number | undefined; serverNow: number }) {
  const t = useTranslations("wall.tiles");
  if (since === undefined) return <>{t("none")}</>;
  const text = formatDuration(serverNow - since);
  return <span style={{ fontSize: text.length > 5 ? "0.72em" : undefined }}>{text}</span>;
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
          wide
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
          wide
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
