"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { TAvailability } from "@/lib/interventions/availability";
import { ZAgentStatus } from "@/lib/protocol/states";
import type { TInterventionView, TStage } from "@/lib/interventions/types";
import type { TBadgeTone } from "@/components/ui/badge";

/** How a stage looks: in progress, or one of the outcomes. */
export const STAGE_TONE: Record<TStage, TBadgeTone> = {
  requested: "neutral",
  sent: "neutral",
  acked: "neutral",
  failed: "bad",
  confirmed: "good",
  unconfirmed: "warn",
  interrupted: "bad",
};

/** An agent state's label, or "unknown" for a value the floor does not know. */
export function useStatusLabel(): (status: string | undefined) => string {
  const tf = useTranslations("floor.status");
  const t = useTranslations("interventions.seat");
  return useCallback(
    (status) => {
      const known = ZAgentStatus.safeParse(status);
      return known.success ? tf(known.data) : (status ?? t("unknownStatus")) || t("unknownStatus");
    },
    [tf, t],
  );
}

/** Why a button is disabled, in the user's language (undefined when it is enabled). */
export function useUnavailableText(): (availability: TAvailability) => string | undefined {
  const t = useTranslations("interventions");
  const statusLabel = useStatusLabel();
  return useCallback(
    (availability) => {
      if (availability.enabled) return undefined;
      const values = availability.values ?? {};
      switch (availability.reason) {
        case "in_progress":
          return t("unavailable.in_progress", {
            name: values.name ?? "",
            operation: t(`operations.${values.operation as TInterventionView["operation"]}`),
            stage: t(`stages.${values.stage as TStage}`),
          });
        case "seat_not_ready":
          return t("unavailable.seat_not_ready", { status: statusLabel(values.status) });
        default:
          return t(`unavailable.${availability.reason}`);
      }
    },
    [t, statusLabel],
  );
}
