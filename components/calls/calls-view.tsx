"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { summarize } from "@/lib/floor/view";
import type { TCallState } from "@/lib/floor/types";
import { LinkBanner } from "@/components/floor/link-banner";
import { LiveDuration } from "@/components/floor/live-duration";
import { useFloor, useFloorList } from "@/components/floor/use-floor";
import { floorLiveness } from "@/components/floor/use-floor-live";
import { useNow } from "@/components/ui/use-now";

const CALL_STYLE: Record<TCallState, { icon: string; className: string }> = {
  ringing: {
    icon: "◎",
    className: "bg-orange-200 text-orange-900 dark:bg-orange-800/70 dark:text-orange-100",
  },
  talking: { icon: "☎", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100" },
  hold: {
    icon: "⏸",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-200",
  },
  consult: {
    icon: "⇄",
    className: "bg-violet-100 text-violet-800 dark:bg-violet-900/60 dark:text-violet-200",
  },
  three_way: {
    icon: "△",
    className: "bg-teal-100 text-teal-900 dark:bg-teal-900/60 dark:text-teal-100",
  },
};

/** Every active call of one company, longest first, with live durations. */
export function CallsView({ companyCode }: { companyCode: string }) {
  const t = useTranslations("calls");
  const tf = useTranslations("floor");
  const { store, error } = useFloor(companyCode);
  const version = useFloorList(store);
  const now = useNow();
  const { calls, names, stale } = useMemo(() => {
    const agents = store.agentList;
    const list = [...store.callList].sort(
      (a, b) => (a.answeredAt ?? a.startedAt) - (b.answeredAt ?? b.startedAt),
    );
    return {
      calls: list,
      names: new Map(agents.map((a) => [a.agentId, a.name])),
      stale: summarize(agents, []).stale,
    };
  }, [store, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const { live, banner } = floorLiveness(store, now, stale);
  const offset = store.status.clockOffset;

  return (
    <div
      className="flex flex-col gap-3"
      data-testid="calls-view"
      data-live={live ? "true" : "false"}
    >
      {error ? (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-red-900"
        >
          {tf(`errors.${error}`)}
        </div>
      ) : null}
      <LinkBanner state={banner} />
      <h2 className="text-lg font-semibold" data-testid="calls-count">
        {t("count", { count: calls.length })}
      </h2>
      <div className="overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className={`w-full text-left text-sm ${live ? "" : "opacity-60"}`}>
          <thead className="border-b border-slate-200 text-xs text-slate-500 dark:border-slate-700">
            <tr>
              <th className="px-3 py-2">{t("state")}</th>
              <th className="px-3">{t("duration")}</th>
              <th className="px-3">{t("agents")}</th>
              <th className="px-3">{t("customer")}</th>
              <th className="px-3">{t("uuid")}</th>
            </tr>
          </thead>
          <tbody>
            {calls.length === 0 ? (
              <tr>
                <td colSpan={5} className="p-6 text-center text-slate-500">
                  {t("empty")}
                </td>
              </tr>
            ) : (
              calls.map((call) => (
                <tr
                  key={call.uuid}
                  data-testid="call-row"
                  data-state={call.state}
                  data-uuid={call.uuid}
                  className="border-b border-slate-100 dark:border-slate-800"
                >
                  <td className="px-3 py-1.5">
                    <span
                      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-medium ${CALL_STYLE[call.state].className}`}
                    >
                      <span aria-hidden="true">{CALL_STYLE[call.state].icon}</span>
                      {t(`states.${call.state}`)}
                    </span>
                  </td>
                  <td className="px-3">
                    <LiveDuration since={call.answeredAt ?? call.startedAt} clockOffset={offset} />
                  </td>
                  <td className="px-3">
                    {call.agentIds.map((id) => (
                      <span key={id} className="mr-2 whitespace-nowrap">
                        {names.get(id) ?? id}{" "}
                        <span className="font-mono text-xs text-slate-500">{id}</span>
                      </span>
                    ))}
                  </td>
                  <td className="px-3 font-mono" data-testid="call-customer">
                    {call.customerNumber ?? ""}
                  </td>
                  <td className="px-3 font-mono text-xs text-slate-500">{call.uuid}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
