"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { memo, useCallback, useRef } from "react";
import type { FloorClientStore } from "@/lib/floor/client-store";
import type { TGridItem } from "@/lib/floor/view";
import { formatDuration } from "@/lib/format/duration";
import { LiveDuration } from "./live-duration";
import { StatusBadge } from "./status-badge";
import { useFloorAgent } from "./use-floor";
import { useNow } from "@/components/ui/use-now";
import { InterventionControls } from "@/components/interventions/intervention-buttons";

export const GRID_COLUMNS =
  "grid grid-cols-[minmax(5rem,1fr)_7.5rem_7.5rem_minmax(6rem,1.2fr)_7rem_5.5rem_5.5rem_minmax(8rem,1.2fr)_7.5rem] items-center gap-x-3 px-3";
/**
 * With a last column for the intervention buttons (supervisors and admins): the id columns and
 * the flexible ones give up their slack and the gaps narrow, so the grid still fits beside the
 * side column on a 1440-pixel screen.
 */
const GRID_COLUMNS_ACTIONS =
  "grid grid-cols-[minmax(5rem,1fr)_6.5rem_6.5rem_minmax(4rem,1.2fr)_7rem_5.5rem_5.5rem_minmax(6.5rem,1.2fr)_7.5rem_9.5rem] items-center gap-x-2 px-3";
const ROW_HEIGHT = 38;

interface RowProps {
  store: FloorClientStore;
  agentId: string;
  live: boolean;
  clockOffset: number;
  skillNames: Map<string, string>;
  onOpen: (agentId: string) => void;
  interventions: boolean;
}

function Freshness({
  stale,
  live,
  confirmedAt,
  clockOffset,
}: {
  stale: boolean;
  live: boolean;
  confirmedAt: number;
  clockOffset: number;
}) {
  const t = useTranslations("floor.grid");
  const now = useNow();
  if (stale) {
    return (
      <span className="text-sm font-medium text-red-700 dark:text-red-300">
        ⚠ {t("stale", { age: formatDuration(now + clockOffset - confirmedAt) })}
      </span>
    );
  }
  if (!live) return <span className="text-sm text-slate-500">⚠ {t("notLive")}</span>;
  return <span className="text-sm text-emerald-700 dark:text-emerald-300">● {t("live")}</span>;
}

/** One agent row: subscribed to that agent only, so a change repaints one row. */
const AgentRow = memo(function AgentRow({
  store,
  agentId,
  live,
  clockOffset,
  skillNames,
  onOpen,
  interventions,
}: RowProps) {
  const t = useTranslations("floor");
  const agent = useFloorAgent(store, agentId);
  if (!agent) return null;
  const showLive = live && !agent.stale;
  return (
    <div
      role="row"
      data-testid="agent-row"
      data-agent-id={agent.agentId}
      data-status={agent.status}
      data-since={agent.statusSince}
      data-stale={agent.stale || !live ? "true" : "false"}
      tabIndex={0}
      onClick={() => onOpen(agent.agentId)}
      onKeyDown={(e) => {
        if (e.key === "Enter") onOpen(agent.agentId);
      }}
      className={`${interventions ? GRID_COLUMNS_ACTIONS : GRID_COLUMNS} h-full cursor-pointer border-b border-slate-100 text-sm hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/60 ${showLive ? "" : "bg-slate-50 text-slate-500 dark:bg-slate-900/60"}`}
    >
      <span role="gridcell" className="truncate font-medium">
        {agent.name}
      </span>
      <span role="gridcell" className="font-mono text-xs">
        {agent.agentId}
      </span>
      <span role="gridcell" className="font-mono text-xs">
        {agent.extId}
      </span>
      <span
        role="gridcell"
        className="truncate text-xs"
        title={agent.skills.map((s) => skillNames.get(s) ?? s).join(", ")}
      >
        {agent.skills.map((s) => skillNames.get(s) ?? s).join(" · ")}
      </span>
      <span role="gridcell" data-testid="agent-status">
        <StatusBadge status={agent.status} dimmed={!showLive} />
      </span>
      <span role="gridcell" className="text-xs">
        {agent.subStatus ? t(`subStatus.${agent.subStatus}`) : ""}
      </span>
      <span role="gridcell" data-testid="agent-time">
        <LiveDuration since={agent.statusSince} clockOffset={clockOffset} />
      </span>
      <span role="gridcell" data-testid="agent-numbers" className="truncate font-mono text-xs">
        {agent.numbers.join(", ")}
      </span>
      <span role="gridcell" data-testid="agent-freshness">
        <Freshness
          stale={agent.stale}
          live={live}
          confirmedAt={agent.confirmedAt}
          clockOffset={clockOffset}
        />
      </span>
      {interventions ? (
        <span role="gridcell" data-testid="agent-actions" className="min-w-0">
          <InterventionControls target={agent} live={live} />
        </span>
      ) : null}
    </div>
  );
});

/**
 * Memoized, and its item keys stable while `items` is: the virtualizer recomputes the
 * measurements of every item (thousands) whenever `count` or `getItemKey` changes, which it
 * did on every page render.
 */
export const AgentGrid = memo(function AgentGrid({
  store,
  items,
  live,
  clockOffset,
  skillNames,
  loading,
  onOpen,
  interventions = false,
}: {
  store: FloorClientStore;
  items: TGridItem[];
  live: boolean;
  clockOffset: number;
  skillNames: Map<string, string>;
  loading: boolean;
  onOpen: (agentId: string) => void;
  /** Show the intervention column (supervisors and admins). */
  interventions?: boolean;
}) {
  const t = useTranslations("floor");
  const ti = useTranslations("interventions");
  const scrollRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback(
    (index: number) => {
      const item = items[index];
      if (!item) return index;
      return item.kind === "group"
        ? `g:${item.skillId}`
        : `a:${item.skillId ?? ""}:${item.agentId}`;
    },
    [items],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey,
  });
  return (
    <div
      role="grid"
      aria-label={t("grid.label")}
      aria-rowcount={items.length}
      className="flex min-h-0 flex-1 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div
        role="row"
        className={`${interventions ? GRID_COLUMNS_ACTIONS : GRID_COLUMNS} border-b border-slate-200 py-2 text-xs font-semibold text-slate-500 dark:border-slate-700`}
      >
        <span role="columnheader">{t("grid.name")}</span>
        <span role="columnheader">{t("grid.agentId")}</span>
        <span role="columnheader">{t("grid.extension")}</span>
        <span role="columnheader">{t("grid.skills")}</span>
        <span role="columnheader">{t("grid.state")}</span>
        <span role="columnheader">{t("grid.subState")}</span>
        <span role="columnheader">{t("grid.timeInState")}</span>
        <span role="columnheader">{t("grid.numbers")}</span>
        <span role="columnheader">{t("grid.freshness")}</span>
        {interventions ? <span role="columnheader">{ti("actionsColumn")}</span> : null}
      </div>
      <div ref={scrollRef} data-testid="agent-grid" className="min-h-0 flex-1 overflow-auto">
        {items.length === 0 ? (
          <p className="p-6 text-center text-slate-500">
            {loading ? t("grid.loading") : t("grid.empty")}
          </p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index];
              if (!item) return null;
              return (
                // Size and layout containment: each row is its own relayout boundary, so a row
                // that changes (dozens a second) is laid out alone, not with the whole page.
                <div
                  key={row.key}
                  style={{
                    position: "absolute",
                    top: 0,
                    left: 0,
                    right: 0,
                    height: row.size,
                    transform: `translateY(${row.start}px)`,
                    contain: "size layout",
                  }}
                >
                  {item.kind === "group" ? (
                    <div
                      role="row"
                      data-testid="skill-group"
                      className="flex h-full items-center bg-slate-100 px-3 text-sm font-semibold dark:bg-slate-800"
                    >
                      {t("grid.group", {
                        skill: skillNames.get(item.skillId) ?? item.skillId,
                        count: item.count,
                      })}
                    </div>
                  ) : (
                    <AgentRow
                      store={store}
                      agentId={item.agentId}
                      live={live}
                      clockOffset={clockOffset}
                      skillNames={skillNames}
                      onOpen={onOpen}
                      interventions={interventions}
                    />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
});
