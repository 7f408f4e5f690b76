import "server-only";
import { setImmediate as nextTurn } from "node:timers/promises";
import { stringify } from "csv-stringify/sync";
import { createTranslator } from "next-intl";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { TAuditEvent } from "@/lib/audit/events";
import {
  AUDIT_TIME_ZONE,
  zonedClock,
  type TAuditCursor,
  type TAuditFilters,
  type TEventFilters,
  type TInterventionFilters,
} from "@/lib/audit/filters";
import { canAccessCompany, type TViewer } from "@/lib/auth/viewer";
import { CATALOGS } from "@/lib/i18n/catalog";
import type { TLocale } from "@/lib/i18n/config";
import {
  FINAL_STAGES,
  ZInterventionView,
  ZOperation,
  ZStage,
  isFinal,
  type TInterventionView,
  type TTimelineEntry,
} from "@/lib/interventions/types";
import { interventionView } from "@/lib/interventions/view";
import { db } from "../db";
import { databaseUrl } from "../db-url";
import { openRawReader } from "../database/raw-reader";
import { indexedBy, position } from "../database/sql";
import { parseAuditRow, widerReachUserIds, type TAuditRow } from "./log";

/**
 * The audit page's reads: interventions (one row each, with the timeline of their audit events)
 * and the other events (sign-ins and admin), filtered, in keyset pages newest first, and the CSV
 * export of either. Every page is one indexed query per company partition: on SQLite the index
 * each query must use is named (INDEXED BY), so a dropped index fails loudly instead of scanning
 * a million rows; PostgreSQL's planner picks from the same indexes
 * (tests/integration/audit-page/plans.test.ts checks each plan on both).
 */

/** Whose records a reader sees: their companies (or one of them), and whether wider reach is hidden. */
export interface TAuditScope {
  companies: "all" | string[];
  /**
   * A company-scoped reader does not see what all-companies users did or what was done to them
   * (the rule of readAuditEvents in ./log.ts).
   */
  hideWiderReach: boolean;
}

export function auditScope(viewer: TViewer, company?: string): TAuditScope {
  if (company !== undefined && !canAccessCompany(viewer, company))
    throw new Error(`company ${company} is outside the reader's reach`);
  return {
    companies: company !== undefined ? [company] : viewer.companies,
    hideWiderReach: viewer.companies !== "all",
  };
}

export interface TInvalidRow {
  id: string;
  type: string;
  issue: string;
}

export interface TAuditPage<T> {
  rows: T[];
  /** Rows that no longer match their schema: reported, never silently dropped. */
  invalid: TInvalidRow[];
  /** Where the next (older) page starts; none on the last page. */
  next?: TAuditCursor;
}

export type TAuditResult =
  | ({ kind: "interventions" } & TAuditPage<TInterventionView>)
  | ({ kind: "events" } & TAuditPage<TAuditEvent>);

export function readAudit(
  scope: TAuditScope,
  filters: TAuditFilters,
  limit: number,
): Promise<TAuditResult> {
  return filters.kind === "interventions"
    ? readInterventions(scope, filters, limit).then((page) => ({ kind: filters.kind, ...page }))
    : readAccountEvents(scope, filters, limit).then((page) => ({ kind: filters.kind, ...page }));
}

/** The usernames a reader may filter by: users of their reach. */
export async function auditActors(scope: TAuditScope): Promise<string[]> {
  const rows = await db().user.findMany({
    where: {
      ...(scope.companies === "all" ? {} : { companyCode: { in: scope.companies } }),
      ...(hides(scope) ? { allCompanies: false } : {}),
    },
    select: { username: true, name: true },
    orderBy: { username: "asc" },
  });
  return rows.map((row) => row.username ?? row.name);
}

// ---------------------------------------------------------------------------------------------
// Planning: which queries a page runs

/** What a read needs to know besides the filters: whom to hide, the actor's id, the partitions. */
interface TPlan {
  hidden: string[];
  /** The filtered actor's user id; null when the filter names nobody the reader may see. */
  actorId: string | null | undefined;
  /** One query per entry: a company, null for events of no company, undefined for no company term. */
  partitions: (string | null | undefined)[];
}

function hides(scope: TAuditScope): boolean {
  return scope.companies !== "all" && scope.hideWiderReach;
}

async function plan(scope: TAuditScope, filters: TAuditFilters): Promise<TPlan> {
  const hidden = hides(scope) ? await widerReachUserIds() : [];
  const actorId = filters.actor === undefined ? undefined : await userIdOf(filters.actor, hidden);
  let partitions: TPlan["partitions"];
  if (scope.companies !== "all") partitions = scope.companies;
  else if (filters.kind === "interventions")
    partitions = leadingFilter(filters, actorId)
      ? [undefined]
      : await distinctCompanies("Intervention");
  else
    partitions =
      actorId || filters.type ? [undefined] : [...(await distinctCompanies("AuditEvent")), null];
  return { hidden, actorId, partitions };
}

/** The SQL of each partition's query: what the reads run, and what the plan tests explain. */
export async function auditQueries(
  scope: TAuditScope,
  filters: TAuditFilters,
  limit: number,
): Promise<Prisma.Sql[]> {
  const p = await plan(scope, filters);
  if (p.actorId === null) return [];
  return p.partitions.map((partition) => partitionSql(partition, filters, p, limit + 1));
}

/** One partition's query: its rows after the filters' cursor, newest first, `take` at most. */
function partitionSql(
  partition: string | null | undefined,
  filters: TAuditFilters,
  p: TPlan,
  take: number,
): Prisma.Sql {
  return filters.kind === "interventions"
    ? interventionSql(partition, filters, p, take)
    : eventSql(partition, filters, p, take);
}

async function userIdOf(username: string, hidden: string[]): Promise<string | null> {
  const row = await db().user.findUnique({ where: { username }, select: { id: true } });
  return row && !hidden.includes(row.id) ? row.id : null;
}

/**
 * The companies a table has rows of, by hopping along its (companyCode, time) index: one index
 * seek per company, not a scan.
 */
async function distinctCompanies(table: "Intervention" | "AuditEvent"): Promise<string[]> {
  const rows = await db().$queryRaw<{ code: string | null }[]>(companiesSql(table));
  return rows.flatMap((row) => (row.code === null ? [] : [row.code]));
}

export function companiesSql(table: "Intervention" | "AuditEvent"): Prisma.Sql {
  const t = Prisma.raw(`"${table}"`);
  return Prisma.sql`
    WITH RECURSIVE c(code) AS (
      SELECT (SELECT MIN("companyCode") FROM ${t})
      UNION ALL
      SELECT (SELECT MIN("companyCode") FROM ${t} WHERE "companyCode" > c.code) FROM c
      WHERE c.code IS NOT NULL
    )
    SELECT code FROM c WHERE code IS NOT NULL`;
}

/** An equality filter whose index gives the order by itself (no company term needed). */
function leadingFilter(f: TInterventionFilters, actorId: string | null | undefined): boolean {
  return Boolean(f.call || f.target || actorId || f.outcome || f.operation);
}

/**
 * The index an intervention query walks: the most selective equality filter's, else the
 * company's. All but callUuid's end with requestedAt, so the time range is part of the seek and
 * the order comes from the index.
 */
function interventionIndex(
  partition: string | null | undefined,
  f: TInterventionFilters,
  actorId: string | null | undefined,
): string {
  if (f.call) return "Intervention_callUuid_idx";
  if (f.target) return "Intervention_targetAgentId_requestedAt_idx";
  if (actorId) return "Intervention_actorId_requestedAt_idx";
  // Most interventions are confirmed: within one company, its own index narrows better.
  if (f.outcome && (partition === undefined || f.outcome !== "confirmed"))
    return "Intervention_outcome_requestedAt_idx";
  if (partition !== undefined) return "Intervention_companyCode_requestedAt_idx";
  return "Intervention_operation_requestedAt_idx";
}

const INTERVENTION_COLUMNS = Prisma.raw(
  `"id", "companyCode", "operation", "actorId", "actorName", "seatAgentId", "targetAgentId",
   "callUuid", "reason", "stage", "outcome", "code", "message", "requestedAt", "updatedAt"`,
);

function interventionSql(
  partition: string | null | undefined,
  f: TInterventionFilters,
  p: TPlan,
  take: number,
): Prisma.Sql {
  const where = [
    ...(partition == null ? [] : [Prisma.sql`"companyCode" = ${partition}`]),
    ...timeTerms("requestedAt", f),
    ...(f.cursor ? [keysetTerm("requestedAt", f.cursor.at, f.cursor.id)] : []),
    ...(p.actorId ? [Prisma.sql`"actorId" = ${p.actorId}`] : []),
    ...(f.target ? [Prisma.sql`"targetAgentId" = ${f.target}`] : []),
    ...(f.call ? [Prisma.sql`"callUuid" = ${f.call}`] : []),
    ...(f.operation ? [Prisma.sql`"operation" = ${f.operation}`] : []),
    ...(f.outcome === "in_progress"
      ? [Prisma.sql`"outcome" IS NULL`]
      : f.outcome
        ? [Prisma.sql`"outcome" = ${f.outcome}`]
        : []),
    ...(p.hidden.length > 0 ? [Prisma.sql`"actorId" NOT IN (${Prisma.join(p.hidden)})`] : []),
  ];
  const index = indexedBy(interventionIndex(partition, f, p.actorId));
  return Prisma.sql`SELECT ${INTERVENTION_COLUMNS} FROM "Intervention" ${index}
    WHERE ${conjunction(where)} ORDER BY "requestedAt" DESC, "id" DESC LIMIT ${take}`;
}

const EVENT_COLUMNS = Prisma.raw(
  `"id", "at", "type", "actorKind", "actorId", "actorName", "companyCode", "ip", "userAgent", "data"`,
);

function eventSql(
  partition: string | null | undefined,
  f: TEventFilters,
  p: TPlan,
  take: number,
): Prisma.Sql {
  const where = [
    ...(partition === undefined
      ? []
      : partition === null
        ? [Prisma.sql`"companyCode" IS NULL`]
        : [Prisma.sql`"companyCode" = ${partition}`]),
    Prisma.sql`"type" NOT LIKE 'intervention.%'`,
    ...(f.type ? [Prisma.sql`"type" = ${f.type}`] : []),
    ...(p.actorId ? [Prisma.sql`"actorId" = ${p.actorId}`] : []),
    ...timeTerms("at", f),
    ...(f.cursor ? [keysetTerm("at", f.cursor.at, Number(f.cursor.id))] : []),
    ...p.hidden.map(
      (id) =>
        // Neither done by them nor about them (`data` is JSON.stringify's: no spaces).
        Prisma.sql`("actorId" IS NULL OR "actorId" <> ${id}) AND ${position(Prisma.raw(`"data"`), `"userId":${JSON.stringify(id)}`)} = 0`,
    ),
  ];
  const index = p.actorId
    ? "AuditEvent_actorId_at_idx"
    : f.type
      ? "AuditEvent_type_at_idx"
      : "AuditEvent_companyCode_at_idx";
  return Prisma.sql`SELECT ${EVENT_COLUMNS} FROM "AuditEvent" ${indexedBy(index)}
    WHERE ${conjunction(where)} ORDER BY "at" DESC, "id" DESC LIMIT ${take}`;
}

function timeTerms(column: "requestedAt" | "at", f: { from?: Date; to?: Date }): Prisma.Sql[] {
  const c = Prisma.raw(`"${column}"`);
  return [
    ...(f.from ? [Prisma.sql`${c} >= ${f.from}`] : []),
    ...(f.to ? [Prisma.sql`${c} < ${f.to}`] : []),
  ];
}

/** Strictly after the cursor in (time desc, id desc); the first term bounds the index seek. */
function keysetTerm(column: "requestedAt" | "at", at: Date, id: string | number): Prisma.Sql {
  const c = Prisma.raw(`"${column}"`);
  return Prisma.sql`${c} <= ${at} AND (${c} < ${at} OR "id" < ${id})`;
}

function conjunction(terms: Prisma.Sql[]): Prisma.Sql {
  return terms.length > 0 ? Prisma.join(terms, " AND ") : Prisma.sql`TRUE`;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Reads the rows of one query. */
type TRowReader = <TRow>(sql: Prisma.Sql) => Promise<TRow[]>;

const prismaRows: TRowReader = (sql) => db().$queryRaw(sql);

/** The audit's order, newest first: by time, then by id (ties in time). */
function newerFirst<TRow extends { id: string | number }>(timeOf: (row: TRow) => Date) {
  return (a: TRow, b: TRow): number => {
    const dt = timeOf(b).getTime() - timeOf(a).getTime();
    if (dt !== 0) return dt;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  };
}

/** Newest first, `limit` at most, merged across partitions by (time, id). */
async function readPartitions<TRow extends { id: string | number }>(
  queries: Prisma.Sql[],
  timeOf: (row: TRow) => Date,
  limit: number,
): Promise<{ rows: TRow[]; next?: TAuditCursor }> {
  const results = await Promise.all(queries.map((q) => prismaRows<TRow>(q)));
  const merged = results.flat().sort(newerFirst(timeOf));
  const rows = merged.slice(0, limit);
  const last = rows.at(-1);
  return merged.length > limit && last
    ? { rows, next: { at: timeOf(last), id: String(last.id) } }
    : { rows };
}

/**
 * Every row the filters match, newest first, a page of at most `pageSize` at each call (none
 * after the last). Each partition is read in keyset pages of `readSize` of its own and merged
 * as they are used up, so every row is read once and at most `readSize` rows per partition wait
 * (a page of the audit view instead reads `limit + 1` rows of every partition and keeps `limit`,
 * which over a whole export would read each row once per partition). A partition is read again
 * only when its rows are used up: rows written meanwhile older than where it is are exported too.
 *
 * A function, not a generator, so nothing of a page it returned stays referenced by it: a
 * suspended generator keeps its last page alive until it resumes, long enough for V8 to move it
 * to the old generation, which then fills with a whole export's garbage before it is collected.
 */
function mergedPageReader<TRow extends { id: string | number }>(
  scope: TAuditScope,
  filters: TAuditFilters,
  timeOf: (row: TRow) => Date,
  sizes: { pageSize: number; readSize: number },
  read: TRowReader,
): () => Promise<TRow[] | undefined> {
  interface THead {
    partition: string | null | undefined;
    rows: TRow[];
    at: number;
    more: boolean;
    cursor?: TAuditCursor;
  }
  const order = newerFirst(timeOf);
  let heads: THead[] | undefined;
  let p: TPlan | undefined;
  const fill = async (head: THead, plan: TPlan) => {
    const paged = { ...filters, cursor: head.cursor };
    head.rows = await read<TRow>(partitionSql(head.partition, paged, plan, sizes.readSize));
    head.at = 0;
    head.more = head.rows.length === sizes.readSize;
    const last = head.rows.at(-1);
    if (last) head.cursor = { at: timeOf(last), id: String(last.id) };
  };
  return async () => {
    if (!heads || !p) {
      p = await plan(scope, filters);
      const started: THead[] =
        p.actorId === null
          ? []
          : p.partitions.map((partition) => ({ partition, rows: [], at: 0, more: true }));
      const planned = p;
      await Promise.all(started.map((head) => fill(head, planned)));
      heads = started;
    }
    const page: TRow[] = [];
    while (page.length < sizes.pageSize) {
      let newest: THead | undefined;
      for (const head of heads)
        if (
          head.at < head.rows.length &&
          (!newest || order(head.rows[head.at]!, newest.rows[newest.at]!) < 0)
        )
          newest = head;
      if (!newest) break;
      page.push(newest.rows[newest.at++]!);
      if (newest.at === newest.rows.length) {
        newest.rows = [];
        if (newest.more) await fill(newest, p);
      }
    }
    return page.length > 0 ? page : undefined;
  };
}

const ZInterventionRow = z.object({
  id: z.string(),
  companyCode: z.string(),
  operation: ZOperation,
  actorId: z.string(),
  actorName: z.string(),
  seatAgentId: z.string(),
  targetAgentId: z.string(),
  callUuid: z.string(),
  reason: z.string().nullable(),
  stage: ZStage,
  code: z.string().nullable(),
  message: z.string().nullable(),
  requestedAt: z.date(),
  updatedAt: z.date(),
});

type TEventRow = TAuditRow;

export async function readInterventions(
  scope: TAuditScope,
  filters: TInterventionFilters,
  limit: number,
): Promise<TAuditPage<TInterventionView>> {
  const { rows, next } = await readPartitions<{ id: string; requestedAt: Date }>(
    await auditQueries(scope, filters, limit),
    (row) => row.requestedAt,
    limit,
  );
  return { ...(await interventionViews(rows, prismaRows)), ...(next ? { next } : {}) };
}

/** Intervention rows as views with their timelines (one query for all of them), checked. */
async function interventionViews(
  rows: { id: string }[],
  read: TRowReader,
): Promise<TAuditPage<TInterventionView>> {
  const page: TAuditPage<TInterventionView> = { rows: [], invalid: [] };
  const timelines = await readTimelines(
    rows.map((row) => row.id),
    read,
  );
  page.invalid.push(...timelines.invalid);
  for (const raw of rows) {
    const row = ZInterventionRow.safeParse(raw);
    const view =
      row.success &&
      ZInterventionView.safeParse(
        interventionView(
          row.data,
          timelineOf(timelines.events.get(row.data.id) ?? [], row.data.companyCode),
        ),
      );
    if (view && view.success) page.rows.push(view.data);
    else
      page.invalid.push({
        id: raw.id,
        type: "intervention",
        issue: (view ? view.error : row.error)?.issues[0]?.message ?? "invalid",
      });
  }
  return page;
}

export async function readAccountEvents(
  scope: TAuditScope,
  filters: TEventFilters,
  limit: number,
): Promise<TAuditPage<TAuditEvent>> {
  const { rows, next } = await readPartitions<TEventRow>(
    await auditQueries(scope, filters, limit),
    (row) => row.at,
    limit,
  );
  return { ...eventViews(rows), ...(next ? { next } : {}) };
}

/** Event rows checked against their schemas. */
function eventViews(rows: TEventRow[]): TAuditPage<TAuditEvent> {
  const page: TAuditPage<TAuditEvent> = { rows: [], invalid: [] };
  for (const row of rows) {
    const parsed = parseAuditRow(row);
    if (parsed.success) page.rows.push(parsed.data);
    else page.invalid.push(invalidEvent(row, parsed.error));
  }
  return page;
}

/** The audit events of these interventions, oldest first, by the interventionId index. */
async function readTimelines(
  ids: string[],
  read: TRowReader,
): Promise<{ events: Map<string, TAuditEvent[]>; invalid: TInvalidRow[] }> {
  const events = new Map<string, TAuditEvent[]>();
  const invalid: TInvalidRow[] = [];
  if (ids.length === 0) return { events, invalid };
  const rows = await read<TEventRow & { interventionId: string }>(timelineSql(ids));
  for (const row of rows) {
    const parsed = parseAuditRow(row);
    if (!parsed.success) {
      invalid.push(invalidEvent(row, parsed.error));
      continue;
    }
    const list = events.get(row.interventionId) ?? [];
    list.push(parsed.data);
    events.set(row.interventionId, list);
  }
  return { events, invalid };
}

export function timelineSql(ids: string[]): Prisma.Sql {
  return Prisma.sql`SELECT ${EVENT_COLUMNS}, "interventionId" FROM "AuditEvent"
    ${indexedBy("AuditEvent_interventionId_idx")}
    WHERE "interventionId" IN (${Prisma.join(ids)}) ORDER BY "id"`;
}

function invalidEvent(row: TEventRow, error: z.ZodError): TInvalidRow {
  return { id: String(row.id), type: row.type, issue: error.issues[0]?.message ?? "invalid" };
}

/**
 * An intervention's steps from its events, each with the time since the step before it. Events
 * of another company under the same id are not its own and are left out.
 */
export function timelineOf(events: TAuditEvent[], companyCode: string): TTimelineEntry[] {
  const entries: TTimelineEntry[] = [];
  for (const event of events) {
    const step = stepOf(event);
    if (!step || event.companyCode !== companyCode) continue;
    const at = event.at.getTime();
    const previous = entries.at(-1);
    entries.push({ ...step, at, ...(previous ? { latencyMs: at - previous.at } : {}) });
  }
  return entries;
}

function stepOf(event: TAuditEvent): Omit<TTimelineEntry, "at" | "latencyMs"> | undefined {
  switch (event.type) {
    case "intervention.requested":
      return { stage: "requested" };
    case "intervention.sent":
      return { stage: "sent" };
    case "intervention.acked":
      return { stage: "acked", ...(event.data.legUuid ? { detail: event.data.legUuid } : {}) };
    case "intervention.failed":
      return { stage: "failed", code: event.data.code, detail: event.data.msg };
    case "intervention.phone":
      return {
        stage: "phone",
        code: event.data.event,
        ...(event.data.uuid ? { detail: event.data.uuid } : {}),
      };
    case "intervention.confirmed":
      return { stage: "confirmed" };
    case "intervention.unconfirmed":
      return { stage: "unconfirmed" };
    case "intervention.interrupted":
      return { stage: "interrupted", detail: event.data.lastStage };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV export

/**
 * Rows per chunk of the export's stream: the stream holds one page at a time. Measured over a
 * 122,613-row export (tests/bench/interventions/audit-child.ts): 200 grew the process by about
 * 24 MB, 500 by about 42 MB (each page's text and bytes live longer than the garbage collector's
 * young generation).
 */
export const CSV_PAGE_SIZE = 200;

const CSV_OPTIONS = { record_delimiter: "windows" } as const;

/**
 * The CSV of everything the filters match (from the newest; a cursor is ignored), as a stream
 * that reads one page each time its reader asks for more: never the whole result in memory.
 * UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; CRLF line ends.
 */
export function auditCsvStream(
  scope: TAuditScope,
  filters: TAuditFilters,
  locale: TLocale,
  pageSize = CSV_PAGE_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const t = csvTranslator(locale);
  const columns = filters.kind === "interventions" ? INTERVENTION_COLUMNS_CSV : EVENT_COLUMNS_CSV;
  let source: TExportSource | undefined;
  let closed = false;
  const close = async () => {
    closed = true;
    await source?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!source) {
            source = await openExport(scope, filters, t, pageSize);
            const header = columns.map((c) => t(`audit.csv.${c}`, { zone: AUDIT_TIME_ZONE }));
            controller.enqueue(encoder.encode(`\uFEFF${stringify([header], CSV_OPTIONS)}`));
            return;
          }
          const text = await source.next();
          if (text === undefined) {
            await close();
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(text));
          // SQLite's reads are synchronous: between pages, let the floor, the sockets and the
          // other requests run, so a long export never holds the event loop for more than a page.
          await nextTurn();
        } catch (error) {
          if (!closed) await close();
          throw error;
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}

/** Rows of the partitions read at once while exporting, per partition (see mergedPageReader). */
const EXPORT_READ_SIZE = 50;

/**
 * Rows turned into CSV at once (their views, timelines and records). Few, so that at a garbage
 * collection no allocation site has most of what it made still alive: V8 takes such a site for
 * one of long-lived objects and from then on allocates its objects in the old generation
 * (pretenuring), where an export's garbage piles up until a full collection (tens of MB).
 */
const EXPORT_GROUP = 20;

/** The columns of the audit's tables that hold a time. */
const TIME_COLUMNS = ["at", "requestedAt", "updatedAt"];

interface TExportSource {
  /** The CSV text of the next page of rows, none after the last. */
  next(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * The export's pages as CSV text, read with the database's own driver on a connection of the
 * export's own (server/database/raw-reader.ts), closed when the export ends, fails or is
 * cancelled. Each page's rows, views and records are only referenced while its text is made.
 */
async function openExport(
  scope: TAuditScope,
  filters: TAuditFilters,
  t: TCsvTranslator,
  pageSize: number,
): Promise<TExportSource> {
  const reader = await openRawReader(databaseUrl(), TIME_COLUMNS);
  const read: TRowReader = (sql) => reader.rows(sql);
  const sizes = { pageSize, readSize: Math.min(pageSize, EXPORT_READ_SIZE) };
  const csv = (records: TCell[][]) => stringify(records.map(cells), CSV_OPTIONS);
  const format: TCsvFormat = { t, time: zonedClock(AUDIT_TIME_ZONE) };
  const groupText: (rows: never[]) => Promise<string> =
    filters.kind === "interventions"
      ? async (rows: { id: string }[]) =>
          csv(
            (await interventionViews(rows, read)).rows.map((view) =>
              interventionRecord(view, format),
            ),
          )
      : async (rows: TEventRow[]) =>
          csv(eventViews(rows).rows.map((row) => eventRecord(row, format)));
  const page =
    filters.kind === "interventions"
      ? mergedPageReader<{ id: string; requestedAt: Date }>(
          scope,
          filters,
          (row) => row.requestedAt,
          sizes,
          read,
        )
      : mergedPageReader<TEventRow>(scope, filters, (row) => row.at, sizes, read);
  const next = async () => {
    const rows = await page();
    if (!rows) return undefined;
    let text = "";
    for (let i = 0; i < rows.length; i += EXPORT_GROUP)
      text += await groupText(rows.slice(i, i + EXPORT_GROUP) as never[]);
    return text;
  };
  return { next, close: () => reader.close() };
}

const INTERVENTION_COLUMNS_CSV = [
  "requestedAt",
  "id",
  "company",
  "supervisor",
  "seat",
  "operation",
  "target",
  "call",
  "reason",
  "outcome",
  "code",
  "message",
  "sentAt",
  "answeredAt",
  "answerLatencyMs",
  "phoneStartedAt",
  "endedAt",
  "totalMs",
] as const;

const EVENT_COLUMNS_CSV = [
  "at",
  "id",
  "event",
  "type",
  "actorKind",
  "actor",
  "company",
  "ip",
  "userAgent",
  "details",
] as const;

type TCsvTranslator = (key: string, values?: Record<string, string>) => string;

/** How the export writes labels and times. */
interface TCsvFormat {
  t: TCsvTranslator;
  time: (epochMs: number) => string;
}

/**
 * The export's translator. Labels (event types, operations, outcomes: a few dozen keys) are
 * formatted once each and reused for every row; messages with values are formatted each time.
 */
function csvTranslator(locale: TLocale): TCsvTranslator {
  const t = createTranslator({ locale, messages: CATALOGS[locale] });
  const labels = new Map<string, string>();
  return (key, values) => {
    if (values) return t(key as Parameters<typeof t>[0], values);
    let label = labels.get(key);
    if (label === undefined) {
      label = t(key as Parameters<typeof t>[0]);
      labels.set(key, label);
    }
    return label;
  };
}

type TCell = string | number | undefined;

function interventionRecord(view: TInterventionView, { t, time }: TCsvFormat): TCell[] {
  const step = (...stages: TTimelineEntry["stage"][]) =>
    view.timeline.find((entry) => stages.includes(entry.stage));
  const sent = step("sent");
  const answered = step("acked", "failed");
  const started = view.timeline.find((e) => e.stage === "phone" && e.code === "start_call");
  const ended = view.timeline.findLast((entry) =>
    (FINAL_STAGES as readonly string[]).includes(entry.stage),
  );
  return [
    time(view.requestedAt),
    view.id,
    view.companyCode,
    view.actorName,
    view.seatAgentId,
    t(`audit.operations.${view.operation}`),
    view.targetAgentId,
    view.callUuid,
    view.reason,
    isFinal(view.stage)
      ? t(`audit.outcomes.${view.stage}`)
      : `${t("audit.outcomes.in_progress")} (${t(`audit.stages.${view.stage}`)})`,
    view.code,
    view.message,
    sent && time(sent.at),
    answered && time(answered.at),
    sent && answered ? answered.at - sent.at : undefined,
    started && time(started.at),
    ended && time(ended.at),
    ended ? ended.at - view.requestedAt : undefined,
  ];
}

function eventRecord(event: TAuditEvent, { t, time }: TCsvFormat): TCell[] {
  return [
    time(event.at.getTime()),
    event.id,
    t(`admin.audit.types.${event.type}`),
    event.type,
    event.actor.kind,
    event.actor.name ?? event.actor.id,
    event.companyCode ?? undefined,
    event.ip ?? undefined,
    event.userAgent ?? undefined,
    JSON.stringify(event.data),
  ];
}

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: a reason typed by a supervisor must not become a formula in the auditor's Excel.
 */
function cells(record: TCell[]): (string | number)[] {
  return record.map((cell) =>
    cell === undefined
      ? ""
      : typeof cell === "string" && /^[=+\-@\t\r]/.test(cell)
        ? `'${cell}`
        : cell,
  );
}
