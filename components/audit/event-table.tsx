import { getFormatter, getTranslations } from "next-intl/server";
import type { TAuditEvent } from "@/lib/audit/events";

/** The event's own fields, compact: `key=value` pairs (objects as JSON). */
function details(event: TAuditEvent): string {
  return Object.entries(event.data)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`,
    )
    .join("  ");
}

/** Sign-in and admin events, one row each. */
export async function EventTable({ events }: { events: TAuditEvent[] }) {
  const t = await getTranslations("audit");
  const tTypes = await getTranslations("admin.audit.types");
  const format = await getFormatter();
  return (
    <table className="w-full text-left text-sm" data-testid="audit-events">
      <thead className="text-xs text-slate-500 uppercase">
        <tr>
          <th className="py-2 pr-3 font-medium">{t("columns.time")}</th>
          <th className="pr-3 font-medium">{t("columns.event")}</th>
          <th className="pr-3 font-medium">{t("columns.actor")}</th>
          <th className="pr-3 font-medium">{t("columns.company")}</th>
          <th className="pr-3 font-medium">{t("columns.from")}</th>
          <th className="font-medium">{t("columns.details")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr
            key={event.id}
            className="border-t border-slate-100 align-baseline dark:border-slate-800 [&>td]:py-1.5"
            data-testid="audit-event"
            data-type={event.type}
          >
            <td className="pr-3 whitespace-nowrap tabular-nums">
              {format.dateTime(event.at, { dateStyle: "short", timeStyle: "medium" })}
            </td>
            <td className="pr-3 whitespace-nowrap">{tTypes(event.type)}</td>
            <td className="pr-3">
              {event.actor.kind === "user" || event.actor.kind === "display"
                ? (event.actor.name ?? event.actor.id)
                : t(`actorKinds.${event.actor.kind}`)}
            </td>
            <td className="pr-3 font-mono">{event.companyCode ?? "—"}</td>
            <td className="pr-3 font-mono text-xs" title={event.userAgent ?? undefined}>
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
