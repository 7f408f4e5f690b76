"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { AGENT_STATUSES } from "@/lib/protocol/states";
import { historySeries } from "@/lib/wall/history";
import { wallKeys } from "@/lib/wall/query-keys";
import { fetchWallHistory } from "./api";
import { HistoryChart } from "./history-chart";
import { WALL_STATE } from "./wall-style";

/** Hours of history on the chart. */
export const HISTORY_HOURS = 8;
/** The server records one sample a minute: asking more often brings nothing new. */
const HISTORY_REFRESH_MS = 60_000;
/** Signed-in agents: offline ones would flatten every other line. */
const CHART_STATES = AGENT_STATUSES.filter((s) => s !== "OFFLINE");

/** Agents by state per minute over the last hours, from the server's history (it survives restarts). */
export function HistoryPage({ companyCode }: { companyCode: string }) {
  const t = useTranslations("wall.history");
  const tState = useTranslations("floor.status");
  const query = useQuery({
    queryKey: wallKeys.history(companyCode, HISTORY_HOURS),
    queryFn: () => fetchWallHistory(companyCode, HISTORY_HOURS),
    refetchInterval: HISTORY_REFRESH_MS,
    refetchIntervalInBackground: true,
    staleTime: HISTORY_REFRESH_MS / 2,
  });
  const series = useMemo(
    () => (query.data ? historySeries(query.data, HISTORY_HOURS) : undefined),
    [query.data],
  );
  let body: React.ReactNode;
  if (series && series.xs.length > 0)
    body = (
      <HistoryChart
        series={series}
        states={CHART_STATES}
        label={t("chart", { hours: HISTORY_HOURS })}
      />
    );
  else
    body = (
      <p
        data-testid="wall-history-message"
        className="flex h-full items-center justify-center text-[length:clamp(1rem,4vh,6rem)] text-slate-300"
      >
        {series ? t("empty") : query.isError ? t("failed") : t("loading")}
      </p>
    );
  return (
    <div className="flex h-full flex-col gap-[1.5vh]" data-testid="wall-history">
      <div className="flex flex-wrap items-end justify-between gap-x-[3vh] gap-y-[1vh]">
        <h2 className="text-[length:clamp(1.2rem,4vh,6rem)] leading-none font-bold">
          {t("title", { hours: HISTORY_HOURS })}
        </h2>
        <ul
          aria-label={t("legend")}
          className="flex flex-wrap gap-x-[3vh] text-[length:clamp(1rem,3vh,4.5rem)]"
        >
          {CHART_STATES.map((status) => (
            <li key={status} className="flex items-center gap-[0.8vh] font-semibold">
              <svg aria-hidden="true" viewBox="0 0 40 10" className="h-[1em] w-[2.4em]">
                <line
                  x1="0"
                  y1="5"
                  x2="40"
                  y2="5"
                  stroke={WALL_STATE[status].color}
                  strokeWidth="4"
                  strokeDasharray={WALL_STATE[status].dash.map((d) => d / 2).join(" ") || undefined}
                />
              </svg>
              <span aria-hidden="true" style={{ color: WALL_STATE[status].color }}>
                {WALL_STATE[status].icon}
              </span>
              {tState(status)}
            </li>
          ))}
        </ul>
      </div>
      <div className="min-h-0 flex-1">{body}</div>
    </div>
  );
}
