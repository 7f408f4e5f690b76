import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { BUTTON_SECONDARY, FormMessage } from "@/components/auth/form-field";
import { Card } from "@/components/ui/card";
import type { TAuditEvent } from "@/lib/audit/events";
import {
  AUDIT_KINDS,
  auditSearchParams,
  type TAuditCursor,
  type TAuditFilters,
} from "@/lib/audit/filters";
import type { TInterventionView } from "@/lib/interventions/types";
import { AuditFilters } from "./audit-filters";
import { EventTable } from "./event-table";
import { InterventionTable } from "./intervention-table";

/** One page of what the filters match, as the server read it. */
export type TAuditViewPage = { invalid: readonly unknown[]; next?: TAuditCursor } & (
  { kind: "interventions"; rows: TInterventionView[] } | { kind: "events"; rows: TAuditEvent[] }
);

const TAB =
  "rounded-t px-3 py-1.5 text-sm font-medium border-b-2 -mb-px aria-[current=page]:border-slate-900 aria-[current=page]:text-slate-900 dark:aria-[current=page]:border-slate-100 dark:aria-[current=page]:text-slate-100 border-transparent text-slate-500 hover:text-slate-800 dark:hover:text-slate-200";

/** The audit page: kind switch, filters, one page of results, paging and the CSV export. */
export async function AuditView({
  basePath,
  filters,
  invalidFields,
  page,
  companies,
  actors,
}: {
  basePath: string;
  filters: TAuditFilters;
  /** Search params that did not validate: the page shows why and reads nothing. */
  invalidFields: string[];
  page: TAuditViewPage | undefined;
  companies: string[];
  actors: string[];
}) {
  const t = await getTranslations("audit");
  const format = await getFormatter();
  const href = (f: TAuditFilters) => `${basePath}?${auditSearchParams(f)}`;
  const unpaged: TAuditFilters = { ...filters, cursor: undefined };
  const exportHref = `/api/audit/export?${auditSearchParams(unpaged)}`;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="text-slate-500">{t("intro")}</p>
        </div>
        {page ? (
          <a href={exportHref} download className={BUTTON_SECONDARY} data-testid="audit-export">
            {t("export")}
          </a>
        ) : null}
      </div>
      <nav
        aria-label={t("kinds.label")}
        className="flex gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {AUDIT_KINDS.map((kind) => (
          <Link
            key={kind}
            href={href({
              kind,
              company: filters.company,
              from: filters.from,
              to: filters.to,
              actor: filters.actor,
            })}
            aria-current={kind === filters.kind ? "page" : undefined}
            className={TAB}
            data-testid={`audit-kind-${kind}`}
          >
            {t(`kinds.${kind}`)}
          </Link>
        ))}
      </nav>
      <Card>
        <AuditFilters basePath={basePath} filters={filters} companies={companies} actors={actors} />
      </Card>
      {invalidFields.length > 0 ? (
        <FormMessage tone="error">
          {t("filters.invalid", {
            fields: format.list(
              invalidFields.map((field) =>
                field === "kind" ? t("kinds.label") : t(`filters.${field}`),
              ),
            ),
          })}
        </FormMessage>
      ) : null}
      {page && page.invalid.length > 0 ? (
        <p role="alert" className="text-red-700">
          {t("invalid", { count: page.invalid.length })}
        </p>
      ) : null}
      {page ? (
        <Card className="overflow-x-auto">
          {page.rows.length === 0 ? (
            <p className="text-slate-500" data-testid="audit-empty">
              {t("empty")}
            </p>
          ) : page.kind === "interventions" ? (
            <InterventionTable interventions={page.rows} showCompany={companies.length > 1} />
          ) : (
            <EventTable events={page.rows} />
          )}
        </Card>
      ) : null}
      {page && (filters.cursor || page.next) ? (
        <div className="flex gap-2">
          {filters.cursor ? (
            <Link href={href(unpaged)} className={BUTTON_SECONDARY} data-testid="audit-newest">
              {t("newest")}
            </Link>
          ) : null}
          {page.next ? (
            <Link
              href={href({ ...filters, cursor: page.next })}
              className={BUTTON_SECONDARY}
              data-testid="audit-older"
            >
              {t("older")}
            </Link>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
