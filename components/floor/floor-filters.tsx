"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import { SORT_KEYS, type TFloorFilter, type TSortKey } from "@/lib/floor/view";
import type { TSkill } from "@/lib/floor/types";
import { STATUS_STYLE } from "./status-badge";

const SORT_LABEL: Record<TSortKey, "sortName" | "sortAgentId" | "sortStatus" | "sortTimeInState"> =
  {
    name: "sortName",
    agentId: "sortAgentId",
    status: "sortStatus",
    timeInState: "sortTimeInState",
  };

/** Memoized: re-renders when a filter or the counts change, not on every list refresh. */
export const FloorFilters = memo(function FloorFilters({
  filter,
  onChange,
  skills,
  groupBySkill,
  onGroupBySkill,
  shown,
  total,
}: {
  filter: TFloorFilter;
  onChange: (next: TFloorFilter) => void;
  skills: TSkill[];
  groupBySkill: boolean;
  onGroupBySkill: (value: boolean) => void;
  shown: number;
  total: number;
}) {
  const t = useTranslations("floor");
  const toggle = (status: TAgentStatus) => {
    const states = filter.states.includes(status)
      ? filter.states.filter((s) => s !== status)
      : [...filter.states, status];
    onChange({ ...filter, states });
  };
  const control =
    "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
  return (
    <section aria-label={t("filters.label")} className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label={t("grid.state")} className="flex flex-wrap gap-1">
        {AGENT_STATUSES.map((status) => {
          const on = filter.states.includes(status);
          return (
            <button
              key={status}
              type="button"
              aria-pressed={on}
              data-testid={`filter-state-${status}`}
              onClick={() => toggle(status)}
              className={`rounded-full border px-2 py-0.5 text-sm ${on ? `${STATUS_STYLE[status].className} border-transparent font-semibold` : "border-slate-300 text-slate-600 dark:border-slate-700 dark:text-slate-300"}`}
            >
              <span aria-hidden="true">{STATUS_STYLE[status].icon} </span>
              {t(`status.${status}`)}
            </button>
          );
        })}
      </div>
      <label className="flex items-center gap-1 text-sm">
        <span>{t("filters.skill")}</span>
        <select
          data-testid="filter-skill"
          className={control}
          value={filter.skillId ?? ""}
          onChange={(e) =>
            onChange({ ...filter, skillId: e.target.value === "" ? undefined : e.target.value })
          }
        >
          <option value="">{t("filters.allSkills")}</option>
          {skills.map((s) => (
            <option key={s.skillId} value={s.skillId}>
              {s.skillName}
            </option>
          ))}
        </select>
      </label>
      <input
        type="search"
        data-testid="filter-search"
        aria-label={t("filters.search")}
        placeholder={t("filters.search")}
        className={`${control} w-64`}
        value={filter.search}
        onChange={(e) => onChange({ ...filter, search: e.target.value })}
      />
      <label className="flex items-center gap-1 text-sm">
        <span>{t("filters.sort")}</span>
        <select
          data-testid="filter-sort"
          className={control}
          value={filter.sort}
          onChange={(e) => onChange({ ...filter, sort: e.target.value as TSortKey })}
        >
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t(`filters.${SORT_LABEL[key]}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1 text-sm">
        <input
          type="checkbox"
          data-testid="filter-descending"
          checked={filter.descending}
          onChange={(e) => onChange({ ...filter, descending: e.target.checked })}
        />
        {t("filters.descending")}
      </label>
      <label className="flex items-center gap-1 text-sm">
        <input
          type="checkbox"
          data-testid="filter-group"
          checked={groupBySkill}
          onChange={(e) => onGroupBySkill(e.target.checked)}
        />
        {t("filters.groupBySkill")}
      </label>
      <span data-testid="filter-count" className="ml-auto text-sm text-slate-500">
        {t("filters.shown", { shown, total })}
      </span>
    </section>
  );
});
