import { z } from "zod";
import { AUDIT_EVENT_TYPES } from "./events";
import { ZOperation, type TOperation } from "@/lib/interventions/types";

/** Who reads the audit page and its export: within their reach (server/audit/query.ts). */
export const AUDIT_ROLES = ["supervisor", "admin"] as const;

/**
 * The audit page's filters, as they travel in the URL (the page and the CSV export read the same
 * search params, so a filtered view can be shared). Validated on the server; an empty field is
 * no filter.
 */
export const AUDIT_KINDS = ["interventions", "events"] as const;
export type TAuditKind = (typeof AUDIT_KINDS)[number];

/** An intervention's outcome, or `in_progress` for one without an outcome yet. */
export const OUTCOME_FILTERS = [
  "confirmed",
  "unconfirmed",
  "failed",
  "interrupted",
  "in_progress",
] as const;
export type TOutcomeFilter = (typeof OUTCOME_FILTERS)[number];

/** The "sign-ins and admin" view: every event that is not a stage of an intervention. */
export const ACCOUNT_EVENT_TYPES = AUDIT_EVENT_TYPES.filter(
  (type) => !type.startsWith("intervention."),
) as [string, ...string[]];

/**
 * The zone the pages show times in (server/i18n/request.ts): a time typed in the filter form, and
 * the times of the CSV export, are in it.
 */
export const AUDIT_TIME_ZONE = "Asia/Shanghai";

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** `2026-11-30T10:00` (the form's datetime-local, in AUDIT_TIME_ZONE) or an ISO time with offset. */
export const ZAuditTime = z.string().transform((text, ctx) => {
  const date = LOCAL_TIME.test(text)
    ? zonedToDate(text, AUDIT_TIME_ZONE)
    : z.iso.datetime({ offset: true }).safeParse(text).success
      ? new Date(text)
      : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: "time" });
    return z.NEVER;
  }
  return date;
});

/** Where the next page starts: the last row's time (epoch ms) and id, `<ms>_<id>`. */
export const ZAuditCursor = z
  .string()
  .regex(/^\d{1,15}_[\w-]{1,64}$/)
  .transform((text) => {
    const split = text.indexOf("_");
    return { at: new Date(Number(text.slice(0, split))), id: text.slice(split + 1) };
  });
export type TAuditCursor = z.output<typeof ZAuditCursor>;

export function cursorText(cursor: TAuditCursor): string {
  return `${cursor.at.getTime()}_${cursor.id}`;
}

/** A search param: trimmed, and empty means absent. Repeated params are refused (not strings). */
function param<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema.optional());
}

export const ZAuditFilters = z
  .object({
    kind: param(z.enum(AUDIT_KINDS)),
    company: param(z.string().max(32)),
    from: param(ZAuditTime),
    to: param(ZAuditTime),
    /** The username of who did it (the supervisor, for interventions). */
    actor: param(z.string().max(64)),
    target: param(z.string().max(64)),
    call: param(z.string().max(128)),
    operation: param(ZOperation),
    outcome: param(z.enum(OUTCOME_FILTERS)),
    type: param(z.enum(ACCOUNT_EVENT_TYPES)),
    cursor: param(ZAuditCursor),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { path: ["to"], message: "before_from" })
  // Events are numbered: their cursor's id is the event's.
  .refine((f) => f.kind !== "events" || !f.cursor || /^\d+$/.test(f.cursor.id), {
    path: ["cursor"],
  })
  .transform(
    ({
      kind = "interventions",
      target,
      call,
      operation,
      outcome,
      type,
      ...common
    }): TAuditFilters =>
      kind === "interventions"
        ? { kind, ...common, target, call, operation, outcome }
        : { kind, ...common, type },
  );

interface TCommonFilters {
  company?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  actor?: string | undefined;
  cursor?: TAuditCursor | undefined;
}
export interface TInterventionFilters extends TCommonFilters {
  kind: "interventions";
  target?: string | undefined;
  call?: string | undefined;
  operation?: TOperation | undefined;
  outcome?: TOutcomeFilter | undefined;
}
export interface TEventFilters extends TCommonFilters {
  kind: "events";
  type?: string | undefined;
}
export type TAuditFilters = TInterventionFilters | TEventFilters;

type TSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** The filters of a URL's search params; the names of the params that are not valid otherwise. */
export function parseAuditFilters(
  params: TSearchParams,
): { ok: true; filters: TAuditFilters } | { ok: false; fields: string[] } {
  const parsed = ZAuditFilters.safeParse(plain(params));
  if (parsed.success) return { ok: true, filters: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "")))];
  return { ok: false, fields: fields.filter(Boolean) };
}

function plain(params: TSearchParams): Record<string, string | string[] | undefined> {
  if (!(params instanceof URLSearchParams)) return params;
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return out;
}

/** The search params that give `filters` back (times in AUDIT_TIME_ZONE, as the form writes them). */
export function auditSearchParams(filters: TAuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) params.set(key, value);
  };
  set("kind", filters.kind);
  set("company", filters.company);
  set("from", filters.from && zonedInputValue(filters.from, AUDIT_TIME_ZONE));
  set("to", filters.to && zonedInputValue(filters.to, AUDIT_TIME_ZONE));
  set("actor", filters.actor);
  if (filters.kind === "interventions") {
    set("target", filters.target);
    set("call", filters.call);
    set("operation", filters.operation);
    set("outcome", filters.outcome);
  } else {
    set("type", filters.type);
  }
  set("cursor", filters.cursor && cursorText(filters.cursor));
  return params;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/** Year, month, ... of an instant on the wall clock of `timeZone`. */
export function zonedParts(date: Date, timeZone: string): Record<string, number> {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = { millisecond: date.getUTCMilliseconds() };
  for (const part of formatter.formatToParts(date))
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  return parts;
}

const HOUR_MS = 3_600_000;

/**
 * A formatter of times as `2026-11-30 10:00:00.123` on the wall clock of `timeZone` (a form Excel
 * reads as a date and time), for many times in order: the zone's offset is looked up (Intl) once
 * per hour of UTC and used for the whole hour when it is the same at its first and its last
 * millisecond; in an hour whose offset changes (daylight saving), it is looked up for each time.
 */
export function zonedClock(timeZone: string): (epochMs: number) => string {
  let hour = Number.NaN;
  let offset: number | undefined;
  return (epochMs) => {
    const start = Math.floor(epochMs / HOUR_MS) * HOUR_MS;
    if (start !== hour) {
      hour = start;
      const first = zoneOffset(start, timeZone);
      offset = first === zoneOffset(start + HOUR_MS - 1, timeZone) ? first : undefined;
    }
    const local = new Date(epochMs + (offset ?? zoneOffset(epochMs, timeZone)));
    return `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}.${String(local.getUTCMilliseconds()).padStart(3, "0")}`;
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `epochMs`, in ms. */
function zoneOffset(epochMs: number, timeZone: string): number {
  const p = zonedParts(new Date(epochMs), timeZone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second, p.millisecond);
  return wall - epochMs;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DDTHH:mm` (with seconds and ms when not zero) on the wall clock of `timeZone`. */
export function zonedInputValue(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, "0");
  const base = `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
  if (!p.second && !p.millisecond) return base;
  return `${base}:${two(p.second)}${p.millisecond ? `.${String(p.millisecond).padStart(3, "0")}` : ""}`;
}

/** The instant a wall-clock time `YYYY-MM-DDTHH:mm[:ss[.SSS]]` stands for in `timeZone`. */
export function zonedToDate(text: string, timeZone: string): Date | undefined {
  const m = LOCAL_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = "0", ms = "0"] = m;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, +ms.padEnd(3, "0"));
  const check = new Date(wall);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d!) return undefined;
  // The zone's offset at that moment; again at the corrected instant, for a change of offset.
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

function offsetAt(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  const wall = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
    p.millisecond ?? 0,
  );
  return wall - instant;
}
