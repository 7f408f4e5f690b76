"use client";

import { useTranslations } from "next-intl";
import { memo, useMemo } from "react";
import { summarize } from "@/lib/floor/view";
import type { FloorClientStore } from "@/lib/floor/client-store";
import type { TCallState, TFloorCall } from "@/lib/floor/types";
import type { TPrincipal } from "@/lib/interventions/availability";
import type { InterventionClientStore } from "@/lib/interventions/client-store";
import { LinkBanner } from "@/components/floor/link-banner";
import { LiveDuration } from "@/components/floor/live-duration";
import { useFloor, useFloorAgent, useFloorList } from "@/components/floor/use-floor";
import { floorLiveness } from "@/components/floor/use-floor-live";
import { useNow } from "@/components/ui/use-now";
import { InterventionBadge } from "@/components/interventions/intervention-badge";
import { InterventionControls } from "@/components/interventions/intervention-buttons";
import { InterventionsProvider } from "@/components/interventions/interventions-provider";
import {
  useActiveForCall,
  useInterventionsLive,
} from "@/components/interventions/use-interventions";

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

/**
 * Every active call of one company, longest first, with live durations; for principals who may
 * intervene, force hang-up and take over per agent on the call.
 */
export function CallsView({
  companyCode,
  principal,
}: {
  companyCode: string;
  principal?: TPrincipal | undefined;
}) {
  const t = useTranslations("calls");
  const tf = useTranslations("floor");
  const ti = useTranslations("interventions");
  const interventions = useInterventionsLive(companyCode, principal);
  const { store, error } = useFloor(companyCode, interventions?.attach);
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

  const view = (
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
              {interventions ? <th className="px-3">{ti("actionsColumn")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {calls.length === 0 ? (
              <tr>
                <td colSpan={interventions ? 6 : 5} className="p-6 text-center text-slate-500">
                  {t("empty")}
                </td>
              </tr>
            ) : (
              calls.map((call) => (
                <CallRow
                  key={call.uuid}
                  call={call}
                  names={names}
                  floor={store}
                  offset={offset}
                  live={live}
                  interventions={interventions?.store}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
  if (!interventions || !principal) return view;
  return (
    <InterventionsProvider
      companyCode={companyCode}
      principal={principal}
      store={interventions.store}
      floor={store}
      live={live}
      clockOffset={offset}
    >
      {view}
    </InterventionsProvider>
  );
}

const CallRow = memo(function CallRow({
  call,
  names,
  floor,
  offset,
  live,
  interventions,
}: {
  call: TFloorCall;
  names: Map<string, string>;
  floor: FloorClientStore;
  offset: number;
  live: boolean;
  /** The company's interventions, for principals who may intervene. */
  interventions: InterventionClientStore | undefined;
}) {
  const t = useTranslations("calls");
  return (
    <tr
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
            {names.get(id) ?? id} <span className="font-mono text-xs text-slate-500">{id}</span>
          </span>
        ))}
      </td>
      <td className="px-3 font-mono" data-testid="call-customer">
        {call.customerNumber ?? ""}
      </td>
      <td className="px-3 font-mono text-xs text-slate-500">{call.uuid}</td>
      {interventions ? (
        <td className="px-3 py-1" data-testid="call-actions">
          <CallInterventions
            call={call}
            names={names}
            floor={floor}
            store={interventions}
            live={live}
          />
        </td>
      ) : null}
    </tr>
  );
});

/** The badge of the intervention in progress on the call, or the buttons per agent on it. */
function CallInterventions({
  call,
  names,
  floor,
  store,
  live,
}: {
  call: TFloorCall;
  names: Map<string, string>;
  floor: FloorClientStore;
  store: InterventionClientStore;
  live: boolean;
}) {
  const active = useActiveForCall(store, call.uuid);
  if (active) return <InterventionBadge view={active} />;
  return (
    <div className="flex flex-col gap-1">
      {call.agentIds.map((id) => (
        <CallAgentControls
          key={id}
          agentId={id}
          name={call.agentIds.length > 1 ? (names.get(id) ?? id) : undefined}
          callUuid={call.uuid}
          floor={floor}
          live={live}
        />
      ))}
    </div>
  );
}

function CallAgentControls({
  agentId,
  name,
  callUuid,
  floor,
  live,
}: {
  agentId: string;
  /** Shown when the call has several agents, to say whose buttons these are. */
  name: string | undefined;
  callUuid: string;
  floor: FloorClientStore;
  live: boolean;
}) {
  const agent = useFloorAgent(floor, agentId);
  if (!agent) return null;
  return (
    <span className="flex items-center gap-2 whitespace-nowrap" data-agent-id={agentId}>
      {name ? <span className="text-xs text-slate-500">{name}</span> : null}
      <InterventionControls target={agent} callUuid={callUuid} live={live} />
    </span>
  );
}
