import { AuditView } from "@/components/audit/audit-view";
import { parseAuditFilters, type TAuditFilters } from "@/lib/audit/filters";
import type { TViewer } from "@/lib/auth/viewer";
import { auditActors, auditScope, readAudit } from "@/server/audit/query";
import { assignableCompanies } from "@/server/auth/admin-companies";
import { requireViewer } from "@/server/auth/session";

const PAGE_SIZE = 50;

/**
 * The audit page, for /audit (supervisors and admins) and /admin/audit (admins, inside the
 * administration): role and company checked, filters validated, one page read within the
 * reader's reach.
 */
export async function AuditPage({
  basePath,
  roles,
  searchParams,
}: {
  basePath: string;
  roles: readonly TViewer["role"][];
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const viewer = await requireViewer({ roles });
  const parsed = parseAuditFilters(searchParams);
  const filters: TAuditFilters = parsed.ok
    ? parsed.filters
    : { kind: searchParams.kind === "events" ? "events" : "interventions" };
  // A shared link to another company's records is refused like any page of that company.
  if (filters.company !== undefined) await requireViewer({ roles, company: filters.company });
  const scope = auditScope(viewer, filters.company);
  const [page, companies, actors] = await Promise.all([
    parsed.ok ? readAudit(scope, filters, PAGE_SIZE) : undefined,
    assignableCompanies(viewer),
    auditActors(auditScope(viewer)),
  ]);
  return (
    <AuditView
      basePath={basePath}
      filters={filters}
      invalidFields={parsed.ok ? [] : parsed.fields}
      page={page}
      companies={companies}
      actors={actors}
    />
  );
}
