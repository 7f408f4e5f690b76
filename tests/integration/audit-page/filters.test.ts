import { describe, expect, it } from "vitest";
import { auditSearchParams, parseAuditFilters } from "@/lib/audit/filters";

/**
 * [AUDIT] The URL's filters (lib/audit/filters.ts), as the page and the export read them. Pure,
 * but kept beside the audit page's other tests.
 */
describe("[AUDIT] filters in the URL", () => {
  it("a time from the form is on the pages' clock (Asia/Shanghai); an ISO time keeps its offset", () => {
    const local = parseAuditFilters(
      new URLSearchParams("from=2026-11-30T10:00&to=2026-11-30T18:30:15"),
    );
    expect(local.ok && local.filters.from?.toISOString()).toBe("2026-11-30T02:00:00.000Z");
    expect(local.ok && local.filters.to?.toISOString()).toBe("2026-11-30T10:30:15.000Z");
    const iso = parseAuditFilters({ from: "2026-11-30T10:00:00Z" });
    expect(iso.ok && iso.filters.from?.toISOString()).toBe("2026-11-30T10:00:00.000Z");
  });

  it("empty fields are no filter; fields of the other view are dropped", () => {
    const parsed = parseAuditFilters(
      new URLSearchParams("kind=events&actor=&target=90001_1&outcome=failed&type=logout"),
    );
    expect(parsed).toEqual({ ok: true, filters: { kind: "events", type: "logout" } });
    const interventions = parseAuditFilters({ call: "  abc  ", type: "logout" });
    expect(interventions).toEqual({
      ok: true,
      filters: {
        kind: "interventions",
        call: "abc",
        target: undefined,
        operation: undefined,
        outcome: undefined,
      },
    });
  });

  it.each([
    ["an unknown outcome", "outcome=won", ["outcome"]],
    ["an unknown operation", "operation=barge", ["operation"]],
    ["an intervention stage as event type", "kind=events&type=intervention.sent", ["type"]],
    ["a day that does not exist", "from=2026-02-30T10:00", ["from"]],
    ["an end before the start", "from=2026-11-30T10:00&to=2026-11-30T09:00", ["to"]],
    ["a repeated field", "actor=a&actor=b", ["actor"]],
    ["a malformed cursor", "cursor=abc", ["cursor"]],
    ["an event cursor that is not a number", "kind=events&cursor=1700000000000_iv-1", ["cursor"]],
    ["an unknown kind", "kind=calls", ["kind"]],
  ])("%s is refused, naming the field", (_name, query, fields) => {
    expect(parseAuditFilters(new URLSearchParams(query))).toEqual({ ok: false, fields });
  });

  it("the search params of parsed filters give the same filters back", () => {
    const query =
      "kind=interventions&company=90001&from=2026-11-30T10:00&to=2026-11-30T18:30:15.250&actor=sup1&target=90001_20001&call=c-1&operation=substitute&outcome=in_progress&cursor=1764468000000_iv-010";
    const first = parseAuditFilters(new URLSearchParams(query));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(auditSearchParams(first.filters).toString()).toBe(new URLSearchParams(query).toString());
    expect(parseAuditFilters(auditSearchParams(first.filters))).toEqual(first);
  });
});
