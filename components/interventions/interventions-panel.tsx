"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import type { FloorClientStore } from "@/lib/floor/client-store";
import type { InterventionClientStore } from "@/lib/interventions/client-store";
import { isFinal, type TInterventionView } from "@/lib/interventions/types";
import { formatClock } from "@/lib/format/clock";
import type { TBadgeTone } from "@/components/ui/badge";
import { STAGE_TONE } from "./labels";
import { useInterventionList } from "./use-interventions";

const TONE_CLASS: Record<TBadgeTone, string> = {
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200",
  bad: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  neutral: "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-900/60 dark:text-fuchsia-100",
};

/** Items shown; the store keeps a few more. */
const SHOWN = 30;

const Item = memo(function Item({
  view,
  targetName,
}: {
  view: TInterventionView;
  targetName: string;
}) {
  const t = useTranslations("interventions");
  const detail = [view.code, view.message].filter(Boolean).join(": ");
  return (
    <li
      data-testid="intervention-item"
      data-intervention-id={view.id}
      data-operation={view.operation}
      data-stage={view.stage}
      data-target={view.targetAgentId}
      data-call={view.callUuid}
      data-actor={view.actorName}
      className="flex flex-col gap-0.5 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800"
    >
      <div className="flex items-center gap-2">
        <span className="shrink-0 font-mono text-xs text-slate-500 tabular-nums">
          {formatClock(view.updatedAt)}
        </span>
        <span className="min-w-0 truncate font-medium">{t(`operations.${view.operation}`)}</span>
        <span
          className={`ml-auto shrink-0 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[STAGE_TONE[view.stage]]}`}
        >
          {isFinal(view.stage) ? null : (
            <span aria-hidden="true" className="mr-0.5 inline-block animate-pulse">
              ⚡
            </span>
          )}
          {t(`stages.${view.stage}`)}
        </span>
      </div>
      <div className="truncate text-xs text-slate-600 dark:text-slate-300">
        {t("panel.who", { actor: view.actorName, target: targetName })}{" "}
        <span className="font-mono text-slate-500">{view.targetAgentId}</span>
      </div>
      <div className="truncate font-mono text-[11px] text-slate-500" title={view.callUuid}>
        {view.callUuid}
      </div>
      {detail ? (
        <div
          data-testid="intervention-detail"
          className={`text-xs ${view.stage === "confirmed" ? "text-slate-600 dark:text-slate-300" : "text-red-700 dark:text-red-300"}`}
        >
          {detail}
        </div>
      ) : null}
      {view.reason ? (
        <div className="truncate text-xs text-slate-500" title={view.reason}>
          {t("panel.reason", { reason: view.reason })}
        </div>
      ) : null}
    </li>
  );
});

/** The latest interventions of the company and where each stands, live. */
export function InterventionsPanel({
  store,
  floor,
}: {
  store: InterventionClientStore;
  floor: FloorClientStore;
}) {
  const t = useTranslations("interventions");
  const list = useInterventionList(store);
  const inProgress = list.filter((v) => !isFinal(v.stage)).length;
  return (
    <section
      aria-labelledby="interventions-panel-title"
      data-testid="interventions-panel"
      className="flex min-h-0 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <h2
        id="interventions-panel-title"
        className="flex items-baseline justify-between border-b border-slate-200 px-3 py-2 text-sm font-semibold dark:border-slate-700"
      >
        {t("panel.title")}
        <span className="text-xs font-normal text-slate-500" data-testid="interventions-active">
          {t("panel.inProgress", { count: inProgress })}
        </span>
      </h2>
      {list.length === 0 ? (
        <p className="px-3 py-4 text-sm text-slate-500">{t("panel.empty")}</p>
      ) : (
        <ul className="min-h-0 flex-1 overflow-auto" aria-live="polite">
          {list.slice(0, SHOWN).map((view) => (
            <Item
              key={view.id}
              view={view}
              targetName={floor.getAgent(view.targetAgentId)?.name ?? view.targetAgentId}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
