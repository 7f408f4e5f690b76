"use client";

import { useTranslations } from "next-intl";
import type { TFeedEntry } from "@/lib/floor/client-store";
import { formatClock } from "@/lib/format/duration";
import { STATUS_STYLE } from "./status-badge";

export function LiveFeed({ entries, onOpen }: { entries: TFeedEntry[]; onOpen: (agentId: string) => void }) {
  const t = useTranslations("floor");
  return (
    <section aria-label={t("feed.title")} className="flex min-h-0 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h2 className="border-b border-slate-200 px-3 py-2 text-sm font-semibold text-slate-500 dark:border-slate-700">{t("feed.title")}</h2>
      {entries.length === 0 ? (
        <p className="p-3 text-sm text-slate-500">{t("feed.empty")}</p>
      ) : (
        <ol data-testid="live-feed" className="min-h-0 flex-1 overflow-auto text-sm">
          {entries.slice(0, 40).map((entry) => (
            <li key={entry.key} className="border-b border-slate-100 px-3 py-1 dark:border-slate-800">
              <button type="button" className="w-full text-left" onClick={() => onOpen(entry.agentId)}>
                <span className="mr-2 font-mono text-xs text-slate-500 tabular-nums">{formatClock(entry.at)}</span>
                {t("feed.change", {
                  name: entry.name,
                  from: entry.from ? `${STATUS_STYLE[entry.from].icon} ${t(`status.${entry.from}`)}` : "—",
                  to: `${STATUS_STYLE[entry.to].icon} ${t(`status.${entry.to}`)}`,
                })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
