"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import { AGENT_STATUSES } from "@/lib/protocol/states";
import type { TFloorSummary } from "@/lib/floor/view";
import { LiveDuration } from "./live-duration";
import { STATUS_STYLE } from "./status-badge";

function Tile({
  label,
  children,
  testId,
  tone = "",
}: {
  label: string;
  children: React.ReactNode;
  testId: string;
  tone?: string;
}) {
  return (
    <div
      data-testid={testId}
      className={`rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${tone}`}
    >
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
      {/* One line of fixed height (text-2xl's line height), size- and layout-contained: a
          figure that changes several times a second is laid out alone, not with the page. */}
      <div
        className="h-8 overflow-hidden text-2xl font-semibold whitespace-nowrap tabular-nums"
        style={{ contain: "size layout" }}
      >
        {children}
      </div>
    </div>
  );
}

/** Memoized: the page re-renders every second (liveness clock); the tiles only when the summary does. */
export const SummaryTiles = memo(function SummaryTiles({
  summary,
  clockOffset,
  live,
}: {
  summary: TFloorSummary;
  clockOffset: number;
  live: boolean;
}) {
  const t = useTranslations("floor");
  const none = t("tiles.none");
  return (
    <section
      aria-label={t("tiles.agents")}
      className={`grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7 xl:grid-cols-13 ${live ? "" : "opacity-60"}`}
    >
      {AGENT_STATUSES.map((status) => (
        <Tile
          key={status}
          testId={`tile-${status}`}
          label={`${STATUS_STYLE[status].icon} ${t(`status.${status}`)}`}
        >
          {summary.byStatus[status]}
        </Tile>
      ))}
      <Tile testId="tile-ringing-calls" label={t("tiles.ringingCalls")}>
        {summary.ringingCalls}
      </Tile>
      <Tile testId="tile-talking-calls" label={t("tiles.talkingCalls")}>
        {summary.talkingCalls}
      </Tile>
      <Tile testId="tile-longest-call" label={t("tiles.longestCall")}>
        {summary.longestCallSince === undefined ? (
          none
        ) : (
          <LiveDuration since={summary.longestCallSince} clockOffset={clockOffset} />
        )}
      </Tile>
      <Tile testId="tile-longest-ring" label={t("tiles.longestRing")}>
        {summary.longestRingSince === undefined ? (
          none
        ) : (
          <LiveDuration since={summary.longestRingSince} clockOffset={clockOffset} />
        )}
      </Tile>
      <Tile
        testId="tile-stale"
        label={t("tiles.stale")}
        tone={summary.stale > 0 ? "border-red-400 dark:border-red-700" : ""}
      >
        {summary.stale}
      </Tile>
    </section>
  );
});
