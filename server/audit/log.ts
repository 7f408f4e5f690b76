import "server-only";
import { z } from "zod";
import {
  ZAuditEvent,
  ZAuditEventInput,
  type TAuditEvent,
  type TAuditEventInput,
} from "@/lib/audit/events";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { lockAuditChain } from "../database/sql";
import { chainedFields, chainHash, NO_HASH, type TChainedFields } from "./chain";

/**
 * The audit log: append and read, nothing else (the table's triggers refuse UPDATE and DELETE).
 * Every event is chained by hash to the one before it (server/audit/chain.ts; docs/audit.md).
 * A write that fails throws: the caller's operation must fail with it.
 *
 * Without `tx`, the event joins the group commit: events appended while a write is in flight
 * are written together in the next transaction, and each promise resolves once its transaction
 * committed (synchronous=FULL: on disk). With `tx` (the transaction of the change being
 * audited), the event is written in it, so both commit or neither does. Inside a transaction,
 * always pass it: an event without it waits for the group commit, whose transaction waits for
 * yours.
 */
export async function appendAuditEvent(
  event: TAuditEventInput,
  tx?: Prisma.TransactionClient,
): Promise<{ id: number; at: Date }> {
  const row = chainedFields(ZAuditEventInput.parse(event), new Date());
  if (tx) {
    const [written] = await insertChained(tx, [row]);
    return written!;
  }
  return groupCommit(row);
}

/**
 * Runs a change and appends its audit event in one transaction: both commit or neither does,
 * and a failed audit write fails the change.
 */
export async function auditedChange<T>(
  event: TAuditEventInput,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db().$transaction(async (tx) => {
    const result = await change(tx);
    await appendAuditEvent(event, tx);
    return result;
  });
}

/**
 * Appends `rows` after the last event, chained. The chain's lock comes first (SQLite's write
 * lock, PostgreSQL's advisory lock: server/database/sql.ts), so the last hash read after it is
 * the last one, and no other connection, process or node can append before this transaction
 * ends. (Within one SQLite process the adapter also runs one transaction at a time.)
 */
async function insertChained(
  tx: Prisma.TransactionClient,
  rows: TChainedFields[],
): Promise<{ id: number; at: Date }[]> {
  await lockAuditChain(tx);
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? NO_HASH;
  const chained = rows.map((row) => {
    const hash = chainHash(prevHash, row);
    const linked = { ...row, prevHash, hash };
    prevHash = hash;
    return linked;
  });
  // Raw SQL: Prisma's createManyAndReturn takes several times longer for a batch of this size,
  // and a batch's time is every waiting caller's latency. Dates bind as Prisma stores them.
  const written = await tx.$queryRaw<{ id: number | bigint; hash: string }[]>`
    INSERT INTO "AuditEvent" ("at", "type", "actorKind", "actorId", "actorName", "companyCode",
      "ip", "userAgent", "data", "interventionId", "prevHash", "hash")
    VALUES ${Prisma.join(
      chained.map(
        (row) =>
          Prisma.sql`(${new Date(row.at)}, ${row.type}, ${row.actorKind}, ${row.actorId}, ${row.actorName},
            ${row.companyCode}, ${row.ip}, ${row.userAgent}, ${row.data}, ${row.interventionId},
            ${row.prevHash}, ${row.hash})`,
      ),
    )}
    RETURNING "id", "hash"`;
  // RETURNING's order is unspecified; hashes are unique (each covers the one before it).
  const ids = new Map(written.map((row) => [row.hash, Number(row.id)]));
  return chained.map((row) => ({ id: ids.get(row.hash)!, at: new Date(row.at) }));
}

interface TQueued {
  row: TChainedFields;
  resolve: (written: { id: number; at: Date }) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: one transaction (one fsync) for every event queued while the previous one was
 * being written. SQLite's limit on bound values caps a batch (12 columns a row).
 */
const MAX_BATCH = 500;
const queue: TQueued[] = [];
let draining = false;

function groupCommit(row: TChainedFields): Promise<{ id: number; at: Date }> {
  return new Promise((resolve, reject) => {
    queue.push({ row, resolve, reject });
    if (draining) return;
    draining = true;
    // A microtask later: appends made in the same turn (Promise.all) share the first batch.
    queueMicrotask(() => void drain());
  });
}

async function drain(): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    try {
      const written = await db().$transaction(
        (tx) =>
          insertChained(
            tx,
            batch.map((queued) => queued.row),
          ),
        { maxWait: 10_000, timeout: 10_000 },
      );
      batch.forEach((queued, i) => queued.resolve(written[i]!));
    } catch (error) {
      // The batch committed nothing: every caller in it fails, as its own write would have.
      for (const queued of batch) queued.reject(error);
    }
  }
  draining = false;
}

export const ZAuditFilter = z.object({
  /** The reader's companies ("all" for an admin of every company). */
  companies: z.union([z.literal("all"), z.array(z.string()).min(1)]),
  types: z.array(z.string()).optional(),
  /** Events with a smaller id than this (paging backwards). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /**
   * A company-scoped read leaves out events by or about all-companies users (their sign-ins
   * carry IP and user agent): a company admin must not read the audit of a wider reach.
   */
  hideWiderReach: z.boolean().default(true),
});
export type TAuditFilter = z.input<typeof ZAuditFilter>;

export interface TAuditPage {
  events: TAuditEvent[];
  /** Rows that no longer match their schema: reported, never silently dropped. */
  invalid: { id: number; type: string; issue: string }[];
}

/** Newest first. Every row is validated again; a row that fails is listed in `invalid`. */
export async function readAuditEvents(filter: TAuditFilter): Promise<TAuditPage> {
  const f = ZAuditFilter.parse(filter);
  const hidden = f.companies !== "all" && f.hideWiderReach ? await widerReachUserIds() : [];
  const rows = await db().auditEvent.findMany({
    where: {
      ...(f.companies === "all" ? {} : { companyCode: { in: f.companies } }),
      ...(hidden.length > 0 ? { AND: hidden.map(notByOrAbout) } : {}),
      ...(f.types ? { type: { in: f.types } } : {}),
      ...(f.beforeId ? { id: { lt: f.beforeId } } : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit,
  });
  const page: TAuditPage = { events: [], invalid: [] };
  for (const row of rows) {
    const parsed = parseAuditRow(row);
    if (parsed.success) page.events.push(parsed.data);
    else
      page.invalid.push({
        id: row.id,
        type: row.type,
        issue: parsed.error.issues[0]?.message ?? "invalid",
      });
  }
  return page;
}

/** All-companies users: a company-scoped reader sees nothing done by or about them. */
export async function widerReachUserIds(): Promise<string[]> {
  const rows = await db().user.findMany({ where: { allCompanies: true }, select: { id: true } });
  return rows.map((row) => row.id);
}

/** Neither done by the user nor about them (`data` is written by JSON.stringify: no spaces). */
function notByOrAbout(userId: string): Prisma.AuditEventWhereInput {
  return {
    OR: [{ actorId: null }, { actorId: { not: userId } }],
    NOT: { data: { contains: `"userId":${JSON.stringify(userId)}` } },
  };
}

/** The columns of a stored event that its schema is checked against on read. */
export interface TAuditRow {
  id: number;
  at: Date;
  type: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  companyCode: string | null;
  ip: string | null;
  userAgent: string | null;
  data: string;
}

/** A stored row checked again against its event's schema (every reader goes through this). */
export function parseAuditRow(row: TAuditRow) {
  return ZAuditEvent.safeParse({
    id: row.id,
    at: row.at,
    type: row.type,
    actor: {
      kind: row.actorKind,
      ...(row.actorId === null ? {} : { id: row.actorId }),
      ...(row.actorName === null ? {} : { name: row.actorName }),
    },
    companyCode: row.companyCode,
    ip: row.ip,
    userAgent: row.userAgent,
    data: parseJson(row.data),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
