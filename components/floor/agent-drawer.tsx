"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import type { FloorClientStore } from "@/lib/floor/client-store";
import type { TFloorAgent } from "@/lib/floor/types";
import { formatClock } from "@/lib/format/clock";
import { LiveDuration } from "./live-duration";
import { StatusBadge } from "./status-badge";
import { useFloorAgent } from "./use-floor";
import { InterventionControls } from "@/components/interventions/intervention-buttons";

const VIA_LABEL: Record<TFloorAgent["via"], "viaPoll" | "viaPush" | "viaRoster"> = {
  poll: "viaPoll",
  push: "viaPush",
  roster: "viaRoster",
};

/** What was observed of one agent: its current record and the changes seen since the page opened. */
export function AgentDrawer({
  store,
  agentId,
  clockOffset,
  skillNames,
  live,
  onClose,
}: {
  store: FloorClientStore;
  agentId: string;
  clockOffset: number;
  skillNames: Map<string, string>;
  live: boolean;
  onClose: () => void;
}) {
  const t = useTranslations("floor");
  const agent = useFloorAgent(store, agentId);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  if (!agent) return null;
  const history = store.historyOf(agentId);
  const none = t("drawer.none");
  return (
    <aside
      role="dialog"
      aria-label={t("drawer.title", { name: agent.name })}
      data-testid="agent-drawer"
      className="fixed inset-y-0 right-0 z-20 flex w-full max-w-md flex-col border-l border-slate-200 bg-white shadow-xl dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="text-lg font-semibold">{t("drawer.title", { name: agent.name })}</h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
        >
          {t("drawer.close")}
        </button>
      </header>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 px-4 py-3 text-sm">
        <dt className="text-slate-500">{t("grid.agentId")}</dt>
        <dd className="font-mono">{agent.agentId}</dd>
        <dt className="text-slate-500">{t("grid.extension")}</dt>
        <dd className="font-mono">{agent.extId}</dd>
        <dt className="text-slate-500">{t("grid.skills")}</dt>
        <dd>{agent.skills.map((s) => skillNames.get(s) ?? s).join(", ") || none}</dd>
        <dt className="text-slate-500">{t("drawer.current")}</dt>
        <dd className="flex items-center gap-2">
          <StatusBadge status={agent.status} dimmed={agent.stale} />
          {agent.subStatus ? t(`subStatus.${agent.subStatus}`) : null}
          <LiveDuration since={agent.statusSince} clockOffset={clockOffset} />
        </dd>
        <dt className="text-slate-500">{t("drawer.call")}</dt>
        <dd className="font-mono text-xs break-all">{agent.uuid ?? none}</dd>
        <dt className="text-slate-500">{t("grid.numbers")}</dt>
        <dd className="font-mono">{agent.numbers.join(", ") || none}</dd>
        <dt className="text-slate-500">{t("drawer.confirmedAt")}</dt>
        <dd>
          {formatClock(agent.confirmedAt)} · {t(`drawer.${VIA_LABEL[agent.via]}`)}
        </dd>
      </dl>
      <div
        className="border-t border-slate-200 px-4 py-3 empty:hidden dark:border-slate-800"
        data-testid="drawer-interventions"
      >
        <InterventionControls target={agent} live={live} explain />
      </div>
      <h3 className="border-t border-slate-200 px-4 pt-3 text-sm font-semibold text-slate-500 dark:border-slate-800">
        {t("drawer.history")}
      </h3>
      {history.length === 0 ? (
        <p className="px-4 py-2 text-sm text-slate-500">{t("drawer.historyEmpty")}</p>
      ) : (
        <table className="mx-4 my-2 text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">{t("drawer.time")}</th>
              <th>{t("grid.state")}</th>
              <th>{t("drawer.via")}</th>
              <th>{t("grid.numbers")}</th>
            </tr>
          </thead>
          <tbody data-testid="agent-history">
            {history.map((h, i) => (
              <tr key={`${h.at}-${i}`} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 font-mono text-xs tabular-nums">{formatClock(h.at)}</td>
                <td>
                  <StatusBadge status={h.status} dimmed={h.stale} />
                  {h.subStatus ? ` ${t(`subStatus.${h.subStatus}`)}` : ""}
                </td>
                <td>{t(`drawer.${VIA_LABEL[h.via]}`)}</td>
                <td className="font-mono text-xs">{h.numbers.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
