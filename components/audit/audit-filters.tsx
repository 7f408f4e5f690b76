import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { BUTTON, BUTTON_SECONDARY } from "@/components/auth/form-field";
import {
  ACCOUNT_EVENT_TYPES,
  AUDIT_TIME_ZONE,
  OUTCOME_FILTERS,
  zonedInputValue,
  type TAuditFilters,
} from "@/lib/audit/filters";
import { OPERATIONS } from "@/lib/interventions/types";

const CONTROL =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

/**
 * The filters as a plain GET form: applying them is a navigation, so the URL holds the view and
 * can be shared. Fields that do not apply to the kind shown are left out.
 */
export async function AuditFilters({
  basePath,
  filters,
  companies,
  actors,
}: {
  basePath: string;
  filters: TAuditFilters;
  /** The reader's companies when there is a choice; empty when they have one. */
  companies: string[];
  actors: string[];
}) {
  const t = await getTranslations("audit.filters");
  const tAudit = await getTranslations("audit");
  const tTypes = await getTranslations("admin.audit.types");
  const time = (date: Date | undefined) => (date ? zonedInputValue(date, AUDIT_TIME_ZONE) : "");
  return (
    <form
      method="get"
      action={basePath}
      aria-label={t("label")}
      className="flex flex-col gap-3"
      data-testid="audit-filters"
    >
      <input type="hidden" name="kind" value={filters.kind} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {companies.length > 1 ? (
          <Field label={t("company")} name="company">
            <select
              id="audit-company"
              name="company"
              defaultValue={filters.company ?? ""}
              className={CONTROL}
            >
              <option value="">{t("allCompanies")}</option>
              {companies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label={t("from")} name="from">
          <input
            id="audit-from"
            type="datetime-local"
            name="from"
            defaultValue={time(filters.from)}
            className={CONTROL}
          />
        </Field>
        <Field label={t("to")} name="to">
          <input
            id="audit-to"
            type="datetime-local"
            name="to"
            defaultValue={time(filters.to)}
            className={CONTROL}
          />
        </Field>
        <Field
          label={filters.kind === "interventions" ? t("actor") : t("actorEvents")}
          name="actor"
        >
          <input
            id="audit-actor"
            name="actor"
            list="audit-actors"
            autoComplete="off"
            defaultValue={filters.actor ?? ""}
            className={CONTROL}
          />
          <datalist id="audit-actors">
            {actors.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </Field>
        {filters.kind === "interventions" ? (
          <>
            <Field label={t("target")} name="target">
              <input
                id="audit-target"
                name="target"
                defaultValue={filters.target ?? ""}
                className={`${CONTROL} font-mono`}
              />
            </Field>
            <Field label={t("call")} name="call">
              <input
                id="audit-call"
                name="call"
                defaultValue={filters.call ?? ""}
                className={`${CONTROL} font-mono`}
              />
            </Field>
            <Field label={t("operation")} name="operation">
              <select
                id="audit-operation"
                name="operation"
                defaultValue={filters.operation ?? ""}
                className={CONTROL}
              >
                <option value="">{t("any")}</option>
                {OPERATIONS.map((op) => (
                  <option key={op} value={op}>
                    {tAudit(`operations.${op}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("outcome")} name="outcome">
              <select
                id="audit-outcome"
                name="outcome"
                defaultValue={filters.outcome ?? ""}
                className={CONTROL}
              >
                <option value="">{t("any")}</option>
                {OUTCOME_FILTERS.map((outcome) => (
                  <option key={outcome} value={outcome}>
                    {tAudit(`outcomes.${outcome}`)}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : (
          <Field label={t("type")} name="type">
            <select
              id="audit-type"
              name="type"
              defaultValue={filters.type ?? ""}
              className={CONTROL}
            >
              <option value="">{t("any")}</option>
              {ACCOUNT_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {tTypes(type)}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={BUTTON} data-testid="audit-apply">
          {t("apply")}
        </button>
        <Link
          href={`${basePath}?kind=${filters.kind}`}
          className={BUTTON_SECONDARY}
          data-testid="audit-reset"
        >
          {t("reset")}
        </Link>
        <p className="text-xs text-slate-500">{t("zone", { zone: AUDIT_TIME_ZONE })}</p>
      </div>
    </form>
  );
}

function Field({ label, name, children }: { label: string; name: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label
        htmlFor={`audit-${name}`}
        className="text-xs font-medium text-slate-600 dark:text-slate-300"
      >
        {label}
      </label>
      {children}
    </div>
  );
}
