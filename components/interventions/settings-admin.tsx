"use client";

import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { updateInterventionSettingsAction } from "@/actions/update-intervention-settings";
import type { TInterventionSettings } from "@/lib/interventions/types";
import { FormMessage } from "@/components/auth/form-field";
import { useHydrated } from "@/components/auth/use-hydrated";
import { Card } from "@/components/ui/card";

/** One toggle per company: a reason is required for interventions, or optional. */
export function InterventionSettingsAdmin({
  rows,
}: {
  rows: { companyCode: string; settings: TInterventionSettings }[];
}) {
  return (
    <div className="flex flex-col gap-4" data-testid="intervention-settings">
      {rows.map((row) => (
        <CompanySettings key={row.companyCode} {...row} />
      ))}
    </div>
  );
}

function CompanySettings({
  companyCode,
  settings,
}: {
  companyCode: string;
  settings: TInterventionSettings;
}) {
  const t = useTranslations("interventions.admin");
  const id = useId();
  const hydrated = useHydrated();
  const [value, setValue] = useState(settings);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string }>();
  // The switch moves at once and goes back if the change is refused.
  const toggle = (reasonRequired: boolean) => {
    const before = value;
    setValue({ ...value, reasonRequired });
    setMessage(undefined);
    startTransition(async () => {
      const result = await updateInterventionSettingsAction({ companyCode, reasonRequired });
      if (result.ok) {
        setValue(result.data);
        setMessage({ tone: "success", text: t("saved") });
      } else {
        setValue(before);
        setMessage({ tone: "error", text: result.message });
      }
    });
  };
  return (
    <Card title={t("company", { company: companyCode })}>
      <div className="flex flex-col gap-2" data-testid={`intervention-settings-${companyCode}`}>
        <div className="flex items-start gap-3">
          <input
            id={id}
            type="checkbox"
            role="switch"
            className="mt-1 h-4 w-4"
            checked={value.reasonRequired}
            disabled={pending || !hydrated}
            aria-describedby={`${id}-hint`}
            data-testid="reason-required"
            onChange={(event) => toggle(event.target.checked)}
          />
          <div>
            <label htmlFor={id} className="font-medium">
              {t("reasonRequired")}
            </label>
            <p id={`${id}-hint`} className="text-sm text-slate-500">
              {t("reasonRequiredHint")}
            </p>
          </div>
        </div>
        {message ? <FormMessage tone={message.tone}>{message.text}</FormMessage> : null}
      </div>
    </Card>
  );
}
