import { AUDIT_ROLES, parseAuditFilters } from "@/lib/audit/filters";
import { appendAuditEvent } from "@/server/audit/log";
import { auditCsvStream, auditScope } from "@/server/audit/query";
import { requestMeta } from "@/server/auth/request-meta";
import { actorOf } from "@/server/auth/service";
import { accessRefusal, guardRoute, refusalResponse } from "@/server/auth/session";
import { localeOf } from "@/server/locale";

export const dynamic = "force-dynamic";

/**
 * The audit page's records as CSV, with the page's filters (the same search params) and the
 * reader's reach: an access to the audit log, guarded like the page. Streamed page by page. The
 * export is itself audited (who read the log out, with which filters) before a row is sent; if
 * that record cannot be written, nothing is exported.
 */
export async function GET(request: Request): Promise<Response> {
  const viewer = await guardRoute(request, { roles: AUDIT_ROLES });
  if (viewer instanceof Response) return viewer;
  const locale = localeOf(request.headers);
  const parsed = parseAuditFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return refusalResponse("invalid_input", locale);
  const { filters } = parsed;
  const refusal = accessRefusal(viewer, { roles: AUDIT_ROLES, company: filters.company });
  if (refusal) return refusalResponse(refusal, locale);
  const url = new URL(request.url);
  await appendAuditEvent({
    type: "audit.exported",
    data: { kind: filters.kind, query: url.search.slice(0, 2048) },
    actor: actorOf(viewer),
    companyCode: filters.company ?? null,
    ...requestMeta(request.headers),
  });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return new Response(auditCsvStream(auditScope(viewer, filters.company), filters, locale), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="floorwatch-audit-${filters.kind}-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
