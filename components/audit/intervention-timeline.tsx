"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { TInterventionView, TTimelineEntry } from "@/lib/interventions/types";

const STEP_TONE: Partial<Record<TTimelineEntry["stage"], string>> = {
  failed: "text-red-700 dark:text-red-400",
  confirmed: "text-emerald-700 dark:text-emerald-400",
  unconfirmed: "text-amber-700 dark:text-amber-400",
  interrupted: "text-amber-700 dark:text-amber-400",
};

/** The steps of one intervention, from its audit events: time, time since the step before, code. */
export function InterventionTimeline({ intervention }: { intervention: TInterventionView }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  if (intervention.timeline.length === 0)
    return <p className="py-2 text-sm text-slate-500">{t("timeline.empty")}</p>;
  return (
    <table className="mt-1 text-sm" data-testid="audit-timeline">
      <caption className="sr-only">{t("timeline.title")}</caption>
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="py-1 pr-6 text-left font-medium">{t("timeline.step")}</th>
          <th className="pr-6 text-left font-medium">{t("timeline.at")}</th>
          <th className="pr-6 text-right font-medium">{t("timeline.latency")}</th>
          <th className="text-left font-medium">{t("timeline.detail")}</th>
        </tr>
      </thead>
      <tbody>
        {intervention.timeline.map((entry, i) => (
          <tr key={i} data-testid="audit-step" data-stage={entry.stage}>
            <td className={`py-0.5 pr-6 font-medium ${STEP_TONE[entry.stage] ?? ""}`}>
              {entry.stage === "phone" && entry.code
                ? t(`phone.${entry.code}`)
                : t(`stages.${entry.stage}`)}
            </td>
            <td className="pr-6 whitespace-nowrap tabular-nums">
              {format.dateTime(entry.at, {
                hour: "2-digit",
                minute: "2-digit",
                second: "2-digit",
                fractionalSecondDigits: 3,
                hour12: false,
              })}
            </td>
            <td className="pr-6 text-right whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300">
              {entry.latencyMs === undefined ? "" : t("timeline.ms", { ms: entry.latencyMs })}
            </td>
            <td className="font-mono text-xs break-all text-slate-600 dark:text-slate-300">
              {entry.stage === "phone"
                ? (entry.detail ?? "")
                : [entry.code, entry.detail].filter(Boolean).join(" · ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
