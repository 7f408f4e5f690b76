"use client";

import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState } from "react";
import { DEFAULT_FILTER, filterAndSort, gridItems, summarize, type TFloorFilter } from "@/lib/floor/view";
import { AgentDrawer } from "./agent-drawer";
import { AgentGrid } from "./agent-grid";
import { FloorFilters } from "./floor-filters";
import { LinkBanner } from "./link-banner";
import { LiveFeed } from "./live-feed";
import { SummaryTiles } from "./summary-tiles";
import { useFloor, useFloorList } from "./use-floor";
import { floorLiveness } from "./use-floor-live";
import { useNow } from "./use-now";

/** The live floor of one company: tiles, filters, the agent grid, the feed and the drawer. */
export function FloorView({ companyCode }: { companyCode: string }) {
  const t = useTranslations("floor");
  const { store, error } = useFloor(companyCode);
  const version = useFloorList(store);
  const now = useNow();
  const [filter, setFilter] = useState<TFloorFilter>(DEFAULT_FILTER);
  const [groupBySkill, setGroupBySkill] = useState(false);
  const [openAgent, setOpenAgent] = useState<string | undefined>(undefined);
  const closeDrawer = useCallback(() => setOpenAgent(undefined), []);

  // `version` changes whenever the store's lists may have: recompute then, not on every tick.
  const { agents, shown, rows, summary, skills, feed } = useMemo(() => {
    const all = store.agentList;
    const kept = filterAndSort(all, filter);
    const skillList = store.skills;
    return {
      agents: all,
      shown: kept.length,
      rows: gridItems(kept, groupBySkill, skillList.map((s) => s.skillId)),
      summary: summarize(all, store.callList),
      skills: skillList,
      feed: store.recentChanges,
    };
  }, [store, filter, groupBySkill, version]); // eslint-disable-line react-hooks/exhaustive-deps
  // Rows are memoized on their props: keep this map as stable as the skill list itself.
  const skillNames = useMemo(() => new Map(skills.map((s) => [s.skillId, s.skillName])), [skills]);

  const { live, banner } = floorLiveness(store, now, summary.stale);
  const status = store.status;

  return (
    <div className="flex h-[calc(100vh-8.5rem)] min-h-[32rem] flex-col gap-3" data-testid="floor-view" data-live={live ? "true" : "false"}>
      {error ? (
        <div role="alert" data-testid="floor-error" className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
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
        total={agents.length}
      />
      <div className="flex min-h-0 flex-1 gap-3">
        <AgentGrid
          store={store}
          items={rows}
          live={live}
          clockOffset={status.clockOffset}
          skillNames={skillNames}
          loading={status.sync !== "live"}
          onOpen={setOpenAgent}
        />
        <div className="hidden w-72 min-h-0 flex-col xl:flex">
          <LiveFeed entries={feed} onOpen={setOpenAgent} />
        </div>
      </div>
      {openAgent ? (
        <AgentDrawer store={store} agentId={openAgent} clockOffset={status.clockOffset} skillNames={skillNames} onClose={closeDrawer} />
      ) : null}
    </div>
  );
}
