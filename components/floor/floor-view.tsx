"use client";

import { useTranslations } from "next-intl";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import {
  DEFAULT_FILTER,
  dependsOnLiveFields,
  filterAndSort,
  gridItems,
  Keeper,
  sameGridItems,
  sameSummary,
  summarize,
  type TFloorFilter,
  type TFloorSummary,
  type TGridItem,
} from "@/lib/floor/view";
import { AgentDrawer } from "./agent-drawer";
import { AgentGrid } from "./agent-grid";
import { FloorFilters } from "./floor-filters";
import { LinkBanner } from "./link-banner";
import { LiveFeed } from "./live-feed";
import { SummaryTiles } from "./summary-tiles";
import { useFloor, useFloorList } from "./use-floor";
import { floorLiveness } from "./use-floor-live";
import { useNow } from "@/components/ui/use-now";
import type { TPrincipal } from "@/lib/interventions/availability";
import { InterventionsPanel } from "@/components/interventions/interventions-panel";
import { InterventionsProvider } from "@/components/interventions/interventions-provider";
import { useInterventionsLive } from "@/components/interventions/use-interventions";

/**
 * The live floor of one company: tiles, filters, the agent grid, the feed and the drawer; for
 * principals who may intervene, the intervention buttons, badges and panel too.
 */
export function FloorView({
  companyCode,
  principal,
}: {
  companyCode: string;
  principal?: TPrincipal | undefined;
}) {
  const t = useTranslations("floor");
  const interventions = useInterventionsLive(companyCode, principal);
  const { store, error } = useFloor(companyCode, interventions?.attach);
  const version = useFloorList(store);
  const now = useNow();
  const [filter, setFilter] = useState<TFloorFilter>(DEFAULT_FILTER);
  const [groupBySkill, setGroupBySkill] = useState(false);
  const [openAgent, setOpenAgent] = useState<string | undefined>(undefined);
  const closeDrawer = useCallback(() => setOpenAgent(undefined), []);

  // List-level work (filter, sort and group thousands of agents, the summary, the feed) renders at
  // transition priority: React splits it across frames and lets the per-row updates (synchronous,
  // one agent each) through first, instead of one long task per list refresh.
  const listVersion = useDeferredValue(version);
  const [rowKeeper] = useState(() => new Keeper<TGridItem[]>(sameGridItems));
  const [summaryKeeper] = useState(() => new Keeper<TFloorSummary>(sameSummary));
  // With the default filter a status change moves no row: re-filter and re-sort only when the
  // roster changes then, and on every list refresh only when the filter looks at live fields.
  const orderVersion = dependsOnLiveFields(filter) ? listVersion : store.rosterVersion;
  const { total, shown, rows } = useMemo(() => {
    const kept = filterAndSort(store.agentList, filter);
    // Unchanged rows keep their identity: the memoized grid then does not re-render at all.
    const items = rowKeeper.keep(
      gridItems(
        kept,
        groupBySkill,
        store.skills.map((s) => s.skillId),
      ),
    );
    return { total: store.size, shown: kept.length, rows: items };
  }, [store, filter, groupBySkill, orderVersion, rowKeeper]); // eslint-disable-line react-hooks/exhaustive-deps
  // `listVersion` changes whenever the store's lists may have: recompute then, not on every tick.
  const { summary, skills, feed } = useMemo(
    () => ({
      summary: summaryKeeper.keep(summarize(store.agentList, store.callList)),
      skills: store.skills,
      feed: store.recentChanges,
    }),
    [store, listVersion, summaryKeeper], // eslint-disable-line react-hooks/exhaustive-deps
  );
  // Rows are memoized on their props: keep this map as stable as the skill list itself.
  const skillNames = useMemo(() => new Map(skills.map((s) => [s.skillId, s.skillName])), [skills]);

  const { live, banner } = floorLiveness(store, now, summary.stale);
  const status = store.status;

  const view = (
    <div
      className="flex h-[calc(100vh-8.5rem)] min-h-[32rem] flex-col gap-3"
      data-testid="floor-view"
      data-live={live ? "true" : "false"}
    >
      {error ? (
        <div
          role="alert"
          data-testid="floor-error"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {t(`errors.${error}`)}
        </div>
      ) : null}
      <LinkBanner state={banner} />
      <SummaryTiles summary={summary} clockOffset={status.clockOffset} live={live} />
      <FloorFilters
        filter={filter}
        onChange={setFilter}
        skills={skills}
        groupBySkill={groupBySkill}
        onGroupBySkill={setGroupBySkill}
        shown={shown}
        total={total}
      />
      {/* Below xl the side column goes under the grid with the interventions panel only. */}
      <div className="flex min-h-0 flex-1 flex-col gap-3 xl:flex-row">
        <AgentGrid
          store={store}
          items={rows}
          live={live}
          clockOffset={status.clockOffset}
          skillNames={skillNames}
          loading={status.sync !== "live"}
          onOpen={setOpenAgent}
          interventions={interventions !== null}
        />
        <div
          className={`${interventions ? "flex max-h-48 xl:max-h-none xl:w-64 2xl:w-72" : "hidden xl:flex xl:w-72"} min-h-0 flex-col gap-3`}
        >
          {interventions ? (
            <div className="flex min-h-0 flex-col xl:max-h-[45%]">
              <InterventionsPanel store={interventions.store} floor={store} />
            </div>
          ) : null}
          <div className="hidden min-h-0 flex-1 flex-col xl:flex">
            <LiveFeed entries={feed} onOpen={setOpenAgent} />
          </div>
        </div>
      </div>
      {openAgent ? (
        <AgentDrawer
          store={store}
          agentId={openAgent}
          clockOffset={status.clockOffset}
          skillNames={skillNames}
          live={live}
          onClose={closeDrawer}
        />
      ) : null}
    </div>
  );
  if (!interventions || !principal) return view;
  return (
    <InterventionsProvider
      companyCode={companyCode}
      principal={principal}
      store={interventions.store}
      floor={store}
      live={live}
      clockOffset={status.clockOffset}
    >
      {view}
    </InterventionsProvider>
  );
}
