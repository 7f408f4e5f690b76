"use client";

import { useTranslations } from "next-intl";
import type { TAgentStatus } from "@/lib/protocol/states";

/** Colour, icon and label per state: never colour alone (colour-blind supervisors, wall displays). */
export const STATUS_STYLE: Record<TAgentStatus, { icon: string; className: string }> = {
  OFFLINE: {
    icon: "○",
    className: "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200",
  },
  FREE: {
    icon: "●",
    className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200",
  },
  BUSY: {
    icon: "◆",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-200",
  },
  REST: {
    icon: "◐",
    className: "bg-violet-100 text-violet-800 dark:bg-violet-900/60 dark:text-violet-200",
  },
  RINGING: {
    icon: "◎",
    className: "bg-orange-200 text-orange-900 dark:bg-orange-800/70 dark:text-orange-100",
  },
  CALLING: { icon: "☎", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100" },
  ARRANGE: {
    icon: "✎",
    className: "bg-teal-100 text-teal-900 dark:bg-teal-900/60 dark:text-teal-100",
  },
};

export function StatusBadge({
  status,
  dimmed = false,
}: {
  status: TAgentStatus;
  dimmed?: boolean;
}) {
  const t = useTranslations("floor.status");
  const style = STATUS_STYLE[status];
  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-sm font-medium whitespace-nowrap ${style.className} ${dimmed ? "opacity-50 grayscale" : ""}`}
    >
      <span aria-hidden="true">{style.icon}</span>
      {t(status)}
    </span>
  );
}
