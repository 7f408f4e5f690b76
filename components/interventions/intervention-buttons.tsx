"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { interventionAvailability } from "@/lib/interventions/availability";
import { OPERATIONS, type TOperation } from "@/lib/interventions/types";
import type { TAgentStatus } from "@/lib/protocol/states";
import { InterventionBadge } from "./intervention-badge";
import { useUnavailableText } from "./labels";
import {
  useActiveForAgent,
  useActiveForCall,
  useInterventions,
  type TInterventionsContext,
} from "./use-interventions";

export interface TInterventionTarget {
  agentId: string;
  status: TAgentStatus;
  uuid?: string | undefined;
  stale: boolean;
}

const BUTTON_STYLE: Record<TOperation, string> = {
  interrupt_call:
    "border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950",
  substitute:
    "border-sky-300 text-sky-800 hover:bg-sky-50 dark:border-sky-800 dark:text-sky-200 dark:hover:bg-sky-950",
};

/**
 * Force hang-up and take over for one agent's call, or the badge of the intervention in progress
 * on it. Nothing at all for principals who may not intervene. Subscribes to that agent's and
 * that call's interventions only.
 */
export function InterventionControls(props: {
  target: TInterventionTarget;
  /** The call the controls sit on (a call row); the target's own call otherwise. */
  callUuid?: string | undefined;
  live: boolean;
  /** Say why a button is disabled on screen too (the drawer), not only in its tooltip. */
  explain?: boolean;
}) {
  const context = useInterventions();
  if (!context) return null;
  return <Controls context={context} {...props} />;
}

function Controls({
  context,
  target,
  callUuid,
  live,
  explain = false,
}: {
  context: TInterventionsContext;
  target: TInterventionTarget;
  callUuid?: string | undefined;
  live: boolean;
  explain?: boolean;
}) {
  const call = callUuid ?? target.uuid;
  const onCall = useActiveForCall(context.store, call);
  const onAgent = useActiveForAgent(context.store, target.agentId);
  const targeted = onAgent && onAgent.callUuid === (call ?? onAgent.callUuid) ? onAgent : undefined;
  if (targeted) return <InterventionBadge view={targeted} />;
  return (
    <span
      className={explain ? "flex flex-col gap-2" : "inline-flex gap-1"}
      data-testid="intervention-buttons"
    >
      {OPERATIONS.map((operation) => (
        <OperationButton
          key={operation}
          context={context}
          operation={operation}
          target={target}
          callUuid={callUuid}
          live={live}
          active={onCall}
          explain={explain}
        />
      ))}
    </span>
  );
}

function OperationButton({
  context,
  operation,
  target,
  callUuid,
  live,
  active,
  explain,
}: {
  context: TInterventionsContext;
  operation: TOperation;
  target: TInterventionTarget;
  callUuid: string | undefined;
  live: boolean;
  active: ReturnType<typeof useActiveForCall>;
  explain: boolean;
}) {
  const t = useTranslations("interventions");
  const whyText = useUnavailableText();
  const id = useId();
  const availability = interventionAvailability({
    operation,
    principal: context.principal,
    companyCode: context.companyCode,
    seat: context.seat,
    target,
    callUuid,
    live,
    active,
  });
  const reason = whyText(availability);
  const label = t(`operations.${operation}`);
  const button = (
    <button
      type="button"
      data-testid={`intervene-${operation}`}
      data-enabled={availability.enabled ? "true" : "false"}
      // aria-disabled, not disabled: the button stays focusable and its reason readable.
      aria-disabled={availability.enabled ? undefined : true}
      aria-describedby={reason ? id : undefined}
      title={reason ?? label}
      onClick={(event) => {
        event.stopPropagation();
        const uuid = callUuid ?? target.uuid;
        if (availability.enabled && uuid)
          context.open({ operation, agentId: target.agentId, callUuid: uuid });
      }}
      onKeyDown={(event) => event.stopPropagation()}
      className={`rounded border font-medium whitespace-nowrap ${explain ? "px-3 py-1 text-sm" : "px-1.5 py-0.5 text-xs"} aria-disabled:cursor-not-allowed aria-disabled:border-slate-200 aria-disabled:bg-transparent aria-disabled:text-slate-400 dark:aria-disabled:border-slate-700 dark:aria-disabled:text-slate-500 ${BUTTON_STYLE[operation]}`}
    >
      {explain ? label : t(`buttons.${operation}`)}
    </button>
  );
  const why = reason ? (
    <span
      id={id}
      className={explain ? "text-xs text-slate-500" : "sr-only"}
      data-testid={`intervene-${operation}-why`}
    >
      {reason}
    </span>
  ) : null;
  if (!explain)
    return (
      <>
        {button}
        {why}
      </>
    );
  return (
    <span className="flex items-center gap-2">
      {button}
      {why}
    </span>
  );
}
