"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type KeyboardEvent } from "react";
import { interruptCallAction } from "@/actions/interrupt-call";
import { substituteAction } from "@/actions/substitute";
import type { TActionResult } from "@/lib/errors";
import { interventionAvailability } from "@/lib/interventions/availability";
import {
  isFinal,
  REASON_MAX,
  type TInterventionInput,
  type TInterventionView,
  type TOperation,
} from "@/lib/interventions/types";
import { BUTTON_SECONDARY, FormMessage } from "@/components/auth/form-field";
import { Badge } from "@/components/ui/badge";
import { LiveDuration } from "@/components/floor/live-duration";
import { useFloorAgent } from "@/components/floor/use-floor";
import { newIdempotencyKey } from "./idempotency-key";
import { STAGE_TONE, useUnavailableText } from "./labels";
import { Modal } from "./modal";
import {
  useActiveForCall,
  useIntervention,
  useInterventionSettings,
  type TInterventionRequest,
  type TInterventionsContext,
} from "./use-interventions";

const SEND: Record<
  TOperation,
  (input: TInterventionInput) => Promise<TActionResult<TInterventionView>>
> = {
  interrupt_call: interruptCallAction,
  substitute: substituteAction,
};

const CONFIRM_STYLE: Record<TOperation, string> = {
  interrupt_call: "bg-red-700 hover:bg-red-600 text-white",
  substitute: "bg-sky-700 hover:bg-sky-600 text-white",
};

type TOutcome = { kind: "refused"; message: string } | { kind: "network" } | undefined;

/**
 * Confirms one intervention: what, on whom, which call, the numbers and the time so far, and a
 * reason. The idempotency key is made when the dialog opens and sent with every submit of it, so
 * a double click or a retry is carried out once. Once sent it follows the intervention's stages.
 */
export function ConfirmDialog({
  context,
  request,
  live,
  clockOffset,
  onClose,
}: {
  context: TInterventionsContext;
  request: TInterventionRequest;
  live: boolean;
  clockOffset: number;
  onClose: () => void;
}) {
  const t = useTranslations("interventions");
  const why = useUnavailableText();
  const ids = { title: useId(), explain: useId(), reason: useId(), count: useId() };
  const { operation, agentId, callUuid } = request;
  const [idempotencyKey] = useState(newIdempotencyKey);
  const agent = useFloorAgent(context.floor, agentId);
  // The call's start does not move: read once when the dialog opens.
  const [since] = useState(() => {
    const call = context.floor.callList.find((c) => c.uuid === callUuid);
    return call?.answeredAt ?? call?.startedAt ?? context.floor.getAgent(agentId)?.statusSince;
  });
  const [name] = useState(() => context.floor.getAgent(agentId)?.name ?? agentId);
  const [numbers] = useState(() => context.floor.getAgent(agentId)?.numbers ?? []);
  const settings = useInterventionSettings(context.store);
  const onCall = useActiveForCall(context.store, callUuid);
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState(false);
  const [sentId, setSentId] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<TOutcome>();
  const [missingReason, setMissingReason] = useState(false);
  const sent = useIntervention(context.store, sentId);

  const reasonRequired = settings?.reasonRequired ?? false;
  const availability = interventionAvailability({
    operation,
    principal: context.principal,
    companyCode: context.companyCode,
    seat: context.seat,
    target: agent,
    callUuid,
    live,
    active: onCall && onCall.id !== sentId ? onCall : undefined,
  });
  const done = sent !== undefined;

  const submit = async () => {
    if (pending || done || !availability.enabled) return;
    if (reasonRequired && reason.trim() === "") {
      setMissingReason(true);
      return;
    }
    setPending(true);
    setOutcome(undefined);
    try {
      const result = await SEND[operation]({
        companyCode: context.companyCode,
        targetAgentId: agentId,
        callUuid,
        reason: reason.trim(),
        idempotencyKey,
      });
      if (result.ok) {
        context.store.upsert(result.data);
        setSentId(result.data.id);
      } else {
        // The company's setting changed since the page loaded it: say so from now on.
        if (result.code === "reason_required") context.store.setSettings({ reasonRequired: true });
        setOutcome({
          kind: "refused",
          message: result.fieldErrors?.reason ?? result.message,
        });
      }
    } catch {
      setOutcome({ kind: "network" });
    } finally {
      setPending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== "Enter" || event.nativeEvent.isComposing) return;
    const target = event.target as HTMLElement;
    if (target instanceof HTMLButtonElement) return; // Enter on a button presses that button.
    if (target instanceof HTMLTextAreaElement && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    if (!done) void submit();
  };

  const blocked = !done && !availability.enabled ? why(availability) : undefined;
  return (
    <Modal
      labelledBy={ids.title}
      describedBy={ids.explain}
      onClose={onClose}
      testId="intervention-dialog"
    >
      <form
        noValidate
        data-operation={operation}
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        className="flex flex-col gap-4 p-5"
      >
        <header>
          <h2 id={ids.title} className="text-lg font-semibold">
            {t(`operations.${operation}`)}
          </h2>
          <p id={ids.explain} className="text-sm text-slate-600 dark:text-slate-300">
            {t(`dialog.explain.${operation}`)}
          </p>
        </header>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">{t("dialog.agent")}</dt>
          <dd data-testid="dialog-agent">{t("dialog.agentValue", { name, agentId })}</dd>
          <dt className="text-slate-500">{t("dialog.call")}</dt>
          <dd className="font-mono text-xs break-all" data-testid="dialog-call">
            {callUuid}
          </dd>
          <dt className="text-slate-500">{t("dialog.numbers")}</dt>
          <dd className="font-mono" data-testid="dialog-numbers">
            {numbers.join(", ") || t("dialog.none")}
          </dd>
          <dt className="text-slate-500">{t("dialog.duration")}</dt>
          <dd data-testid="dialog-duration">
            {since === undefined ? (
              t("dialog.none")
            ) : (
              <LiveDuration since={since} clockOffset={clockOffset} />
            )}
          </dd>
        </dl>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.reason} className="text-sm font-medium">
            {reasonRequired ? t("dialog.reasonRequired") : t("dialog.reasonOptional")}
          </label>
          <textarea
            id={ids.reason}
            name="reason"
            data-testid="dialog-reason"
            rows={3}
            maxLength={REASON_MAX}
            required={reasonRequired}
            aria-required={reasonRequired}
            aria-invalid={missingReason ? true : undefined}
            aria-describedby={ids.count}
            readOnly={done}
            autoFocus
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              setMissingReason(false);
            }}
            className="w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
          />
          <p id={ids.count} className="flex justify-between text-xs text-slate-500">
            <span>{t("dialog.keys")}</span>
            <span className="tabular-nums">
              {t("dialog.reasonCount", { count: reason.length, max: REASON_MAX })}
            </span>
          </p>
          {missingReason ? (
            <p className="text-sm text-red-700 dark:text-red-400" role="alert">
              {t("dialog.reasonMissing")}
            </p>
          ) : null}
        </div>
        <Result sent={sent} outcome={outcome} blocked={blocked} />
        <footer className="flex justify-end gap-2">
          <button type="button" className={BUTTON_SECONDARY} onClick={onClose}>
            {done ? t("dialog.close") : t("dialog.cancel")}
          </button>
          {done ? null : (
            <button
              type="submit"
              data-testid="dialog-confirm"
              disabled={pending || !availability.enabled}
              className={`inline-flex items-center justify-center rounded px-4 py-2 text-sm font-medium disabled:opacity-50 ${CONFIRM_STYLE[operation]}`}
            >
              {pending ? t("dialog.sending") : t(`dialog.confirm.${operation}`)}
            </button>
          )}
        </footer>
      </form>
    </Modal>
  );
}

function Result({
  sent,
  outcome,
  blocked,
}: {
  sent: TInterventionView | undefined;
  outcome: TOutcome;
  blocked: string | undefined;
}) {
  const t = useTranslations("interventions");
  if (sent) {
    const failed = sent.stage === "failed" || sent.stage === "interrupted";
    return (
      <div
        role="status"
        aria-live="polite"
        data-testid="dialog-result"
        data-intervention-id={sent.id}
        data-stage={sent.stage}
        data-final={isFinal(sent.stage) ? "true" : "false"}
        className="flex flex-col gap-1 text-sm"
      >
        <span>
          <Badge tone={STAGE_TONE[sent.stage]}>
            {t("dialog.stage", { stage: t(`stages.${sent.stage}`) })}
          </Badge>
        </span>
        {sent.message || sent.code ? (
          <span className={failed ? "text-red-700 dark:text-red-300" : "text-slate-600"}>
            {[sent.code, sent.message].filter(Boolean).join(": ")}
          </span>
        ) : null}
      </div>
    );
  }
  if (outcome?.kind === "refused") return <FormMessage tone="error">{outcome.message}</FormMessage>;
  if (outcome?.kind === "network")
    return <FormMessage tone="error">{t("dialog.networkError")}</FormMessage>;
  if (blocked)
    return (
      <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="dialog-blocked">
        {t("dialog.notAvailable", { why: blocked })}
      </p>
    );
  return null;
}
