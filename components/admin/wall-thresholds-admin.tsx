"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { updateWallThresholdsAction } from "@/actions/update-wall-thresholds";
import { DEFAULT_WALL_THRESHOLDS, type TWallThresholds } from "@/lib/wall/types";
import type { TActionFailure } from "@/lib/errors";
import { BUTTON, BUTTON_SECONDARY, FormField, FormMessage } from "@/components/auth/form-field";
import { useHydrated } from "@/components/auth/use-hydrated";
import { Card } from "@/components/ui/card";

type TField = keyof TWallThresholds;
type TText = Record<TField, string>;

/** The form's fields in the order shown; seconds except REST (minutes). */
const FIELDS: TField[] = ["ringAmberS", "ringRedS", "talkAmberS", "talkRedS", "restMin"];

function asText(thresholds: TWallThresholds): TText {
  return Object.fromEntries(FIELDS.map((f) => [f, String(thresholds[f])])) as TText;
}

/** One form per company: when ring, talk and REST tiles turn amber and red on its walls. */
export function WallThresholdsAdmin({
  rows,
}: {
  rows: { companyCode: string; thresholds: TWallThresholds }[];
}) {
  return (
    <div className="flex flex-col gap-4" data-testid="wall-thresholds">
      {rows.map((row) => (
        <CompanyThresholds key={row.companyCode} {...row} />
      ))}
    </div>
  );
}

function CompanyThresholds({
  companyCode,
  thresholds,
}: {
  companyCode: string;
  thresholds: TWallThresholds;
}) {
  const t = useTranslations("admin.wall");
  const hydrated = useHydrated();
  const [values, setValues] = useState<TText>(() => asText(thresholds));
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<TActionFailure | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <Card title={t("company", { company: companyCode })}>
      <form
        method="post"
        noValidate
        className="flex flex-col gap-4"
        data-testid={`wall-thresholds-${companyCode}`}
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          startTransition(async () => {
            const result = await updateWallThresholdsAction({ companyCode, thresholds: values });
            if (!result.ok) {
              setFailure(result);
              return;
            }
            setFailure(null);
            setValues(asText(result.data));
            setSaved(true);
          });
        }}
      >
        {failure ? <FormMessage tone="error">{failure.message}</FormMessage> : null}
        {saved ? <FormMessage tone="success">{t("saved")}</FormMessage> : null}
        <div className="grid gap-4 md:grid-cols-5">
          {FIELDS.map((field) => (
            <FormField
              key={field}
              id={`${companyCode}-${field}`}
              name={field}
              label={t(`fields.${field}`)}
              hint={t(`hints.${field}`, {
                value: DEFAULT_WALL_THRESHOLDS[field],
                minutes: DEFAULT_WALL_THRESHOLDS[field] / 60,
              })}
              inputMode="numeric"
              maxLength={6}
              value={values[field]}
              error={failure?.fieldErrors?.[`thresholds.${field}`]}
              onChange={(event) => setValues({ ...values, [field]: event.target.value })}
            />
          ))}
        </div>
        <div className="flex gap-2">
          <button
            type="submit"
            className={BUTTON}
            disabled={pending || !hydrated}
            data-testid="wall-thresholds-save"
          >
            {t("save")}
          </button>
          <button
            type="button"
            className={BUTTON_SECONDARY}
            disabled={pending}
            onClick={() => {
              setValues(asText(DEFAULT_WALL_THRESHOLDS));
              setSaved(false);
            }}
          >
            {t("defaults")}
          </button>
        </div>
      </form>
    </Card>
  );
}
