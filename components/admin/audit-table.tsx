import { getFormatter, getTranslations } from "next-intl/server";
import type { TAuditEvent } from "@/lib/audit/events";

/** The event's own fields, compact: `key=value` pairs (settings objects flattened one level). */
function details(event: TAuditEvent): string {
  return Object.entries(event.data)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`,
    )
    .join("  ");
}

export async function AuditTable({ events }: { events: TAuditEvent[] }) {
  const t = await getTranslations("admin.audit");
  const format = await getFormatter();
  if (events.length === 0) return <p className="text-slate-500">{t("empty")}</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="audit-table">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1 pr-4">{t("time")}</th>
          <th className="pr-4">{t("type")}</th>
          <th className="pr-4">{t("actor")}</th>
          <th className="pr-4">{t("company")}</th>
          <th className="pr-4">{t("from")}</th>
          <th>{t("details")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr
            key={event.id}
            className="border-t border-slate-100 align-top dark:border-slate-800"
            data-testid="audit-row"
            data-type={event.type}
          >
            <td className="py-1.5 pr-4 whitespace-nowrap tabular-nums">
              {format.dateTime(event.at, { dateStyle: "short", timeStyle: "medium" })}
            </td>
            <td className="pr-4 whitespace-nowrap">{t(`types.${event.type}`)}</td>
            <td className="pr-4">
              {event.actor.kind === "anonymous"
                ? t("anonymous")
                : event.actor.kind === "system"
                  ? t("system")
                  : (event.actor.name ?? event.actor.id)}
            </td>
            <td className="pr-4 font-mono">{event.companyCode ?? "—"}</td>
            <td className="pr-4 font-mono text-xs" title={event.userAgent ?? undefined}>
              {event.ip ?? "—"}
            </td>
            <td className="font-mono text-xs break-all text-slate-600 dark:text-slate-300">
              {details(event)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
