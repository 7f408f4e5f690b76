"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { isFinal, type TInterventionView, type TStage } from "@/lib/interventions/types";
import { InterventionTimeline } from "./intervention-timeline";

const OUTCOME_TONE: Partial<Record<TStage, TBadgeTone>> = {
  confirmed: "good",
  failed: "bad",
  unconfirmed: "warn",
  interrupted: "warn",
};

/** One row per intervention; its time opens its timeline (a button: Enter and Space work). */
export function InterventionTable({
  interventions,
  showCompany,
}: {
  interventions: TInterventionView[];
  showCompany: boolean;
}) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns = showCompany ? 9 : 8;
  return (
    <table className="w-full text-left text-sm" data-testid="audit-interventions">
      <thead className="text-xs text-slate-500 uppercase">
        <tr>
          <th className="py-2 pr-3 font-medium">{t("columns.time")}</th>
          {showCompany ? <th className="pr-3 font-medium">{t("columns.company")}</th> : null}
          <th className="pr-3 font-medium">{t("columns.supervisor")}</th>
          <th className="pr-3 font-medium">{t("columns.operation")}</th>
          <th className="pr-3 font-medium">{t("columns.target")}</th>
          <th className="pr-3 font-medium">{t("columns.call")}</th>
          <th className="pr-3 font-medium">{t("columns.reason")}</th>
          <th className="pr-3 font-medium">{t("columns.outcome")}</th>
          <th className="font-medium">{t("columns.code")}</th>
        </tr>
      </thead>
      <tbody>
        {interventions.map((iv) => {
          const expanded = open.has(iv.id);
          const time = format.dateTime(iv.requestedAt, { dateStyle: "short", timeStyle: "medium" });
          return (
            <Fragment key={iv.id}>
              <tr
                className={`border-t border-slate-100 align-baseline dark:border-slate-800 [&>td]:py-1.5 ${expanded ? "bg-slate-50 dark:bg-slate-800/40" : ""}`}
                data-testid="audit-intervention"
                data-id={iv.id}
              >
                <td className="pr-3 whitespace-nowrap">
                  <button
                    type="button"
                    aria-expanded={expanded}
                    aria-controls={`timeline-${iv.id}`}
                    aria-label={t("timeline.open", { time })}
                    onClick={() => toggle(iv.id)}
                    className="inline-flex items-center gap-1.5 rounded px-1 text-left tabular-nums hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:hover:bg-slate-800"
                    data-testid="audit-open-timeline"
                  >
                    <span
                      aria-hidden="true"
                      className={`inline-block text-slate-400 transition-transform ${expanded ? "rotate-90" : ""}`}
                    >
                      ▸
                    </span>
                    {time}
                  </button>
                </td>
                {showCompany ? <td className="pr-3 font-mono">{iv.companyCode}</td> : null}
                <td className="pr-3">{iv.actorName}</td>
                <td className="pr-3 whitespace-nowrap">{t(`operations.${iv.operation}`)}</td>
                <td className="pr-3 font-mono">{iv.targetAgentId}</td>
                <td className="max-w-48 truncate pr-3 font-mono text-xs" title={iv.callUuid}>
                  {iv.callUuid}
                </td>
                <td className="max-w-72 pr-3 break-words">{iv.reason || "—"}</td>
                <td className="pr-3 whitespace-nowrap" data-testid="audit-outcome">
                  <Badge tone={OUTCOME_TONE[iv.stage] ?? "neutral"}>
                    {isFinal(iv.stage) ? t(`outcomes.${iv.stage}`) : t("outcomes.in_progress")}
                  </Badge>
                  {isFinal(iv.stage) ? null : (
                    <span className="ml-1 text-xs text-slate-500">{t(`stages.${iv.stage}`)}</span>
                  )}
                </td>
                <td className="font-mono text-xs" title={iv.message}>
                  {iv.code ?? "—"}
                </td>
              </tr>
              <tr
                id={`timeline-${iv.id}`}
                hidden={!expanded}
                className="bg-slate-50 dark:bg-slate-800/40"
              >
                <td colSpan={columns} className="px-3 pt-1 pb-3">
                  <InterventionTimeline intervention={iv} />
                </td>
              </tr>
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
