"use client";

import { useTranslations } from "next-intl";
import { memo, useMemo } from "react";
import type { TFeedEntry } from "@/lib/floor/client-store";
import { formatClock } from "@/lib/format/clock";
import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import { STATUS_STYLE } from "./status-badge";

/** Lines shown; the store keeps more for nothing else. */
const SHOWN = 40;

const FeedLine = memo(function FeedLine({
  entry,
  labels,
  onOpen,
}: {
  entry: TFeedEntry;
  labels: Record<TAgentStatus, string>;
  onOpen: (agentId: string) => void;
}) {
  const t = useTranslations("floor");
  return (
    <li className="border-b border-slate-100 px-3 py-1 dark:border-slate-800">
      <button type="button" className="w-full text-left" onClick={() => onOpen(entry.agentId)}>
        <span className="mr-2 font-mono text-xs text-slate-500 tabular-nums">
          {formatClock(entry.at)}
        </span>
        {t("feed.change", {
          name: entry.name,
          from: entry.from ? labels[entry.from] : "—",
          to: labels[entry.to],
        })}
      </button>
    </li>
  );
});

/**
 * The latest status changes. At hundreds of changes a second every refresh brings a whole new
 * page of lines: lines are keyed by position so their DOM nodes are reused (text updated in
 * place, not 40 nodes removed and 40 created per refresh), and a line re-renders only when the
 * entry at its position changed.
 */
export const LiveFeed = memo(function LiveFeed({
  entries,
  onOpen,
}: {
  entries: TFeedEntry[];
  onOpen: (agentId: string) => void;
}) {
  const t = useTranslations("floor");
  const labels = useMemo(
    () =>
      Object.fromEntries(
        AGENT_STATUSES.map((s) => [s, `${STATUS_STYLE[s].icon} ${t(`status.${s}`)}`]),
      ) as Record<TAgentStatus, string>,
    [t],
  );
  return (
    // The panel takes the column's height and the list fills it (absolutely positioned: a flex
    // item cannot be a relayout boundary), so the list's size never depends on its lines. With
    // `contain: strict` a refresh that rewrites its 40 lines lays out the list alone, not the
    // whole page (it was the largest layout of every list refresh in a bench:browser trace).
    <section
      aria-label={t("feed.title")}
      className="flex min-h-0 flex-1 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="border-b border-slate-200 px-3 py-2 text-sm font-semibold text-slate-500 dark:border-slate-700">
        {t("feed.title")}
      </h2>
      {entries.length === 0 ? (
        <p className="p-3 text-sm text-slate-500">{t("feed.empty")}</p>
      ) : (
        <div className="relative min-h-0 flex-1">
          <ol
            data-testid="live-feed"
            className="absolute inset-0 overflow-auto text-sm"
            style={{ contain: "strict" }}
          >
            {entries.slice(0, SHOWN).map((entry, i) => (
              // Keyed by position on purpose (see above).
              <FeedLine key={i} entry={entry} labels={labels} onOpen={onOpen} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
});
