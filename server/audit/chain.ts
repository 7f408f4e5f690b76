import "server-only";
import { hash } from "node:crypto";
import type { TAuditEventInput } from "@/lib/audit/events";

/**
 * The audit log's hash chain: what an event's hash covers and how it is computed. The one
 * definition used by the append path (server/audit/log.ts), the seed and the verification.
 *
 * hash = SHA-256 (hex) of the previous event's hash followed by the canonical JSON of the event's
 * stored fields below. Every stored field is covered except `id` (the position, which the chain
 * itself fixes) and `hash`/`prevHash` (the chain). Changing this list is a new chain format:
 * every existing hash would stop matching.
 */
export interface TChainedFields {
  /** ISO 8601 in UTC with milliseconds (`Date.toISOString()`); stored as Prisma writes dates. */
  at: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  companyCode: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The `data` column as stored (JSON text); hashed as the value it parses to. */
  data: string;
  interventionId: string | null;
}

/**
 * The columns of an event appended at `at` (a valid event: lib/audit/events.ts), as stored and
 * as hashed. An intervention's events also fill the interventionId column, for its timeline.
 */
export function chainedFields(event: TAuditEventInput, at: Date): TChainedFields {
  const data: Record<string, unknown> = event.data;
  return {
    at: at.toISOString(),
    type: event.type,
    actorKind: event.actor.kind,
    actorId: event.actor.id ?? null,
    actorName: event.actor.name ?? null,
    companyCode: event.companyCode,
    ip: event.ip,
    userAgent: event.userAgent,
    data: JSON.stringify(event.data),
    interventionId: typeof data.interventionId === "string" ? data.interventionId : null,
  };
}

/** A hashed time (`at`) as Prisma's SQLite adapter stores a DateTime: "+00:00" for "Z". */
export function storedTime(at: string): string {
  return at.replace("Z", "+00:00");
}

/**
 * A stored time as it was hashed. Any spelling other than Prisma's is parsed, so only the instant
 * counts; what cannot be parsed is hashed as it is (and so does not match).
 */
export function hashedTime(stored: string): string {
  if (stored.length === 29 && stored.endsWith("+00:00")) return `${stored.slice(0, 23)}Z`;
  const date = new Date(stored);
  return Number.isNaN(date.getTime()) ? stored : date.toISOString();
}

/** The prevHash of the first chained event, and the hash of events written before the chain. */
export const NO_HASH = "";

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace: RFC 8785 (JCS) for the
 * values JSON.parse returns. Strings and numbers are written by JSON.stringify, as JCS specifies.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`not a JSON number: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    let out = "";
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      out += `${out ? "," : ""}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
    }
    return `{${out}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/**
 * The hash of an event that follows `prevHash`:
 * `SHA-256(prevHash + canonicalJson({ actorId, actorKind, actorName, at, companyCode, data,
 * interventionId, ip, type, userAgent }))` as lowercase hex, `data` as the value its JSON parses
 * to (so the hash does not depend on how it was spelled). Throws when `data` is not JSON.
 *
 * The object is written here directly, its keys already in canonical order: the verification
 * hashes a million events in seconds (tests/unit/audit/chain.test.ts checks it against
 * canonicalJson of the same object).
 */
export function chainHash(prevHash: string, fields: TChainedFields): string {
  const data = canonicalJson(JSON.parse(fields.data) as unknown);
  const canonical =
    `{"actorId":${JSON.stringify(fields.actorId)},"actorKind":${JSON.stringify(fields.actorKind)}` +
    `,"actorName":${JSON.stringify(fields.actorName)},"at":${JSON.stringify(fields.at)}` +
    `,"companyCode":${JSON.stringify(fields.companyCode)},"data":${data}` +
    `,"interventionId":${JSON.stringify(fields.interventionId)},"ip":${JSON.stringify(fields.ip)}` +
    `,"type":${JSON.stringify(fields.type)},"userAgent":${JSON.stringify(fields.userAgent)}}`;
  return hash("sha256", prevHash + canonical, "hex");
}
