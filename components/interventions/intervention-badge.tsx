"use client";

import { useTranslations } from "next-intl";
import type { TInterventionView } from "@/lib/interventions/types";

/** An intervention in progress: who, which operation, which stage. */
export function InterventionBadge({ view }: { view: TInterventionView }) {
  const t = useTranslations("interventions");
  const values = {
    name: view.actorName,
    operation: t(`operations.${view.operation}`),
    stage: t(`stages.${view.stage}`),
  };
  return (
    <span
      data-testid="intervention-badge"
      data-intervention-id={view.id}
      data-operation={view.operation}
      data-stage={view.stage}
      title={t("badge.title", values)}
      className="inline-flex max-w-full min-w-0 flex-col rounded bg-fuchsia-100 px-1.5 py-0.5 text-[11px] leading-tight text-fuchsia-900 dark:bg-fuchsia-900/60 dark:text-fuchsia-100"
    >
      <span className="truncate font-medium">
        <span aria-hidden="true" className="mr-0.5 inline-block animate-pulse">
          ⚡
        </span>
        {t("badge.what", values)}
      </span>
      <span className="truncate">{t("badge.by", values)}</span>
    </span>
  );
}
